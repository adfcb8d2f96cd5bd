import { readFileSync } from 'node:fs';
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { castText, renderCast } from '../../src/app/cast.js';
import { createReplayEngine } from '../../src/cli/replay-engine.js';
import { replayOptions } from '../../src/cli/replay.js';
import { parseRecording } from '../../src/recording/record-file.js';

const recording = parseRecording(
  readFileSync(new URL('../fixtures/recordings/probe-host-docker-podman.ndjson', import.meta.url), 'utf8'),
);

/** The frames a player shows: what the app wrote between the start and end of each synchronized update. */
function frames(events: [number, string, string][]): string[] {
  const all: string[] = [];
  let current: string | null = null;
  for (const [, , data] of events) {
    if (data.includes('\u001B[?2026h')) current = '';
    else if (data.includes('\u001B[?2026l')) {
      if (current !== null) all.push(current);
      current = null;
    } else if (current !== null) current += data;
  }
  return all;
}

describe('a replay rendered as an asciicast', () => {
  it('is asciicast v2: a header line, then [time, "o", data] lines in time order, no frame taller than its terminal', async () => {
    const started = performance.now();
    const cast = await renderCast(
      (time) => {
        const engine = createReplayEngine(recording, { speed: 10, real: time });
        return { engine, clock: engine.clock };
      },
      replayOptions(recording),
      { columns: 100, rows: 30, startedAt: recording.header.startedAt, playMs: recording.durationMs / 10 },
    );
    // Faked time: the 15 s session at ×10 renders far faster than it plays.
    expect(performance.now() - started).toBeLessThan(15_000);
    const [headerLine, ...eventLines] = castText(cast).trimEnd().split('\n');
    const header = JSON.parse(headerLine!) as Record<string, unknown>;
    expect(header).toMatchObject({ version: 2, width: 100, height: 30 });
    expect(Number.isInteger(header.timestamp)).toBe(true);
    expect(header.timestamp).toBe(Math.floor(Date.parse(recording.header.startedAt) / 1000));
    const events = eventLines.map((line) => JSON.parse(line) as [number, string, string]);
    expect(events.length).toBeGreaterThan(20);
    let previous = 0;
    for (const event of events) {
      expect(event).toHaveLength(3);
      const [time, code, data] = event;
      expect(typeof time).toBe('number');
      expect(time).toBeGreaterThanOrEqual(previous);
      expect(code).toBe('o');
      expect(typeof data).toBe('string');
      previous = time;
    }
    // It plays at ×10: detection (at most 1.5 s), a tenth of the session, 3 s on the results.
    const end = events.at(-1)![0];
    expect(end).toBeGreaterThan(recording.durationMs / 10 / 1000);
    expect(end).toBeLessThan(recording.durationMs / 10 / 1000 + 1.5 + 3 + 0.5);
    const shown = frames(events).map((frame) => stripVTControlCharacters(frame));
    expect(shown.length).toBeGreaterThan(5);
    for (const frame of shown) expect(frame.replace(/\n$/, '').split('\n').length).toBeLessThanOrEqual(30);
    expect(shown.some((frame) => /docker #1\/2 ● running/.test(frame))).toBe(true);
    expect(shown.at(-1)).toContain(recording.results!.recommendation!.slice(0, 40));
  });
});
