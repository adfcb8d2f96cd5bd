import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRecording } from '../../src/recording/record-file.js';
import { runCli } from '../helpers/cli.js';

describe('cc-iso run --record, then cc-iso replay', () => {
  it('replays a real probe session to the same results files, and renders it as a cast', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cc-iso-record-'));
    const file = (name: string) => join(dir, name);
    // CC_ISO_RECORD works as --record does.
    const live = await runCli(['run', '--mode', 'host', '--workload', 'probe', '--json', file('live.json'), '--markdown', file('live.md')], {
      CC_ISO_RECORD: file('probe.ndjson'),
    });
    expect(live.exitCode, live.stderr).toBe(0);
    expect(live.stdout).toContain(`written to ${file('probe.ndjson')}`);
    const recording = parseRecording(await readFile(file('probe.ndjson'), 'utf8'));
    expect(recording.launches[0]!.events.filter((e) => e.event.type === 'run-finished')).toHaveLength(1);

    const replay = await runCli(['replay', file('probe.ndjson'), '--json', file('replay.json'), '--markdown', file('replay.md')]);
    expect(replay.exitCode, replay.stderr).toBe(0);
    expect(await readFile(file('replay.json'), 'utf8')).toBe(await readFile(file('live.json'), 'utf8'));
    expect(await readFile(file('replay.md'), 'utf8')).toBe(await readFile(file('live.md'), 'utf8'));

    const cast = await runCli(['replay', file('probe.ndjson'), '--cast', file('probe.cast'), '--speed', '4', '--size', '80x24']);
    expect(cast.exitCode, cast.stderr).toBe(0);
    const [header, ...events] = (await readFile(file('probe.cast'), 'utf8')).trimEnd().split('\n');
    expect(JSON.parse(header!)).toMatchObject({ version: 2, width: 80, height: 24 });
    expect(events.every((line) => /^\[\d+(\.\d+)?,"o",".*"\]$/.test(line))).toBe(true);
  });

  it('refuses a missing, garbled or newer recording with the reason and exit code 2', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cc-iso-bad-recording-'));
    const missing = await runCli(['replay', join(dir, 'nope.ndjson')]);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toContain('nope.ndjson does not exist');
    await writeFile(join(dir, 'garbled.ndjson'), 'this is not json\n');
    const garbled = await runCli(['replay', join(dir, 'garbled.ndjson')]);
    expect(garbled.exitCode).toBe(2);
    expect(garbled.stderr).toContain('is not a cc-iso recording');
    const header = { format: 'cc-iso-recording', version: 99, tool: { name: 'cc-iso', version: '9.9.9' }, startedAt: 'x', facts: { command: '' } };
    await writeFile(join(dir, 'newer.ndjson'), `${JSON.stringify(header)}\n`);
    const newer = await runCli(['replay', join(dir, 'newer.ndjson')]);
    expect(newer.exitCode).toBe(2);
    expect(newer.stderr).toMatch(/cc-iso 9\.9\.9 in recording format 99.*update cc-iso/);
    const usage = await runCli(['replay', join(dir, 'newer.ndjson'), '--speed', '0']);
    expect(usage.exitCode).toBe(2);
    expect(usage.stderr).toContain('--speed must be a number above 0');
  });
});
