import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { renderApp, setUpAppTests } from './helpers/app.js';
import { KEYS } from './helpers/terminal.js';

setUpAppTests();

describe('progress while a session runs', () => {
  it('shows an image build\'s step and a bar in the pane, and runs done with the time left in the title', async () => {
    const app = await renderApp({ argv: ['--mode', 'docker,podman', '--workload', 'probe', '--runs', '2'], columns: 160, rows: 45 });
    await app.press(KEYS.enter);
    const session = app.engine.session;
    session.setStatus('docker', 'preparing', 'STEP 5/10');
    session.setStatus('podman', 'running', 'probe');
    await app.advance(100);
    const header = stripVTControlCharacters(app.lastFrame().split('\n')[2] ?? '');
    expect(header).toMatch(/1 docker #1\/2 ● preparing STEP 5\/10 ▰▰▰▰▰▱▱▱▱▱/);
    expect(header).not.toMatch(/podman.*▰/);
    expect(app.lastFrame().split('\n')[0]).toMatch(/2 going · 0 of 4 runs done$/);
    await app.advance(10_000);
    session.finish('podman', 'passed', 1);
    await app.advance(100);
    // 10.1 s for one run of four: about 30 s for the other three.
    expect(app.lastFrame().split('\n')[0]).toMatch(/1 going · 1 of 4 runs done · about 30\.\d\d s left/);
  });
});
