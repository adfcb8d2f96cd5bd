import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { DETECTING_TITLE, drawSplash } from '../../src/app/splash.js';

const written = (stream: PassThrough) => String(stream.read() ?? '');

describe('the splash drawn before Ink loads', () => {
  it('enters the alternate screen with the title bar of the detect phase, and undoing it restores the screen and cursor', () => {
    const out = new PassThrough();
    const undo = drawSplash(out as unknown as NodeJS.WriteStream);
    const splash = written(out);
    expect(splash.startsWith('\x1b[?1049h')).toBe(true);
    expect(splash.replace(/\x1b\[[\d;?]*[a-zA-Z]/g, '')).toBe(`cc-iso ${DETECTING_TITLE}`);
    undo();
    expect(written(out)).toBe('\x1b[?25h\x1b[?1049l');
  });
});
