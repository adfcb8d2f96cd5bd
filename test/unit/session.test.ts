import { existsSync, readFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ModeId } from '../../src/domain/modes.js';
import type { EngineEvent } from '../../src/engine/events.js';
import { startSession } from '../../src/engine/session.js';
import type { Runtime } from '../../src/runtimes/types.js';
import { FakeRuntime, ManualClock, probeLines, type FakeScript } from '../helpers/fake-runtime.js';
import { sessionOptions } from '../helpers/session.js';

function runtimesWith(clock: ManualClock, scripts: Partial<Record<ModeId, FakeScript>>): Record<ModeId, Runtime> {
  const fallback: FakeScript = { lines: probeLines(), exitAfter: 30 };
  return {
    host: new FakeRuntime('host', clock, scripts.host ?? fallback),
    docker: new FakeRuntime('docker', clock, scripts.docker ?? fallback),
    podman: new FakeRuntime('podman', clock, scripts.podman ?? fallback),
    sandbox: new FakeRuntime('sandbox', clock, scripts.sandbox ?? fallback),
    gvisor: new FakeRuntime('gvisor', clock, scripts.gvisor ?? fallback),
    srt: new FakeRuntime('srt', clock, scripts.srt ?? fallback),
  };
}

/** The lines of a recorded Claude Code stream-json output. */
function claudeStream(name: string): string[] {
  return readFileSync(new URL(`../fixtures/claude-stream/${name}`, import.meta.url), 'utf8').split('\n').filter(Boolean);
}

