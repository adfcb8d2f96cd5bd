/**
 * A tolerant reader for Claude Code's `-p --output-format stream-json --verbose` lines.
 * Pure: no I/O. Shapes observed with @anthropic-ai/claude-code 2.1.332 (see
 * test/fixtures/claude-stream/); unknown fields are ignored, unknown event types become
 * `{kind:'unknown'}`, and lines that are not JSON objects (noise, a truncated last line) give [].
 */

import { formatDuration } from '../domain/duration.js';

export interface ClaudeInitEvent {
  kind: 'init';
  model: string | null;
  cwd: string | null;
  version: string | null;
  /** "ANTHROPIC_API_KEY" with an API key, "none" with token auth. */
  apiKeySource: string | null;
  permissionMode: string | null;
  sessionId: string | null;
}

export interface ClaudeAssistantTextEvent {
  kind: 'assistant-text';
  text: string;
  /** The CLI's synthetic message for an API error (its text is repeated in the result). */
  isApiError: boolean;
}

export interface ClaudeToolUseEvent {
  kind: 'tool-use';
  name: string;
  /** The main argument (file path, command, pattern, url, …), one line, at most ~120 chars. */
  summary: string;
  id: string | null;
}

export interface ClaudeToolResultEvent {
  kind: 'tool-result';
  ok: boolean;
  /** First non-empty line of the tool's output, short. */
  summary: string;
  toolUseId: string | null;
}

export interface ClaudeApiRetryEvent {
  kind: 'api-retry';
  attempt: number | null;
  maxRetries: number | null;
  delayMs: number | null;
  /** HTTP status, null for connection errors. */
  status: number | null;
  /** authentication_failed | server_error | overloaded | unknown | … */
  error: string | null;
}

/** The CLI interrupted the turn (SIGINT): a user line "[Request interrupted by user]". */
export interface ClaudeInterruptedEvent {
  kind: 'interrupted';
  text: string;
}

export interface ClaudeResultEvent {
  kind: 'result';
  /** Test this, not `subtype`: API errors come as subtype "success" with is_error true. */
  isError: boolean;
  /** The final text, the error text, or (when there is none) the errors / terminal reason. */
  text: string;
  numTurns: number | null;
  durationMs: number | null;
  durationApiMs: number | null;
  totalCostUsd: number | null;
  subtype: string | null;
  /** completed | api_error | max_turns | aborted_streaming | … */
  terminalReason: string | null;
  apiErrorStatus: number | null;
  permissionDenials: number;
  sessionId: string | null;
}

export interface ClaudeUnknownEvent {
  kind: 'unknown';
  /** "type" or "type/subtype" of the line, when it had one. */
  type: string | null;
}

export type ClaudeEvent =
  | ClaudeInitEvent
  | ClaudeAssistantTextEvent
  | ClaudeToolUseEvent
  | ClaudeToolResultEvent
  | ClaudeApiRetryEvent
  | ClaudeInterruptedEvent
  | ClaudeResultEvent
  | ClaudeUnknownEvent;

export type ClaudeEventKind = ClaudeEvent['kind'];

// ---------------------------------------------------------------------------------------------

type Obj = Record<string, unknown>;

const SUMMARY_MAX = 120;
const RESULT_SUMMARY_MAX = 100;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}
function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** Collapse whitespace runs inside a line and newlines to ' ⏎ '. */
export function oneLine(text: string): string {
  return text
    .split(/\r?\n/)
    .map((l) => l.replace(/\s+/g, ' ').trim())
    .filter((l) => l.length > 0)
    .join(' ⏎ ');
}

