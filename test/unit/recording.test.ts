import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { ModeId } from '../../src/domain/modes.js';
import { planOf, type Launch } from '../../src/engine/plan-session.js';
import { startSession } from '../../src/engine/session.js';
import type { SessionFacts } from '../../src/export/results-file.js';
import { parseRecording, RecordingError, RECORDING_VERSION } from '../../src/recording/record-file.js';
import { SessionRecorder } from '../../src/recording/recorder.js';
import { createRecording, fileOutput, KEPT_RECORDINGS, memoryOutput, nextKeptRecording } from '../../src/recording/recording-sink.js';
import type { Runtime } from '../../src/runtimes/types.js';
import { FakeRuntime, ManualClock, probeLines, type FakeScript } from '../helpers/fake-runtime.js';
import { sessionOptions } from '../helpers/session.js';

const SECRET = 'sk-ant-oat01-recording-test-secret-0123456789abcdef';

function facts(command: string): SessionFacts {
  return {
    startedAt: '2026-12-01T00:00:00.000Z',
    command,
    host: { os: 'Linux', arch: 'x64', kernel: '6.1', user: 'me (uid 1000)' },
    runtimes: { docker: 'fake 1' },
  };
}

/** A session of fake runtimes on a manual clock, with `secrets` known to it as the planner would know them. */
function launchOf(modes: ModeId[], clock: ManualClock, script: FakeScript, secrets: string[] = []): Launch {
  const runtimes = Object.fromEntries(modes.map((mode) => [mode, new FakeRuntime(mode, clock, script)])) as unknown as Record<
    ModeId,
    Runtime
  >;
  const options = sessionOptions({ modes, secrets, prompt: `use ${secrets[0] ?? 'nothing'}` });
  return {
    secrets,
    unavailable: [],
    plan: planOf(options),
    start: (sessionId, emit) => startSession(options, { runtimes, now: clock.now, sessionId }, emit),
  };
}

async function recordSession(modes: ModeId[], script: FakeScript, secrets: string[] = [], command = 'cc-iso run') {
  const clock = new ManualClock();
  clock.t = 5000;
  const output = memoryOutput();
  const recorder = new SessionRecorder({
    targets: { json: null, markdown: null },
    write: async (target) => target,
    facts: () => facts(command),
    warn: () => {},
    recording: createRecording({
      now: clock.now,
      detections: modes.map((mode) => ({
        detection: { mode, available: true, runtime: 'fake', version: '1', details: [], reason: null, fix: null },
        ms: 12,
      })),
      terminal: { columns: 120, rows: 36 },
      output,
    }),
  });
  const session = await recorder.start(launchOf(modes, clock, script, secrets), () => {});
  await session.done;
  const results = await recorder.finish();
  return { text: output.lines.join(''), lines: output.lines, results };
}

