import { describe, expect, it } from 'vitest';
import { renderApp, setUpAppTests } from './helpers/app.js';
import { KEYS } from './helpers/terminal.js';
import { MODE_IDS } from '../../src/domain/modes.js';
import type { TargetDetection } from '../../src/domain/targets.js';

const target = (name: string, engine: 'docker' | 'podman', reachable: boolean): TargetDetection => ({
  engine, target: name, kind: engine === 'docker' ? 'docker-context' : 'podman-connection', url: `ssh://agent@${name}`,
  transport: 'ssh', reachable, version: reachable ? '27.3.1' : null, os: reachable ? 'linux' : null, arch: reachable ? 'amd64' : null,
  kernel: reachable ? '6.8.0-buildbox' : null, rttMs: reachable ? 42 : null,
  reason: reachable ? null : 'unreachable: connection refused', fix: reachable ? null : 'check ssh',
});

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

  it('lists every context and connection under the local modes, and picks mode × target with space', async () => {
    const app = await renderApp({
      argv: ['--mode', 'docker', '--workload', 'probe'], columns: 160, rows: 45,
      targets: [target('buildbox', 'docker', true), target('ci', 'podman', false)],
    });
    const frame = app.lastFrame() ?? '';
    expect(frame).toContain('Targets');
    expect(frame).toMatch(/\[ \] docker@buildbox\s+✓ 27\.3\.1 · linux\/amd64 · kernel 6\.8\.0-buildbox · round trip 42 ms/);
    expect(frame).toMatch(/podman@ci\s+✗ unreachable: connection refused — check ssh/);
    // A Docker target offers every mode Docker runs there: gvisor too.
    expect(frame).toMatch(/\[ \] gvisor@buildbox\s+✓/);
    // Rows: every local mode, then docker@buildbox, gvisor@buildbox, podman@ci.
    for (let i = 0; i < MODE_IDS.length; i++) await app.press(KEYS.down);
    await app.press(' ');
    expect(app.lastFrame()).toMatch(/starts docker, docker@buildbox/);
    await app.press(KEYS.down);
    await app.press(KEYS.down);
    await app.press(' ');
    expect(app.lastFrame()).toMatch(/podman@ci is unreachable: unreachable: connection refused/);
    await app.press(KEYS.enter);
    expect(app.engine.sessions[0]!.options.targets).toEqual([{ mode: 'docker', target: 'buildbox' }]);
    expect(app.lastFrame()).toMatch(/2 docker@buildbox/);
  });

  it('shows the choose screen before slow targets answer; their rows join it and the cursor keeps its row', async () => {
    const app = await renderApp({
      argv: ['--mode', 'docker', '--workload', 'probe'], columns: 160, rows: 45,
      targets: [target('buildbox', 'docker', true)], targetsLater: true,
    });
    expect(app.lastFrame()).toContain('looking for Docker contexts and Podman connections');
    // Down to the runs row (every mode, then workload, prompt, runs).
    for (let i = 0; i < MODE_IDS.length + 2; i++) await app.press(KEYS.down);
    app.engine.answerTargets();
    await app.advance(0);
    const frame = app.lastFrame() ?? '';
    expect(frame).not.toContain('looking for');
    expect(frame).toMatch(/docker@buildbox\s+✓ 27\.3\.1/);
    // Still on runs: → makes it 2.
    await app.press(KEYS.right);
    expect(app.lastFrame()).toMatch(/runs\s+‹ 2 ›/);
  });

  it('quitting before the targets answered ends their probes: nothing keeps the process alive', async () => {
    const app = await renderApp({
      argv: ['--mode', 'docker', '--workload', 'probe'], columns: 160, rows: 45,
      targets: [target('buildbox', 'docker', true)], targetsLater: true,
    });
    expect(app.engine.targetSignal?.aborted).toBe(false);
    await app.press('q');
    await expect(app.controller.closed).resolves.toBe(0);
    expect(app.engine.targetSignal?.aborted).toBe(true);
  });
});
