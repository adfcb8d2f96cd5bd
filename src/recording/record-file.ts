import { isModeId, isWorkloadId } from '../domain/modes.js';
import type { ResultsFile, RunRecord } from '../domain/results.js';
import type { EngineEvent } from '../engine/events.js';
import type { LaunchPlan } from '../engine/plan-session.js';
import type { SessionFacts } from '../export/results-file.js';
import type { Detection } from '../domain/detection.js';
import { parsePlacement } from '../domain/targets.js';

/**
 * A recording: versioned NDJSON. The first line is the header; every other line has a `kind` and
 * `t`, milliseconds on a monotonic clock since the recording started. Engine events keep their
 * shape, their `at` made relative to the same start, so a replay feeds them to the app unchanged.
 */
export const RECORDING_FORMAT = 'cc-iso-recording';
export const RECORDING_VERSION = 1;

export interface RecordingHeader {
  format: typeof RECORDING_FORMAT;
  version: number;
  tool: { name: 'cc-iso'; version: string };
  /** Wall-clock time the recording started. */
  startedAt: string;
  /** The terminal the session ran in, when it had one. */
  terminal: { columns: number; rows: number } | null;
  /** What the results file says about the machine and the command (secrets masked). */
  facts: SessionFacts;
}

/** One mode's detection and how long it took (null when not timed). */
export interface RecordedDetection {
  detection: Detection;
  ms: number | null;
}

export type RecordLine =
  | { kind: 'detections'; t: number; detections: RecordedDetection[] }
  /** A started session (the first, or a rerun of `redoes`); its events name it by `launch`, counted from 0. */
  | { kind: 'launch'; t: number; plan: LaunchPlan; redoes: string[] }
  | { kind: 'event'; t: number; launch: number; event: EngineEvent }
  | { kind: 'results'; t: number; results: ResultsFile };

export interface TimedEvent {
  t: number;
  event: EngineEvent;
}

export interface RecordedLaunch {
  t: number;
  plan: LaunchPlan;
  redoes: string[];
  events: TimedEvent[];
}

/** A recording as a replay reads it. */
export interface Recording {
  header: RecordingHeader;
  detections: RecordedDetection[];
  launches: RecordedLaunch[];
  /** The final results; null when the recorded session was cut short. */
  results: ResultsFile | null;
  /** Time of the last line. */
  durationMs: number;
}

/** A file that cannot be replayed, with the reason in words a person can act on. */
export class RecordingError extends Error {}

export function headerLine(header: RecordingHeader): string {
  return `${JSON.stringify(header)}\n`;
}

export function recordLine(line: RecordLine): string {
  return `${JSON.stringify(line)}\n`;
}

/** Reads a recording; throws a RecordingError for a file that is not one, garbled, or from a newer cc-iso. */
export function parseRecording(text: string, name = 'the recording'): Recording {
  const lines = text.split('\n');
  // A session killed mid-write leaves its last line unfinished: that line is dropped, the rest replays.
  if (!text.endsWith('\n') && lines.length > 1 && !parses(lines.at(-1)!)) lines.pop();
  const header = readHeader(lines[0] ?? '', name);
  const recording: Recording = { header, detections: [], launches: [], results: null, durationMs: 0 };
  lines.slice(1).forEach((raw, index) => {
    if (raw.trim() === '') return;
    const where = `${name}, line ${index + 2}`;
    const line = readLine(raw, where);
    recording.durationMs = Math.max(recording.durationMs, line.t);
    switch (line.kind) {
      case 'detections':
        recording.detections = line.detections;
        return;
      case 'launch':
        recording.launches.push({ t: line.t, plan: line.plan, redoes: line.redoes, events: [] });
        return;
      case 'event': {
        const launch = recording.launches[line.launch];
        if (!launch) throw new RecordingError(`${where}: an event of session ${line.launch}, which never started`);
        launch.events.push({ t: line.t, event: line.event });
        return;
      }
      case 'results':
        recording.results = line.results;
    }
  });
  if (recording.launches.length === 0) throw new RecordingError(`${name} holds no session: nothing to replay`);
  return recording;
}