export function truncate(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

const MAIN_ARG: Record<string, readonly string[]> = {
  Write: ['file_path'],
  Edit: ['file_path'],
  MultiEdit: ['file_path'],
  Read: ['file_path'],
  NotebookEdit: ['notebook_path', 'file_path'],
  NotebookRead: ['notebook_path'],
  Bash: ['command'],
  BashOutput: ['bash_id', 'shell_id'],
  Grep: ['pattern'],
  Glob: ['pattern'],
  LS: ['path'],
  WebFetch: ['url'],
  WebSearch: ['query'],
  Task: ['description', 'prompt'],
  Agent: ['description', 'prompt'],
  TodoWrite: [],
  Skill: ['skill', 'command'],
  ToolSearch: ['query'],
};

/** The one argument worth showing for a tool call. */
export function toolSummary(name: string, input: unknown): string {
  if (!isObj(input)) return '';
  let value: string | null = null;
  for (const key of MAIN_ARG[name] ?? []) {
    value = str(input[key]);
    if (value) break;
  }
  if (!value) {
    for (const v of Object.values(input)) {
      if (typeof v === 'string' && v.trim().length > 0) {
        value = v;
        break;
      }
    }
  }
  if (!value && name === 'TodoWrite' && Array.isArray(input.todos)) value = `${input.todos.length} todos`;
  return truncate(oneLine(value ?? ''), SUMMARY_MAX);
}

function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((b) => (isObj(b) ? (str(b.text) ?? (b.type === 'image' ? '[image]' : '')) : typeof b === 'string' ? b : ''))
      .filter((t) => t.length > 0)
      .join('\n');
  }
  return '';
}

function firstLine(text: string): string {
  const line = text.split(/\r?\n/).find((l) => l.trim().length > 0) ?? '';
  return truncate(line.replace(/\s+/g, ' ').trim(), RESULT_SUMMARY_MAX);
}

function typeName(o: Obj): string | null {
  const t = str(o.type);
  if (!t) return null;
  const s = str(o.subtype);
  return s ? `${t}/${s}` : t;
}

function fromAssistant(o: Obj): ClaudeEvent[] {
  const message = isObj(o.message) ? o.message : {};
  const isApiError = o.is_api_error_message === true;
  const out: ClaudeEvent[] = [];
  const content = message.content;
  const blocks = Array.isArray(content) ? content : typeof content === 'string' ? [{ type: 'text', text: content }] : [];
  for (const b of blocks) {
    if (!isObj(b)) continue;
    if (b.type === 'text') {
      const text = str(b.text) ?? '';
      if (text.trim().length > 0) out.push({ kind: 'assistant-text', text, isApiError });
    } else if (b.type === 'tool_use' || b.type === 'server_tool_use') {
      const name = str(b.name) ?? '?';
      out.push({ kind: 'tool-use', name, summary: toolSummary(name, b.input), id: str(b.id) });
    }
    // thinking / redacted_thinking / others: not shown
  }
  return out;
}