describe('a recording', () => {
  it('starts with a versioned header, then detections, the plan, every event on a clock from 0, and the results', async () => {
    const { text, lines, results } = await recordSession(['host', 'docker'], { lines: probeLines(), exitAfter: 30, prepareMs: 200 });
    const header = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(header).toMatchObject({
      format: 'cc-iso-recording',
      version: RECORDING_VERSION,
      tool: { name: 'cc-iso' },
      startedAt: '2026-12-01T00:00:00.000Z',
      terminal: { columns: 120, rows: 36 },
    });
    const kinds = lines.slice(1).map((line) => (JSON.parse(line) as { kind: string }).kind);
    expect(kinds.slice(0, 2)).toEqual(['detections', 'launch']);
    expect(kinds.at(-1)).toBe('results');
    const times = lines.slice(1).map((line) => (JSON.parse(line) as { t: number }).t);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(times[0]).toBe(0);

    const recording = parseRecording(text);
    expect(recording.detections.map((d) => d.detection.mode)).toEqual(['host', 'docker']);
    expect(recording.launches[0]!.plan).toMatchObject({ modes: ['host', 'docker'], workload: 'probe', runs: 1 });
    const events = recording.launches[0]!.events;
    expect(events.map((e) => e.event.type)).toContain('output');
    // Event times are the engine's, relative to the start: prepare took 200 ms on the engine's clock.
    const running = events.find((e) => e.event.type === 'status' && e.event.status === 'starting')!;
    expect(running.t).toBe(200);
    expect(running.event).toMatchObject({ at: 200 });
    expect(recording.results).toEqual(JSON.parse(JSON.stringify(results)));
    expect(recording.durationMs).toBe(times.at(-1));
  });

  it('never holds a secret: not in output (even split by colours), nor in the command line or the prompt', async () => {
    const split = `${SECRET.slice(0, 20)}\u001B[31m${SECRET.slice(20)}\u001B[0m`;
    const script: FakeScript = {
      lines: [
        { after: 10, text: 'cc-iso-probe ready 1' },
        { after: 10, text: `token=${SECRET}` },
        { after: 10, text: `coloured token ${split}` },
      ],
      exitAfter: 10,
    };
    const { text } = await recordSession(['docker'], script, [SECRET], `cc-iso run --prompt ${SECRET}`);
    expect(text).not.toContain(SECRET);
    // As a person would read it: every string of every line, the colours gone.
    const readable = text
      .split('\n')
      .filter(Boolean)
      .flatMap((line) => strings(JSON.parse(line)))
      .map((value) => stripVTControlCharacters(value));
    expect(readable.join('\n')).not.toContain(SECRET);
    expect(readable.join('\n')).toContain('token=sk-a…cdef');
  });

  it('is refused with a clear reason when it is not a recording, garbled, or newer than this cc-iso', async () => {
    const { text } = await recordSession(['host'], { lines: probeLines(), exitAfter: 30 });
    expect(() => parseRecording('{"hello":1}\n')).toThrow(/not a cc-iso recording/);
    expect(() => parseRecording('hello\n')).toThrow(RecordingError);
    const lines = text.split('\n');
    expect(() => parseRecording([lines[0], '{oops', ...lines.slice(1)].join('\n'), 'r.ndjson')).toThrow(
      /r\.ndjson, line 2 is garbled/,
    );
    const newer = JSON.stringify({ ...JSON.parse(lines[0]!), version: RECORDING_VERSION + 1, tool: { name: 'cc-iso', version: '9.0.0' } });
    expect(() => parseRecording([newer, ...lines.slice(1)].join('\n'))).toThrow(/made by cc-iso 9\.0\.0 in recording format 2.*update cc-iso/);
    const unknownMode = text.replace(/"mode":"host"/g, '"mode":"vm9"');
    expect(() => parseRecording(unknownMode)).toThrow(/mode "vm9" is unknown/);
  });

  it('replays what a killed session left: the unfinished last line is dropped', async () => {
    const { text } = await recordSession(['host'], { lines: probeLines(), exitAfter: 30 });
    const cut = text.slice(0, text.lastIndexOf('{"kind":"results"') + 20);
    const recording = parseRecording(cut);
    expect(recording.results).toBeNull();
    expect(recording.launches[0]!.events.length).toBeGreaterThan(3);
  });

  it('keeps the last sessions in a folder, and writes files only its user can read', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cc-iso-kept-'));
    // A session that never started records nothing, and pushes no older recording out.
    await fileOutput(() => [nextKeptRecording(dir)], () => {}).close();
    expect(await readdir(dir)).toEqual([]);
    const made: string[] = [];
    for (let i = 0; i < KEPT_RECORDINGS + 2; i++) {
      const path = nextKeptRecording(dir, new Date(Date.UTC(2026, 0, 1, 0, 0, i)));
      const output = fileOutput(() => [path], () => {});
      output.write('x\n');
      await output.close();
      made.push(path);
    }
    const kept = (await readdir(dir)).sort();
    expect(kept).toHaveLength(KEPT_RECORDINGS);
    expect(kept.map((name) => join(dir, name))).toEqual(made.slice(-KEPT_RECORDINGS));
    expect(await readFile(made.at(-1)!, 'utf8')).toBe('x\n');
    const { stat } = await import('node:fs/promises');
    expect((await stat(made.at(-1)!)).mode & 0o077).toBe(0);
  });
});

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}
