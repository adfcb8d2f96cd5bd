import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { engineAvailable, labelledContainers, programAvailable } from '../helpers/engines.js';
import { runSession, sessionOptions } from '../helpers/session.js';

const engines = ['docker', 'podman'] as const;
const available = Object.fromEntries(await Promise.all(engines.map(async (e) => [e, await engineAvailable(e)])));

describe.each(engines)('stopping runs in %s', (engine) => {
  it.skipIf(!available[engine])('cancels a run mid-way through its AbortSignal and removes its container', async () => {
    const { done, events } = runSession(
      sessionOptions({ modes: [engine], workload: 'command', command: ['sh', '-c', 'echo started; sleep 60'] }),
      (event, session) => {
        if (event.type === 'output' && event.text === 'started') session.stop(event.runId);
      },
    );
    const [record] = await done;
    expect(record!.status).toBe('cancelled');
    expect(record!.error).toMatch(/stopped by the user/);
    expect(events.some((e) => e.type === 'output' && e.text === 'started')).toBe(true);
    expect(await labelledContainers(engine, `cc-iso.run=${record!.id}`)).toEqual([]);
    expect(record!.findings.leftovers).toEqual([]);
    // Stopping is terminate → kill after the grace period → remove: well under a minute.
    expect(record!.timings.totalMs!).toBeLessThan(30_000);
  });

  it.skipIf(!available[engine])('marks a run past its timeout as timeout and removes its container', async () => {
    const { done } = runSession(
      sessionOptions({ modes: [engine], workload: 'command', command: ['sleep', '60'], timeoutMs: 3000 }),
    );
    const [record] = await done;
    expect(record!.status).toBe('timeout');
    expect(record!.error).toMatch(/3\.00 s timeout/);
    expect(await labelledContainers(engine, `cc-iso.run=${record!.id}`)).toEqual([]);
  });
});

describe('the command workload', () => {
  it.skipIf(!available.docker)('runs the given command in the image and passes its exit code on', async () => {
    const { done, events } = runSession(
      sessionOptions({ modes: ['docker', 'host'], workload: 'command', command: ['sh', '-c', 'id -u; exit 3'] }),
    );
    const records = await done;
    expect(records.map((r) => r.status)).toEqual(['failed', 'failed']);
    expect(records.map((r) => r.exitCode)).toEqual([3, 3]);
    const dockerLines = events.flatMap((e) => (e.type === 'output' && e.runId === records[0]!.id ? [e.text] : []));
    expect(dockerLines).toContain('1000');
  });
});

// The clients pointed at a socket nobody listens on: this needs no daemon up (nor down).
const clients = programAvailable('docker', 'dead-daemon') && programAvailable('podman', 'dead-daemon');

describe('an engine whose daemon is down', () => {
  it.skipIf(!clients)('is reported with the reason while the other modes still run', async () => {
    const nowhere = `unix://${join(mkdtempSync(join(tmpdir(), 'cc-iso-no-daemon-')), 'nobody-listens.sock')}`;
    const result = await runCli(['run', '--mode', 'docker,podman,host', '--workload', 'command', '--', 'true'], {
      DOCKER_HOST: nowhere,
      CONTAINER_HOST: nowhere,
    });
    expect(result.exitCode).toBe(1);
    expect(result.stderr + result.stdout).toMatch(/Docker: daemon not running/);
    expect(result.stderr + result.stdout).toMatch(/Podman: daemon not running/);
    expect(result.stdout).toMatch(/host\s+#1\s+passed/);
    expect(result.stdout).toMatch(/docker\s+#1\s+error/);
    expect(result.stdout).toMatch(/podman\s+#1\s+error/);
  });
});
