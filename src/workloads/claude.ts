import type { ClaudeSummary } from '../domain/results.js';
import type { ExecOutcome, OutputStream } from '../runtimes/types.js';
import { formatClaudeEvent, parseClaudeLine } from './claude-stream.js';
import type { Moment, Reading, StepEnd, StepInterpreter } from './types.js';

/**
 * `claude -p` with the event stream. The permission mode lets it edit inside the isolation:
 * bypass inside a container or sandbox (the isolation is the guard), only acceptEdits on the
 * host, where nothing else protects the machine.
 */
export function claudeArgv(prompt: string, isolated: boolean): string[] {
  return [
    'claude', '-p', prompt,
    '--output-format', 'stream-json', '--verbose',
    '--permission-mode', isolated ? 'bypassPermissions' : 'acceptEdits',
  ];
}

/** Turns Claude's NDJSON events into readable lines and records the moments and the result. */
export class ClaudeInterpreter implements StepInterpreter {
  private summary: ClaudeSummary | null = null;
  /** Claude's own words when the run failed ("Invalid API key · …", "Not logged in · …"). */
  private errorText: string | null = null;
  private version: string | null = null;
  /** The init and result events, in words, as evidence for the report. */
  private readonly evidence: Record<string, string> = {};
  private cwd: string | null = null;

  take(stream: OutputStream, text: string, at: number): Reading {
    const events = stream === 'stdout' ? parseClaudeLine(text) : [];
    if (events.length === 0) {
      if (text.trim() === '') return { lines: [], moments: [] };
      // An event cut short (the process was killed mid-write): say so rather than print raw JSON.
      if (stream === 'stdout' && text.trimStart().startsWith('{"')) {
        return { lines: [`… an incomplete event line (${text.length} characters)`], moments: [] };
      }
      return { lines: [text], moments: [] };
    }
    const shown: string[] = [];
    const moments: Moment[] = [];
    for (const event of events) {
      switch (event.kind) {
        case 'init':
          moments.push({ kind: 'ready', at });
          this.version = event.version;
          this.cwd = event.cwd;
          this.evidence.auth = `system/init: apiKeySource ${event.apiKeySource ?? '?'}, model ${event.model ?? '?'}`;
          this.evidence.ready = `system/init: claude-code ${event.version ?? '?'}`;
          break;
        case 'assistant-text':
        case 'tool-use':
          moments.push({ kind: 'first-output', at });
          break;
        case 'result':
          moments.push({ kind: 'result', at });
          this.summary = {
            numTurns: event.numTurns,
            durationMs: event.durationMs,
            durationApiMs: event.durationApiMs,
            totalCostUsd: event.totalCostUsd,
            isError: event.isError,
          };
          if (event.isError) this.errorText = event.text;
          this.evidence.result =
            `result: is_error ${event.isError}, ${event.numTurns ?? '?'} turn(s), duration_ms ${event.durationMs ?? '?'}`;
          break;
        default:
          break;
      }
      const line = formatClaudeEvent(event, { cwd: this.cwd });
      if (line !== null) shown.push(line);
    }
    return { lines: shown, moments };
  }

  /** Claude exits 0 on ctrl-c too, so only a result event with is_error false is a pass. */
  finish(outcome: ExecOutcome): StepEnd {
    const { summary } = this;
    let failure = this.errorText;
    if (outcome.exitCode === 0 && !summary) failure = 'claude ended without a result event';
    else if (outcome.exitCode === 0 && summary?.isError) failure = this.errorText ?? 'claude reported an error';
    else if (outcome.exitCode === 0) failure = null;
    return {
      lines: [],
      moments: [],
      failure,
      contribution: { claude: { summary, version: this.version }, evidence: this.evidence },
    };
  }
}