describe('the run engine', () => {
  it('makes a temporary workspace inside a folder only the invoking user can enter, and removes both', async () => {
    const clock = new ManualClock();
    const runtimes = runtimesWith(clock, {});
    const seen: { path: string; parentMode: number; parentOwner: number }[] = [];
    const prepare = runtimes.host.prepare.bind(runtimes.host);
    runtimes.host.prepare = async (options) => {
      const parent = await stat(dirname(options.workspace));
      seen.push({ path: options.workspace, parentMode: parent.mode & 0o777, parentOwner: parent.uid });
      return prepare(options);
    };
    const [record] = await startSession(sessionOptions({ modes: ['host'] }), { runtimes, now: clock.now }, () => {}).done;
    expect(record!.status).toBe('passed');
    expect(seen).toEqual([{ path: expect.stringMatching(/\/workspace$/), parentMode: 0o700, parentOwner: process.getuid!() }]);
    expect(existsSync(dirname(seen[0]!.path))).toBe(false);
  });

  it('measures each phase on its clock, to the probe\'s marks', async () => {
    const clock = new ManualClock();
    const runtimes = runtimesWith(clock, { docker: { prepareMs: 40, lines: probeLines(), exitAfter: 30, cleanupMs: 25 } });
    const events: EngineEvent[] = [];
    const session = startSession(sessionOptions({ modes: ['docker'], sequential: true }), { runtimes, now: clock.now }, (e) =>
      events.push(e),
    );
    const [record] = await session.done;
    expect(record!.status, record!.error ?? '').toBe('passed');
    expect(record!.timings).toEqual({
      prepareMs: 40,
      startupMs: 100,
      // The probe's first output is its ready line (Claude's differ: see the next test).
      firstOutputMs: 100,
      resultMs: 350,
      exitLagMs: 30,
      totalMs: 420,
      cleanupMs: 25,
    });
    expect(record!.findings.workspaceSync).toMatchObject({ ok: true, latencyMs: 0 });
    expect(record!.findings.kernel).toEqual({ inside: '9.9.9-fake', isolated: true });
    expect(record!.findings.cleanExit).toBe(true);
    const statuses = events.flatMap((e) => (e.type === 'status' ? [e.status] : []));
    expect(statuses).toEqual(['preparing', 'starting', 'running', 'cleaning', 'passed']);
    expect(events.at(-1)!.type).toBe('session-finished');
  });

  // Claude is ready at system/init and answers later: each timing must come from its own mark.
  it('measures Claude from its init, its first answer and its result', async () => {
    const clock = new ManualClock();
    const [init, answer, result] = claudeStream('text.ndjson');
    const claude = [
      { after: 120, text: init! },
      { after: 80, text: answer! },
      { after: 50, text: result! },
    ];
    const runtimes = runtimesWith(clock, { docker: { prepareMs: 40, lines: probeLines(), stepLines: { claude }, exitAfter: 30 } });
    const [record] = await startSession(sessionOptions({ modes: ['docker'], workload: 'claude', prompt: 'hi' }), { runtimes, now: clock.now }, () => {})
      .done;
    expect(record!.status, record!.error ?? '').toBe('passed');
    expect(record!.timings).toEqual({
      prepareMs: 40,
      startupMs: 120,
      firstOutputMs: 200,
      resultMs: 250,
      exitLagMs: 30,
      // prepare, then the probe (350 ms to its last line, exit 30 ms later), then Claude (250 + 30).
      totalMs: 40 + 380 + 280,
      cleanupMs: 0,
    });
  });

  it('runs warm-ups first and alternates the modes round by round', async () => {
    const clock = new ManualClock();
    const runtimes = runtimesWith(clock, {});
    const session = startSession(
      sessionOptions({ modes: ['host', 'docker', 'podman'], runs: 2, warmup: 1 }),
      { runtimes, now: clock.now },
      () => {},
    );
    const records = await session.done;
    expect(records.map((r) => `${r.warmup ? 'w' : '#'}${r.iteration} ${r.mode}`)).toEqual([
      'w1 host', 'w1 docker', 'w1 podman', '#1 host', '#1 docker', '#1 podman', '#2 host', '#2 docker', '#2 podman',
    ]);
    expect(new Set(records.map((r) => r.id)).size).toBe(9);
  });

  it('marks a run past its timeout as timeout', async () => {
    const clock = new ManualClock();
    const runtimes = runtimesWith(clock, { podman: { lines: probeLines().slice(0, 2), hang: true } });
    const [record] = await startSession(sessionOptions({ modes: ['podman'], timeoutMs: 50 }), { runtimes, now: clock.now }, () => {})
      .done;
    expect(record!.status).toBe('timeout');
    expect(record!.error).toBe('stopped after the 50 ms timeout');
  });

  it('stops one run without touching the others, and stopAll skips what has not started', async () => {
    const clock = new ManualClock();
    const runtimes = runtimesWith(clock, { docker: { lines: probeLines().slice(0, 1), hang: true } });
    let finished = 0;
    const session = startSession(
      sessionOptions({ modes: ['host', 'docker'], runs: 2 }),
      { runtimes, now: clock.now },
      (event) => {
        if (event.type === 'status' && event.status === 'running' && event.runId.endsWith('docker-1')) {
          session.stop(event.runId);
        }
        // Once the first round is over, stopping everything leaves the second round unstarted.
        if (event.type === 'run-finished' && ++finished === 2) session.stopAll();
      },
    );
    const records = await session.done;
    expect(records.map((r) => `${r.mode} ${r.iteration} ${r.status}`)).toEqual([
      'host 1 passed', 'docker 1 cancelled', 'host 2 cancelled', 'docker 2 cancelled',
    ]);
    expect(records[2]!.error).toBe('stopped before it started');
  });

  it('turns a failed prepare into an error with its message, and leftovers into a failure', async () => {
    const clock = new ManualClock();
    const runtimes = runtimesWith(clock, {
      docker: { prepareError: 'docker build failed: base image missing' },
      podman: { lines: probeLines(), leftovers: ['cc-iso-x'] },
    });
    const records = await startSession(sessionOptions({ modes: ['docker', 'podman'] }), { runtimes, now: clock.now }, () => {}).done;
    expect(records[0]).toMatchObject({ status: 'error', error: 'docker build failed: base image missing' });
    expect(records[1]).toMatchObject({ status: 'failed', error: 'left behind after cleanup: cc-iso-x' });
    expect(records[1]!.findings.leftovers).toEqual(['cc-iso-x']);
    expect(records[1]!.findings.cleanExit).toBe(false);
  });

  it('fails a probe that cannot write the workspace, and a command by its exit code', async () => {
    const clock = new ManualClock();
    const denied = probeLines().map((line) =>
      line.text.includes('marker') ? { ...line, text: 'cc-iso-probe marker fail cannot write /workspace/x as uid 1000' } : line,
    );
    const runtimes = runtimesWith(clock, { docker: { lines: denied }, host: { lines: [{ after: 5, text: 'hi' }], exitCode: 3 } });
    const [probe] = await startSession(sessionOptions({ modes: ['docker'] }), { runtimes, now: clock.now }, () => {}).done;
    expect(probe).toMatchObject({ status: 'failed', error: 'the workspace is not writable inside (cannot write /workspace/x as uid 1000)' });
    expect(probe!.findings.workspaceSync.ok).toBe(false);
    const [command] = await startSession(
      sessionOptions({ modes: ['host'], workload: 'command', command: ['x'] }),
      { runtimes, now: clock.now },
      () => {},
    ).done;
    expect(command).toMatchObject({ status: 'failed', exitCode: 3, error: 'command exited with 3' });
    expect(command!.timings.startupMs).toBe(5);
  });

  it('masks every secret of the host, not only the credential it passes in', async () => {
    const clock = new ManualClock();
    const gateway = 'gateway-secret-token-0123456789';
    const runtimes = runtimesWith(clock, { host: { lines: [{ after: 1, text: `ANTHROPIC_AUTH_TOKEN=${gateway}` }], exitCode: 1 } });
    const events: EngineEvent[] = [];
    const [record] = await startSession(
      sessionOptions({ modes: ['host'], workload: 'command', command: ['env'], secrets: [gateway] }),
      { runtimes, now: clock.now },
      (e) => events.push(e),
    ).done;
    expect(events.flatMap((e) => (e.type === 'output' ? [e.text] : [])).join('\n')).not.toContain(gateway);
    expect(JSON.stringify(record)).not.toContain(gateway);
  });

  it('has no result time for a probe that never reported one', async () => {
    const clock = new ManualClock();
    const runtimes = runtimesWith(clock, { docker: { lines: probeLines().slice(0, 2), exitCode: 0 } });
    const [record] = await startSession(sessionOptions({ modes: ['docker'] }), { runtimes, now: clock.now }, () => {}).done;
    expect(record).toMatchObject({ status: 'failed', error: 'the probe did not finish' });
    expect(record!.timings.resultMs).toBeNull();
    expect(record!.timings.exitLagMs).toBeNull();
  });

  it('strips control sequences and masks the credential in what it shows', async () => {
    const clock = new ManualClock();
    const secret = 'sk-ant-api03-very-secret-token-value';
    const runtimes = runtimesWith(clock, {
      host: { lines: [{ after: 1, text: `\u001b]0;pwned\u0007\u001b[2J\u001b[31mred\u001b[0m token=${secret}` }] },
    });
    const events: EngineEvent[] = [];
    await startSession(
      sessionOptions({
        modes: ['host'],
        workload: 'command',
        command: ['x'],
        credential: { env: { ANTHROPIC_API_KEY: secret }, source: 'env:ANTHROPIC_API_KEY', fingerprints: [] },
      }),
      { runtimes, now: clock.now },
      (e) => events.push(e),
    ).done;
    const shown = events.flatMap((e) => (e.type === 'output' ? [e.text] : []));
    expect(shown[0]).toMatch(/^\u001b\[31mred\u001b\[0m token=sk-a…/);
    expect(shown.join('\n')).not.toContain(secret);
    expect(shown.join('\n')).not.toContain('pwned');
  });
});
