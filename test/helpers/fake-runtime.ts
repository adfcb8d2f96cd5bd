import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ModeId } from '../../src/domain/modes.js';
import { markerFileName } from '../../src/workloads/types.js';
import type { Detection, ExecIO, ExecRequest, Isolation, PrepareOptions, Runtime } from '../../src/runtimes/types.js';

/** A clock the fake runtime advances, so every timing is exact. */
export class ManualClock {
  t = 0;
  now = () => this.t;
}

export interface ScriptLine {
  after: number;
  text: string;
}

export interface FakeScript {
  prepareMs?: number;
  /** Lines the preparation reports (an image build's progress). */
  prepareLines?: string[];
  prepareError?: string;
  lines?: ScriptLine[];
  /** Lines for a named step instead (`claude`, which runs after the probe); other steps print `lines`. */
  stepLines?: Partial<Record<string, ScriptLine[]>>;
  exitAfter?: number;
  exitCode?: number;
  /** Never ends on its own: only an abort ends it. */
  hang?: boolean;
  cleanupMs?: number;
  /** Names still there after dispose (a runtime that fails to clean up). */
  leftovers?: string[];
  /** Names still running when the command has exited (a sandbox's microVM). */
  runningAfterExit?: string[];
}

/**
 * A scripted Runtime: emits lines at exact clock times, writes the probe's marker file for real
 * (the engine checks it on the host), and ends as told.
 */
export class FakeRuntime implements Runtime<{ fake: true }> {
  readonly prepared: string[] = [];

  constructor(
    readonly mode: ModeId,
    private readonly clock: ManualClock,
    private readonly script: FakeScript,
  ) {}

  async detect(): Promise<Detection<{ fake: true }>> {
    return { mode: this.mode, available: true, runtime: 'fake', version: '1', details: [], reason: null, fix: null, facts: { fake: true } };
  }

  async prepare(options: PrepareOptions<{ fake: true }>): Promise<Isolation> {
    this.prepared.push(options.runId);
    // The engine hands back what detect() found: a runtime never detects twice.
    if (options.detection.facts?.fake !== true) throw new Error('prepare() was not handed this runtime\'s detection');
    for (const line of this.script.prepareLines ?? []) options.onLine(line);
    this.clock.t += this.script.prepareMs ?? 0;
    if (this.script.prepareError) throw new Error(this.script.prepareError);
    const { clock, script } = this;
    let disposed = false;
    return {
      workspaceInside: options.workspace,
      credentialPath: 'environment',
      networkNote: null,
      exec(request: ExecRequest, io: ExecIO) {
        const done = (async () => {
          const markerName = markerFileName(options.runId);
          for (const line of script.stepLines?.[request.step] ?? script.lines ?? []) {
            clock.t += line.after;
            const text = line.text.replace('{marker}', markerName);
            if (text.startsWith('cc-iso-probe marker ok')) await writeFile(join(options.workspace, markerName), 'x');
            io.onLine('stdout', text);
          }
          if (script.hang) {
            if (!io.signal.aborted) {
              await new Promise((resolve) => io.signal.addEventListener('abort', resolve, { once: true }));
            }
            return { exitCode: null, signal: 'SIGTERM' };
          }
          clock.t += script.exitAfter ?? 0;
          return { exitCode: script.exitCode ?? 0, signal: null };
        })();
        return { done };
      },
      async leftovers() {
        return disposed ? (script.leftovers ?? []) : [];
      },
      async runningAfterExit() {
        return script.runningAfterExit ?? [];
      },
      async dispose() {
        disposed = true;
        clock.t += script.cleanupMs ?? 0;
      },
    };
  }

  async clean(): Promise<string[]> {
    return [];
  }
}

/** The probe's lines as the real script prints them, 100 ms to the first and 350 ms to the last. */
export function probeLines(): ScriptLine[] {
  return [
    { after: 100, text: 'cc-iso-probe ready 1' },
    { after: 10, text: 'cc-iso-probe kernel 9.9.9-fake' },
    { after: 10, text: 'cc-iso-probe marker ok {marker}' },
    { after: 10, text: 'cc-iso-probe credentials-checked ' },
    { after: 10, text: 'cc-iso-probe npm-install ok is-number@7.0.0' },
    { after: 10, text: 'cc-iso-probe blocked-host blocked https://example.com/' },
    { after: 200, text: 'cc-iso-probe done ' },
  ];
}