/** Every run's final record in the recording, by run id. */
export function recordedRecords(recording: Recording): Map<string, RunRecord> {
  const records = new Map<string, RunRecord>();
  for (const launch of recording.launches) {
    for (const { event } of launch.events) if (event.type === 'run-finished') records.set(event.runId, event.record);
  }
  return records;
}

function parses(raw: string): boolean {
  try {
    JSON.parse(raw);
    return true;
  } catch {
    return false;
  }
}

function readHeader(raw: string, name: string): RecordingHeader {
  let header: Partial<RecordingHeader>;
  try {
    header = JSON.parse(raw) as Partial<RecordingHeader>;
  } catch {
    throw new RecordingError(`${name} is not a cc-iso recording (its first line is not JSON)`);
  }
  if (!header || header.format !== RECORDING_FORMAT) {
    throw new RecordingError(`${name} is not a cc-iso recording (no "${RECORDING_FORMAT}" header)`);
  }
  if (typeof header.version !== 'number' || !Number.isInteger(header.version) || header.version < 1) {
    throw new RecordingError(`${name} has a garbled header (version ${JSON.stringify(header.version)})`);
  }
  if (header.version > RECORDING_VERSION) {
    throw new RecordingError(
      `${name} was made by cc-iso ${header.tool?.version ?? '(unknown)'} in recording format ${header.version}; ` +
        `this cc-iso reads format ${RECORDING_VERSION}: update cc-iso to replay it`,
    );
  }
  if (typeof header.startedAt !== 'string' || !header.facts || typeof header.facts.command !== 'string') {
    throw new RecordingError(`${name} has a garbled header (startedAt or facts missing)`);
  }
  return header as RecordingHeader;
}

const LINE_KINDS = new Set(['detections', 'launch', 'event', 'results']);
const EVENT_TYPES = new Set(['run-queued', 'status', 'output', 'run-finished', 'session-finished']);

function readLine(raw: string, where: string): RecordLine {
  let line: RecordLine;
  try {
    line = JSON.parse(raw) as RecordLine;
  } catch {
    throw new RecordingError(`${where} is garbled (not JSON)`);
  }
  if (!line || !LINE_KINDS.has(line.kind) || typeof line.t !== 'number' || !Number.isFinite(line.t) || line.t < 0) {
    throw new RecordingError(`${where} is garbled (no known kind and time)`);
  }
  if (line.kind === 'launch') checkPlan(line.plan, where);
  if (line.kind === 'event') checkEvent(line, where);
  if (line.kind === 'detections' && !Array.isArray(line.detections)) throw new RecordingError(`${where}: garbled detections`);
  if (line.kind === 'detections') {
    for (const { detection } of line.detections) checkMode(detection?.mode, where);
  }
  return line;
}

function checkPlan(plan: LaunchPlan | undefined, where: string): void {
  if (!plan || !Array.isArray(plan.modes) || !isWorkloadId(String(plan.workload)) || !Number.isInteger(plan.runs)) {
    throw new RecordingError(`${where}: a garbled session plan`);
  }
  for (const mode of plan.modes) checkMode(mode, where);
  if (plan.targets === undefined) return;
  if (!Array.isArray(plan.targets)) throw new RecordingError(`${where}: a garbled session plan`);
  for (const label of plan.targets) {
    try {
      parsePlacement(String(label));
    } catch (error) {
      throw new RecordingError(`${where}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

function checkEvent(line: Extract<RecordLine, { kind: 'event' }>, where: string): void {
  const event = line.event;
  if (!Number.isInteger(line.launch) || !event || !EVENT_TYPES.has(event.type)) {
    throw new RecordingError(`${where}: a garbled engine event`);
  }
  if (event.type === 'run-queued') checkMode(event.run?.mode, where);
  if (event.type !== 'run-queued' && event.type !== 'session-finished' && typeof event.runId !== 'string') {
    throw new RecordingError(`${where}: an engine event without its run`);
  }
}

/** A mode this cc-iso does not know cannot be shown: say so rather than drop its runs. */
function checkMode(mode: unknown, where: string): void {
  if (typeof mode !== 'string' || !isModeId(mode)) {
    throw new RecordingError(`${where}: mode ${JSON.stringify(mode)} is unknown to this cc-iso; update cc-iso to replay it`);
  }
}
