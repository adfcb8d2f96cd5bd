import type { ResultsFile, RunRecord } from '../domain/results.js';
import type { EngineEvent } from '../engine/events.js';
import { registerLiveSession } from '../engine/live-sessions.js';
import type { Launch } from '../engine/plan-session.js';
import type { Session } from '../engine/session.js';
import { EXPORT_KINDS, exportContent, exportWriter, type ExportKind, type ExportTargets } from '../export/export-files.js';
import { buildResultsFile, type SessionFacts } from '../export/results-file.js';
import type { RecordingSink } from './recording-sink.js';

export interface RecorderDeps {
  /** The --json / --markdown targets; `-` is stdout, written once, when the session has finished. */
  targets: ExportTargets;
  /** Writes one export; resolves with where it went. */
  write(target: string, content: string): Promise<string>;
  /** The environment the results record, with these secrets masked in the command line. */
  facts(secrets: string[]): SessionFacts;
  /** Hears about a rewrite that failed mid-session (the runs go on). */
  warn(message: string): void;
  /** Where the session is recorded for replay, if anywhere. */
  recording?: RecordingSink;
}

/** Thrown when an export target cannot be written before any run has started. */
export class ExportTargetError extends Error {}

/**
 * One recorded session, for both faces: it starts the planned engine sessions (the app's reruns
 * join the same recording), keeps their records in plan order, registers each as live while it
 * runs, and rewrites the exports after every finished run, so an interrupted session keeps what
 * it measured. The only caller of the export writer.
 */
export class SessionRecorder {
  /** Run ids in plan order; a rerun takes the places of the runs it redoes. */
  private readonly order: string[] = [];
  private readonly records = new Map<string, RunRecord>();
  private facts: SessionFacts | null = null;
  private readonly writeFiles: (file: ResultsFile) => Promise<void>;
  /** The rewrite in flight, and whether another is due once it lands (rewrites coalesce). */
  private writing: Promise<void> | null = null;
  private dirty = false;
  private live = 0;

  constructor(private readonly deps: RecorderDeps) {
    const files = Object.fromEntries(EXPORT_KINDS.map((kind) => [kind, skipStdout(deps.targets[kind] ?? null)]));
    this.writeFiles = exportWriter(files, deps.write);
  }

  /**
   * Starts a planned session and records it. The first start writes the exports once before any
   * run, so a target that cannot be written is found now (ExportTargetError), not after the runs.
   * `redoes`: the earlier runs this session repeats; its runs take their places in the results.
   */
  async start(launch: Launch, listener: (event: EngineEvent) => void, redoes: string[] = []): Promise<Session> {
    if (!this.facts) {
      this.facts = this.deps.facts(launch.secrets);
      this.deps.recording?.begin(this.facts, launch.secrets);
      await this.writeFiles(this.results(false)).catch((error: unknown) => {
        throw new ExportTargetError(`cannot write the results: ${messageOf(error)}`);
      });
    }
    const slots = redoes.map((id) => this.order.indexOf(id)).filter((index) => index >= 0);
    for (const id of redoes) this.records.delete(id);
    const { id, unregister } = registerLiveSession();
    this.live += 1;
    const recording = this.deps.recording;
    const number = recording?.launch(launch.plan, redoes, launch.secrets) ?? 0;
    const session = launch.start(id, (event) => {
      recording?.event(number, event);
      if (event.type === 'run-queued') this.place(event.run.id, slots);
      if (event.type === 'run-finished') {
        this.records.set(event.runId, event.record);
        this.rewrite();
      }
      listener(event);
    });
    void session.done.finally(() => {
      unregister();
      this.live -= 1;
    });
    return session;
  }

  /** The results so far; `finished` once every session has ended. */
  results(finished: boolean): ResultsFile {
    if (!this.facts) throw new Error('no session has started');
    const records = this.order.flatMap((id) => this.records.get(id) ?? []);
    return buildResultsFile(this.facts, records, finished);
  }

  /** Writes the final exports, stdout (`-`) included, once every session has ended. */
  async finish(): Promise<ResultsFile> {
    await this.settled();
    const file = this.results(true);
    await this.writeFiles(file);
    for (const kind of EXPORT_KINDS) {
      if (this.deps.targets[kind] === '-') await this.deps.write('-', exportContent(file, kind));
    }
    this.deps.recording?.results(file);
    await this.deps.recording?.close();
    return file;
  }

  /** The recording so far, or null when the session is not recorded. */
  recordingText(): Promise<string> | null {
    return this.deps.recording?.text() ?? null;
  }

  /** e / j in the app: one export, now, to `target`. */
  save(kind: ExportKind, target: string): Promise<string> {
    return this.deps.write(target, exportContent(this.results(this.live === 0), kind));
  }

  /** Resolves once the latest rewrite has landed (a failed one rejects). */
  async settled(): Promise<void> {
    while (this.writing) await this.writing;
  }

  private place(runId: string, slots: number[]): void {
    const slot = slots.shift();
    if (slot === undefined) this.order.push(runId);
    else this.order[slot] = runId;
  }

  /** A rewrite while one is in flight only marks the files stale: a long session writes O(runs) times at most. */
  private rewrite(): void {
    if (this.writing) {
      this.dirty = true;
      return;
    }
    this.writing = this.writeFiles(this.results(false))
      .catch((error: unknown) => this.deps.warn(`could not write the results: ${messageOf(error)}`))
      .finally(() => {
        this.writing = null;
        if (this.dirty) {
          this.dirty = false;
          this.rewrite();
        }
      });
  }
}

function skipStdout(target: string | null): string | null {
  return target === '-' ? null : target;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
