import { createWriteStream, mkdirSync, readdirSync, rmSync, type WriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { redact } from '../credentials/mask.js';
import type { ResultsFile } from '../domain/results.js';
import type { EngineEvent } from '../engine/events.js';
import type { LaunchPlan } from '../engine/plan-session.js';
import { TOOL_VERSION } from '../config/version.js';
import type { SessionFacts } from '../export/results-file.js';
import {
  headerLine,
  recordLine,
  RECORDING_FORMAT,
  RECORDING_VERSION,
  type RecordedDetection,
  type RecordLine,
} from './record-file.js';

/** What the session recorder tells a recording: it sees every session and event of both faces. */
export interface RecordingSink {
  /** The first session starts: the header (the facts, with these secrets masked) and the detections. */
  begin(facts: SessionFacts, secrets: string[]): void;
  /** A session starts (the first, or a rerun of `redoes`); returns the number its events carry. */
  launch(plan: LaunchPlan, redoes: string[], secrets: string[]): number;
  event(launch: number, event: EngineEvent): void;
  results(file: ResultsFile): void;
  /** Resolves once every line is written; later calls record nothing. */
  close(): Promise<void>;
  /** The recording as written so far (the app's save key). */
  text(): Promise<string>;
}

/** Where a recording's lines go. */
export interface LineOutput {
  write(text: string): void;
  close(): Promise<void>;
  text(): Promise<string>;
}

export interface RecordingOptions {
  /** The clock the engine stamps its events with (monotonic ms). */
  now(): number;
  detections: RecordedDetection[];
  terminal: { columns: number; rows: number } | null;
  output: LineOutput;
}

/**
 * Writes a recording as the session happens: every line stamped on the engine's clock relative to
 * the start (never going back), every text in it masked with the session's secrets. The engine
 * masks its output already; the header, the prompt and anything else pass the same mask here, so
 * a recording never holds a secret however it got into the session.
 */
export function createRecording(options: RecordingOptions): RecordingSink {
  let origin: number | null = null;
  let last = 0;
  let secrets: string[] = [];
  let launches = 0;
  let closed = false;
  const since = (at: number) => {
    last = Math.max(last, Math.round((at - (origin ?? at)) * 10) / 10);
    return last;
  };
  const masked = <T>(value: T): T => maskStrings(value, secrets);
  const write = (line: RecordLine) => {
    if (!closed) options.output.write(recordLine(masked(line)));
  };
  return {
    begin(facts, known) {
      if (origin !== null) return;
      origin = options.now();
      secrets = [...new Set([...secrets, ...known])];
      options.output.write(
        headerLine(
          masked({
            format: RECORDING_FORMAT,
            version: RECORDING_VERSION,
            tool: { name: 'cc-iso', version: TOOL_VERSION },
            startedAt: facts.startedAt,
            terminal: options.terminal,
            facts,
          }),
        ),
      );
      write({ kind: 'detections', t: 0, detections: options.detections });
    },
    launch(plan, redoes, known) {
      secrets = [...new Set([...secrets, ...known])];
      write({ kind: 'launch', t: since(options.now()), plan, redoes });
      return launches++;
    },
    event(launch, event) {
      if (origin === null) return;
      if (event.type === 'run-queued') return write({ kind: 'event', t: since(options.now()), launch, event });
      const t = since(event.at);
      write({ kind: 'event', t, launch, event: { ...event, at: t } });
    },
    results(file) {
      write({ kind: 'results', t: since(options.now()), results: file });
    },
    async close() {
      if (closed) return;
      closed = true;
      await options.output.close();
    },
    text: () => options.output.text(),
  };
}

/** Every string inside a JSON-like value, masked. */
function maskStrings<T>(value: T, secrets: readonly string[]): T {
  if (secrets.length === 0) return value;
  if (typeof value === 'string') return redact(value, secrets) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => maskStrings(item, secrets)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, maskStrings(item, secrets)])) as T;
  }
  return value;
}

/**
 * Lines to one or more files (the --record file, the app's kept copy), readable only by the user.
 * The files are chosen and opened at the first line, so a session that never starts leaves none
 * (and pushes no older recording out). A file that cannot be written is reported once and left
 * out; the session goes on.
 */
export function fileOutput(choosePaths: () => string[], warn: (message: string) => void): LineOutput {
  let streams: Map<string, WriteStream> | null = null;
  const open = () => {
    const opened = new Map<string, WriteStream>();
    for (const path of choosePaths()) {
      try {
        mkdirSync(dirname(path), { recursive: true });
      } catch {
        // The stream's error below says what is wrong.
      }
      const stream = createWriteStream(path, { mode: 0o600 });
      stream.on('error', (error) => {
        opened.delete(path);
        warn(`cannot record to ${path}: ${error.message}`);
      });
      opened.set(path, stream);
    }
    return opened;
  };
  return {
    write: (text) => {
      streams ??= open();
      for (const stream of streams.values()) stream.write(text);
    },
    close: async () => {
      await Promise.all([...(streams?.values() ?? [])].map((stream) => new Promise<void>((resolve) => stream.end(resolve))));
    },
    text: async () => {
      const [path, stream] = [...(streams?.entries() ?? [])][0] ?? [];
      if (!path || !stream) return '';
      // Whatever was written before this point is on disk once an empty write has gone through.
      if (!stream.writableFinished) await new Promise<void>((resolve) => stream.write('', () => resolve()));
      return readFile(path, 'utf8');
    },
  };
}

/** Lines kept in memory (tests, and a session asked to record nowhere but the save key). */
export function memoryOutput(): LineOutput & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    write: (text) => void lines.push(text),
    close: async () => {},
    text: async () => lines.join(''),
  };
}

/** How many sessions' recordings the app keeps in its data folder. */
export const KEPT_RECORDINGS = 5;

/**
 * A new file in the folder of kept recordings, named by when it started (so names sort by age);
 * the oldest go, so the folder holds the last KEPT_RECORDINGS sessions with this one.
 */
export function nextKeptRecording(dir: string, startedAt: Date = new Date()): string {
  let existing: string[] = [];
  try {
    existing = readdirSync(dir).filter((name) => name.endsWith('.ndjson')).sort();
  } catch {
    // No folder yet: fileOutput makes it.
  }
  for (const name of existing.slice(0, Math.max(0, existing.length - (KEPT_RECORDINGS - 1)))) {
    rmSync(join(dir, name), { force: true });
  }
  return join(dir, `${recordingStamp(startedAt)}.ndjson`);
}

/** "2026-05-01T10-20-30-123Z": a time that sorts, and is a file name everywhere. */
export function recordingStamp(date: Date): string {
  return date.toISOString().replace(/[:.]/g, '-');
}