function fromUser(o: Obj): ClaudeEvent[] {
  const message = isObj(o.message) ? o.message : {};
  const content = message.content;
  const out: ClaudeEvent[] = [];
  if (Array.isArray(content)) {
    for (const b of content) {
      if (!isObj(b)) continue;
      if (b.type === 'tool_result') {
        out.push({
          kind: 'tool-result',
          ok: b.is_error !== true,
          summary: firstLine(contentText(b.content)),
          toolUseId: str(b.tool_use_id),
        });
      } else if (b.type === 'text') {
        const text = str(b.text) ?? '';
        if (/^\[Request interrupted/.test(text.trim())) out.push({ kind: 'interrupted', text: text.trim() });
      }
    }
  } else if (typeof content === 'string' && /^\[Request interrupted/.test(content.trim())) {
    out.push({ kind: 'interrupted', text: content.trim() });
  }
  return out;
}

function resultText(o: Obj): string {
  const r = str(o.result);
  if (r !== null) return r;
  const errors = Array.isArray(o.errors)
    ? o.errors.filter((e): e is string => typeof e === 'string' && !e.startsWith('[ede_diagnostic]'))
    : [];
  if (errors.length > 0) return errors.join('; ');
  return str(o.terminal_reason) ?? str(o.subtype) ?? '';
}

function fromResult(o: Obj): ClaudeResultEvent {
  const subtype = str(o.subtype);
  return {
    kind: 'result',
    isError: typeof o.is_error === 'boolean' ? o.is_error : subtype !== 'success',
    text: resultText(o),
    numTurns: num(o.num_turns),
    durationMs: num(o.duration_ms),
    durationApiMs: num(o.duration_api_ms),
    totalCostUsd: num(o.total_cost_usd),
    subtype,
    terminalReason: str(o.terminal_reason),
    apiErrorStatus: num(o.api_error_status),
    permissionDenials: Array.isArray(o.permission_denials) ? o.permission_denials.length : 0,
    sessionId: str(o.session_id),
  };
}

/** Events from one already-parsed stream-json object. */
export function parseClaudeObject(o: unknown): ClaudeEvent[] {
  if (!isObj(o)) return [];
  const type = str(o.type);
  let out: ClaudeEvent[] = [];
  switch (type) {
    case 'system':
      if (o.subtype === 'init') {
        return [
          {
            kind: 'init',
            model: str(o.model),
            cwd: str(o.cwd),
            version: str(o.claude_code_version),
            apiKeySource: str(o.apiKeySource),
            permissionMode: str(o.permissionMode),
            sessionId: str(o.session_id),
          },
        ];
      }
      if (o.subtype === 'api_retry') {
        return [
          {
            kind: 'api-retry',
            attempt: num(o.attempt),
            maxRetries: num(o.max_retries),
            delayMs: num(o.retry_delay_ms),
            status: num(o.error_status),
            error: str(o.error),
          },
        ];
      }
      break;
    case 'assistant':
      out = fromAssistant(o);
      break;
    case 'user':
      out = fromUser(o);
      break;
    case 'result':
      return [fromResult(o)];
    default:
      break;
  }
  return out.length > 0 ? out : [{ kind: 'unknown', type: typeName(o) }];
}

/**
 * Events from one stdout line. [] for blank lines, non-JSON noise and a truncated line;
 * `{kind:'unknown'}` for valid JSON of a type this reader does not know; an assistant line
 * with several content blocks gives several events.
 */
export function parseClaudeLine(line: string): ClaudeEvent[] {
  const t = line.trim();
  if (!t.startsWith('{') || !t.endsWith('}')) return [];
  let value: unknown;
  try {
    value = JSON.parse(t);
  } catch {
    return [];
  }
  return parseClaudeObject(value);
}

// ---------------------------------------------------------------------------------------------
// display

export interface FormatOptions {
  /** The run's working directory: file paths under it are shown relative. */
  cwd?: string | null;
  /** Max characters of assistant / result text. Default 160. */
  maxText?: number;
}

const PATH_TOOLS = new Set(['Write', 'Edit', 'MultiEdit', 'Read', 'NotebookEdit', 'NotebookRead', 'LS']);

function relativePath(p: string, cwd: string | null | undefined): string {
  if (!cwd) return p;
  const base = cwd.endsWith('/') ? cwd : `${cwd}/`;
  if (p === cwd) return '.';
  return p.startsWith(base) ? p.slice(base.length) : p;
}

/** One readable line for a person, or null for events not worth showing. */
export function formatClaudeEvent(e: ClaudeEvent, opts: FormatOptions = {}): string | null {
  const maxText = opts.maxText ?? 160;
  switch (e.kind) {
    case 'init': {
      const parts = [`● init claude-code ${e.version ?? '?'}`];
      if (e.model) parts.push(`model ${e.model}`);
      if (e.permissionMode) parts.push(e.permissionMode);
      return parts.join(' · ');
    }
    case 'assistant-text':
      // The synthetic API-error message repeats in the result line; show it once, there.
      if (e.isApiError) return null;
      return `✎ ${truncate(oneLine(e.text), maxText)}`;
    case 'tool-use': {
      const summary = PATH_TOOLS.has(e.name) ? relativePath(e.summary, opts.cwd) : e.summary;
      return summary ? `→ ${e.name} ${summary}` : `→ ${e.name}`;
    }
    case 'tool-result':
      return `← ${e.ok ? 'ok' : 'error'}${e.summary ? ` ${e.summary}` : ''}`;
    case 'api-retry': {
      const of = e.maxRetries !== null ? `/${e.maxRetries}` : '';
      const delay = e.delayMs !== null ? ` in ${formatDuration(e.delayMs)}` : '';
      const why = [e.status !== null ? String(e.status) : null, e.error].filter((x) => x).join(' ');
      return `↻ retry ${e.attempt ?? '?'}${of}${delay}${why ? ` (${why})` : ''}`;
    }
    case 'interrupted':
      return `■ ${e.text}`;
    case 'result': {
      if (e.isError) return `✗ error: ${truncate(oneLine(e.text), maxText) || 'unknown error'}`;
      const parts = [`✓ result: ${truncate(oneLine(e.text), maxText)}`];
      if (e.numTurns !== null) parts.push(`${e.numTurns} turn${e.numTurns === 1 ? '' : 's'}`);
      if (e.totalCostUsd !== null) parts.push(`$${e.totalCostUsd.toFixed(4)}`);
      if (e.durationMs !== null) parts.push(formatDuration(e.durationMs));
      return parts.join(' · ');
    }
    case 'unknown':
      return null;
  }
}
