import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { DETECTING_TITLE, drawSplash } from '../../src/app/splash.js';

const written = (stream: PassThrough) => String(stream.read() ?? '');

describe('the splash drawn before Ink loads', () => {
  it('enters the alternate screen with the title bar of the detect phase, and undoing it restores the screen and cursor', () => {
    const out = new PassThrough();
    const splash = drawSplash(out as unknown as NodeJS.WriteStream);
    const drawn = written(out);
    expect(drawn.startsWith('\x1b[?1049h')).toBe(true);
    expect(drawn.replace(/\x1b\[[\d;?]*[a-zA-Z]/g, '')).toBe(`cc-iso ${DETECTING_TITLE}`);
    splash.undo();
    expect(written(out)).toBe('\x1b[?25h\x1b[?1049l');
  });

  // Ink writes its first frame from the cursor on, onto what it takes for an empty screen: a
  // shorter title ("choose what to run") would leave the splash's tail behind.
  it('hands over an empty first row with the cursor home', () => {
    const out = new PassThrough();
    const splash = drawSplash(out as unknown as NodeJS.WriteStream);
    written(out);
    splash.handOver();
    expect(written(out)).toBe('\x1b[H\x1b[2K');
  });
});
