import { release } from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import type { ModeId } from '../../src/domain/modes.js';
import { engineAvailable, labelledContainers } from '../helpers/engines.js';
import { outputOf, runSession, sessionOptions } from '../helpers/session.js';

const modes: ModeId[] = ['host', 'docker', 'podman'];
const available = Object.fromEntries(await Promise.all(modes.map(async (m) => [m, await engineAvailable(m)]))) as Record<
  ModeId,
  boolean
>;

describe.each(modes)('the probe workload in %s', (mode) => {
  afterAll(async () => {
    if (mode !== 'host' && available[mode]) expect(await labelledContainers(mode as 'docker' | 'podman')).toEqual([]);
  });

  it.skipIf(!available[mode])('reports kernel, workspace write, registry and exits 0', async () => {
    const { events, done } = runSession(sessionOptions({ modes: [mode] }));
    const [record] = await done;
    expect(record, JSON.stringify(outputOf(events, record!.id))).toBeDefined();
    expect(record!.status, record!.error ?? '').toBe('passed');
    expect(record!.exitCode).toBe(0);
    expect(record!.findings.kernel.inside).toMatch(/^\d+\.\d+/);
    // Containers share the host kernel; only the host baseline is trivially "not isolated" too.
    expect(record!.findings.kernel.inside).toBe(release());
    expect(record!.findings.kernel.isolated).toBe(false);
    expect(record!.findings.workspaceSync.ok).toBe(true);
    expect(record!.findings.workspaceSync.owner).toMatch(/^\d+:\d+/);
    expect(record!.findings.network.registry).toBe(true);
    expect(['blocked', 'reachable']).toContain(record!.findings.network.blockedHost);
    expect(record!.findings.leftovers).toEqual([]);
    expect(record!.findings.cleanExit).toBe(true);
    // Nothing of the run is still running once the probe has exited.
    expect(record!.evidence['still-running-after-exit']).toBeUndefined();
    const { startupMs, firstOutputMs, resultMs, totalMs, cleanupMs, prepareMs } = record!.timings;
    for (const value of [startupMs, firstOutputMs, resultMs, totalMs, cleanupMs, prepareMs]) {
      expect(value).toBeGreaterThanOrEqual(0);
    }
    expect(startupMs!).toBeLessThanOrEqual(resultMs!);
    expect(resultMs!).toBeLessThanOrEqual(totalMs!);
    const lines = outputOf(events, record!.id);
    expect(lines.some((line) => line.startsWith('probe: kernel '))).toBe(true);
  });
});
