import { describe, expect, it } from 'vitest';
import { renderApp, setUpAppTests } from './helpers/app.js';
import { KEYS } from './helpers/terminal.js';

setUpAppTests();

describe('targets in the app', () => {
  it('gives a mode on another engine its own pane, labelled with the target, beside the same mode here', async () => {
    const app = await renderApp({ argv: ['--mode', 'docker,docker@buildbox', '--workload', 'probe'], columns: 160, rows: 45 });
    expect(app.lastFrame()).toMatch(/starts docker, docker@buildbox/);
    await app.press(KEYS.enter);
    app.engine.session.setStatus('docker', 'running', 'probe');
    app.engine.session.setStatus('docker@buildbox', 'running', 'probe');
    app.engine.session.output('docker@buildbox', ['probe: kernel 5.15-buildbox']);
    app.engine.session.output('docker', ['probe: kernel 6.1-here']);
    await app.advance(60);
    const frame = app.lastFrame() ?? '';
    expect(frame).toMatch(/1 docker #1/);
    expect(frame).toMatch(/2 docker@buildbox #1/);
    expect(frame).toContain('docker, docker@buildbox');
    // Each line lands in the pane of its own run: the buildbox line is right of the local one.
    const row = frame.split('\n').find((line) => line.includes('5.15-buildbox'))!;
    expect(row.indexOf('6.1-here')).toBeLessThan(row.indexOf('5.15-buildbox'));
  });
});
