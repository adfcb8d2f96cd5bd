/**
 * A local mock of the Anthropic Messages API, good enough for the real Claude Code CLI
 * (verified with @anthropic-ai/claude-code 2.1.332) to run `-p` end to end, tool loops included.
 *
 * node:http only, no dependencies. Stateless per request: the answer depends only on the
 * scenario (taken from a `/s/<scenario>` prefix in the base URL) and on the messages array.
 *
 * Scenarios (ANTHROPIC_BASE_URL=<url>/s/<name>):
 *   text      (default) one text answer
 *   write     turn 1: text + tool_use Write `<cwd>/notes.txt` (3 lines); after the tool_result: "Done."
 *   bash      turn 1: text + tool_use Bash (echo into bash.txt, pwd); after the tool_result: "Done."
 *   401       401 authentication_error "invalid x-api-key" (what the real API says), which the CLI
 *             shows as "Invalid API key · Fix external API key"
 *   500       500 api_error
 *   529       529 overloaded_error
 *   slow      streams text, one delta per 500 ms for ~30 s (to cancel mid-stream)
 *   hang      reads the request and never answers
 *   nostream  200 with a non-SSE body to a streaming request (the CLI then retries with stream:false)
 *
 * Secrets: only the kind, the length and a fingerprint (the first 12 hex digits of SHA-256) of the
 * credential header are recorded, never the value: enough to tell which token arrived.
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import zlib from 'node:zlib';

export const MOCK_SCENARIOS = ['text', 'write', 'bash', '401', '500', '529', 'slow', 'hang', 'nostream'] as const;
export type MockScenario = (typeof MOCK_SCENARIOS)[number];

export const MOCK_MODEL_FALLBACK = 'claude-opus-5-5';
export const MOCK_TEXT_ANSWER = 'hi from the mock';
export const MOCK_WRITE_CONTENT = 'line one from the mock\nline two from the mock\nline three from the mock\n';
export const MOCK_BASH_COMMAND = 'echo hello from the mock > bash.txt && pwd';
/**
 * What the real API says on a bad key. The CLI (2.1.332) maps this body to its own text
 * "Invalid API key · Fix external API key"; any other message shows up as
 * "Failed to authenticate. API Error: 401 <message>".
 */
export const MOCK_401_API_KEY_MESSAGE = 'invalid x-api-key';
export const MOCK_401_BEARER_MESSAGE = 'Invalid bearer token';
/** The CLI's result text for the `401` scenario with ANTHROPIC_API_KEY. */
export const CLI_401_RESULT_TEXT = 'Invalid API key · Fix external API key';

export type AuthKind = 'x-api-key' | 'bearer' | 'other' | 'none';

export interface RecordedRequest {
  /** Sequence number, from 1. */
  seq: number;
  /** ms since epoch when the request arrived. */
  at: number;
  method: string;
  /** Full path as received, without the query string (e.g. `/s/write/v1/messages`). */
  path: string;
  /** The query string without '?', '' when none (the CLI sends `beta=true`). */
  query: string;
  /** The endpoint after the scenario prefix (e.g. `/v1/messages`). */
  endpoint: string;
  /** Scenario name from the path prefix (`text` when none). Unknown names are kept as given. */
  scenario: string;
  /** Which credential header was sent, how long its value is and its fingerprint. Never the value. */
  auth: { kind: AuthKind; length: number; fingerprint: string | null };
  /** Length of `messages` in the JSON body, 0 when absent or not JSON. */
  messageCount: number;
  /** `body.stream === true`. */
  stream: boolean;
  /** `body.model` when it is a string. */
  model: string | null;
  /** Whether the last user message carries a tool_result block (i.e. a tool round). */
  hasToolResult: boolean;
  /** The text blocks of the first user message: the prompt is one of them (with system reminders). */
  promptTexts: string[];
  /** Body size in bytes (after decoding). */
  bodyBytes: number;
  /** HTTP status sent, null while pending or never answered (hang). */
  status: number | null;
  userAgent: string | null;
}

export interface MockAnthropicOptions {
  /** Interface to listen on. Default 127.0.0.1; use 0.0.0.0 for containers on a bridge. */
  host?: string;
  /** Port, 0 (default) = random free port. */
  port?: number;
  /** Scenario used when the path has no `/s/<scenario>` prefix. Default `text`. */
  defaultScenario?: MockScenario;
  /** Interval between deltas in the `slow` scenario. Default 500 ms. */
  slowDeltaMs?: number;
  /** Number of deltas in the `slow` scenario. Default 60 (~30 s at 500 ms). */
  slowDeltas?: number;
  /** Called once per request after it has been recorded (status filled in later). */
  onRequest?: (r: RecordedRequest) => void;
}

export interface MockAnthropic {
  /** `http://127.0.0.1:<port>` (loopback even when listening on 0.0.0.0). No trailing slash. */
  url: string;
  port: number;
  /** Every request, in arrival order. */
  requests: RecordedRequest[];
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// helpers

type Json = unknown;
type Block = { type: 'text'; text: string } | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> };

interface Reply {
  blocks: Block[];
  stopReason: 'end_turn' | 'tool_use';
}

let idCounter = 0;
function mockId(prefix: string): string {
  idCounter += 1;
  return `${prefix}_mock${Date.now().toString(36)}${idCounter.toString(36)}`;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The first 12 hex digits of the value's SHA-256 (as the probe prints them). */
export function mockFingerprint(value: string): string {
  return createHash('sha256').update(value).digest('hex').slice(0, 12);
}

function authOf(headers: http.IncomingHttpHeaders): RecordedRequest['auth'] {
  const seen = (kind: AuthKind, value: string) => ({ kind, length: value.length, fingerprint: mockFingerprint(value) });
  const key = headers['x-api-key'];
  if (typeof key === 'string' && key.length > 0) return seen('x-api-key', key);
  const authz = headers.authorization;
  if (typeof authz === 'string' && authz.length > 0) {
    const m = /^bearer\s+(.*)$/i.exec(authz);
    return m ? seen('bearer', m[1] ?? '') : seen('other', authz);
  }
  return { kind: 'none', length: 0, fingerprint: null };
}

function splitScenario(pathname: string, fallback: string): { scenario: string; endpoint: string } {
  const m = /^\/s\/([^/]+)(\/.*)?$/.exec(pathname);
  if (!m) return { scenario: fallback, endpoint: pathname };
  return { scenario: decodeURIComponent(m[1] ?? fallback), endpoint: m[2] ?? '/' };
}

function decodeBody(buf: Buffer, encoding: string | undefined): Buffer {
  try {
    switch ((encoding ?? '').toLowerCase()) {
      case 'gzip':
      case 'x-gzip':
        return zlib.gunzipSync(buf);
      case 'deflate':
        return zlib.inflateSync(buf);
      case 'br':
        return zlib.brotliDecompressSync(buf);
      case 'zstd': {
        // zstd support arrived in Node 22.15/23.8; use it when present.
        const z = zlib as unknown as { zstdDecompressSync?: (b: Buffer) => Buffer };
        return z.zstdDecompressSync ? z.zstdDecompressSync(buf) : buf;
      }
      default:
        return buf;
    }
  } catch {
    return buf;
  }
}

/** Walk every string in a JSON value. */
function* strings(v: Json, depth = 0): Generator<string> {
  if (depth > 20) return;
  if (typeof v === 'string') yield v;
  else if (Array.isArray(v)) for (const x of v) yield* strings(x, depth + 1);
  else if (isObject(v)) for (const x of Object.values(v)) yield* strings(x, depth + 1);
}

/** The CLI's working directory, from "Primary working directory: …" (full prompt) or "CWD: …" (--bare). */
export function extractCwd(body: Json, raw: string): string | null {
  const texts = body === undefined ? [raw] : [...strings(body)];
  for (const re of [/Primary working directory:\s*([^\n\r]+)/, /(?:^|\n)\s*CWD:\s*([^\n\r]+)/]) {
    for (const t of texts) {
      const m = re.exec(t);
      const dir = m?.[1]?.trim().replace(/[`'"]/g, '');
      if (dir) return dir;
    }
  }
  return null;
}

function firstUserTexts(messages: unknown[]): string[] {
  const first = messages.find((m) => isObject(m) && m.role === 'user');
  if (!isObject(first)) return [];
  if (typeof first.content === 'string') return [first.content];
  if (!Array.isArray(first.content)) return [];
  return first.content.flatMap((block) => (isObject(block) && typeof block.text === 'string' ? [block.text] : []));
}

function lastUserHasToolResult(messages: unknown[]): boolean {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (!isObject(m) || m.role !== 'user') continue;
    const c = m.content;
    return Array.isArray(c) && c.some((b) => isObject(b) && b.type === 'tool_result');
  }
  return false;
}

function joinPath(dir: string, name: string): string {
  return dir.endsWith('/') ? dir + name : `${dir}/${name}`;
}

function replyFor(scenario: string, messages: unknown[], cwd: string | null): Reply {
  const toolRound = lastUserHasToolResult(messages);
  if (scenario === 'write' || scenario === 'bash') {
    if (toolRound) return { blocks: [{ type: 'text', text: 'Done.' }], stopReason: 'end_turn' };
    if (scenario === 'write') {
      return {
        blocks: [
          { type: 'text', text: 'I will write the file now.' },
          {
            type: 'tool_use',
            id: mockId('toolu'),
            name: 'Write',
            input: { file_path: joinPath(cwd ?? '/tmp', 'notes.txt'), content: MOCK_WRITE_CONTENT },
          },
        ],
        stopReason: 'tool_use',
      };
    }
    return {
      blocks: [
        { type: 'text', text: 'I will run a command now.' },
        {
          type: 'tool_use',
          id: mockId('toolu'),
          name: 'Bash',
          input: { command: MOCK_BASH_COMMAND, description: 'Write bash.txt and print the working directory' },
        },
      ],
      stopReason: 'tool_use',
    };
  }
  return { blocks: [{ type: 'text', text: MOCK_TEXT_ANSWER }], stopReason: 'end_turn' };
}

/** Split text into a few chunks (word boundaries), like a real stream. */
function chunks(text: string, n = 3): string[] {
  const words = text.split(/(?<=\s)/);
  if (words.length <= 1) return [text];
  const size = Math.ceil(words.length / n);
  const out: string[] = [];
  for (let i = 0; i < words.length; i += size) out.push(words.slice(i, i + size).join(''));
  return out;
}

function sse(res: http.ServerResponse, event: string, data: Record<string, unknown>): void {
  if (res.destroyed || res.writableEnded) return;
  res.write(`event: ${event}\ndata: ${JSON.stringify({ type: event, ...data })}\n\n`);
}

function messageShell(id: string, model: string, inputTokens: number): Record<string, unknown> {
  return {
    id,
    type: 'message',
    role: 'assistant',
    model,
    content: [],
    stop_reason: null,
    stop_sequence: null,
    usage: { input_tokens: inputTokens, output_tokens: 1, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
  };
}

function outputTokens(blocks: Block[]): number {
  const chars = blocks.reduce((n, b) => n + (b.type === 'text' ? b.text.length : JSON.stringify(b.input).length), 0);
  return Math.max(1, Math.ceil(chars / 4));
}

function streamReply(res: http.ServerResponse, reply: Reply, model: string, inputTokens: number): void {
  sse(res, 'message_start', { message: messageShell(mockId('msg'), model, inputTokens) });
  sse(res, 'ping', {});
  reply.blocks.forEach((b, index) => {
    if (b.type === 'text') {
      sse(res, 'content_block_start', { index, content_block: { type: 'text', text: '' } });
      for (const c of chunks(b.text)) sse(res, 'content_block_delta', { index, delta: { type: 'text_delta', text: c } });
    } else {
      sse(res, 'content_block_start', { index, content_block: { type: 'tool_use', id: b.id, name: b.name, input: {} } });
      const json = JSON.stringify(b.input);
      const mid = Math.floor(json.length / 2);
      for (const part of [json.slice(0, mid), json.slice(mid)]) {
        sse(res, 'content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: part } });
      }
    }
    sse(res, 'content_block_stop', { index });
  });
  sse(res, 'message_delta', {
    delta: { stop_reason: reply.stopReason, stop_sequence: null },
    usage: { output_tokens: outputTokens(reply.blocks) },
  });
  sse(res, 'message_stop', {});
  res.end();
}

function jsonReply(reply: Reply, model: string, inputTokens: number): Record<string, unknown> {
  return {
    ...messageShell(mockId('msg'), model, inputTokens),
    content: reply.blocks,
    stop_reason: reply.stopReason,
    usage: {
      input_tokens: inputTokens,
      output_tokens: outputTokens(reply.blocks),
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// server

export async function startMockAnthropic(opts: MockAnthropicOptions = {}): Promise<MockAnthropic> {
  const host = opts.host ?? '127.0.0.1';
  const defaultScenario = opts.defaultScenario ?? 'text';
  const slowDeltaMs = opts.slowDeltaMs ?? 500;
  const slowDeltas = opts.slowDeltas ?? 60;
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let seq = 0;
  let closing = false;

  const server = http.createServer((req, res) => {
    const started = Date.now();
    const rawUrl = req.url ?? '/';
    const q = rawUrl.indexOf('?');
    const path = q >= 0 ? rawUrl.slice(0, q) : rawUrl;
    const query = q >= 0 ? rawUrl.slice(q + 1) : '';
    const { scenario, endpoint } = splitScenario(path, defaultScenario);
    const method = (req.method ?? 'GET').toUpperCase();

    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('error', () => {
      /* client went away */
    });
    req.on('end', () => {
      const buf = decodeBody(Buffer.concat(parts), req.headers['content-encoding'] as string | undefined);
      const raw = buf.toString('utf8');
      let body: Json = undefined;
      try {
        body = raw.length > 0 ? (JSON.parse(raw) as Json) : undefined;
      } catch {
        body = undefined;
      }
      const obj = isObject(body) ? body : {};
      const messages = Array.isArray(obj.messages) ? (obj.messages as unknown[]) : [];
      const model = typeof obj.model === 'string' ? obj.model : null;

      seq += 1;
      const rec: RecordedRequest = {
        seq,
        at: started,
        method,
        path,
        query,
        endpoint,
        scenario,
        auth: authOf(req.headers),
        messageCount: messages.length,
        stream: obj.stream === true,
        model,
        hasToolResult: lastUserHasToolResult(messages),
        promptTexts: firstUserTexts(messages),
        bodyBytes: buf.length,
        status: null,
        userAgent: typeof req.headers['user-agent'] === 'string' ? req.headers['user-agent'] : null,
      };
      requests.push(rec);
      try {
        opts.onRequest?.(rec);
      } catch {
        /* a logging callback must not break the mock */
      }

      const requestId = mockId('req');
      const send = (status: number, payload: Record<string, unknown> | null, headers: Record<string, string> = {}): void => {
        rec.status = status;
        if (res.destroyed || res.headersSent) return;
        const text = payload === null ? '' : JSON.stringify(payload);
        res.writeHead(status, {
          'content-type': 'application/json',
          'request-id': requestId,
          'content-length': String(Buffer.byteLength(text)),
          ...headers,
        });
        res.end(method === 'HEAD' ? undefined : text);
      };
      const sendError = (status: number, type: string, message: string): void =>
        send(status, { type: 'error', error: { type, message }, request_id: requestId });

      // --- endpoints that do not depend on the scenario
      if (endpoint.endsWith('/api/hello')) return send(200, method === 'HEAD' ? null : { ok: true });
      if (endpoint.endsWith('/v1/models') || /\/v1\/models\/[^/]+$/.test(endpoint)) {
        const m = { type: 'model', id: MOCK_MODEL_FALLBACK, display_name: 'Mock Opus', created_at: '2025-01-01T00:00:00Z' };
        if (endpoint.endsWith('/v1/models')) {
          return send(200, { data: [m], has_more: false, first_id: m.id, last_id: m.id });
        }
        return send(200, { ...m, id: decodeURIComponent(endpoint.slice(endpoint.lastIndexOf('/') + 1)) });
      }
      if (endpoint.endsWith('/v1/messages/count_tokens')) {
        return send(200, { input_tokens: Math.max(1, Math.ceil(buf.length / 4)) });
      }
      if (!endpoint.endsWith('/v1/messages')) {
        return sendError(404, 'not_found_error', `mock: no route for ${method} ${endpoint}`);
      }
      if (method !== 'POST') return sendError(405, 'invalid_request_error', `mock: ${method} not allowed on /v1/messages`);

      // --- POST /v1/messages
      if (!(MOCK_SCENARIOS as readonly string[]).includes(scenario)) {
        return sendError(404, 'not_found_error', `mock: unknown scenario "${scenario}" (known: ${MOCK_SCENARIOS.join(', ')})`);
      }
      const s = scenario as MockScenario;
      const replyModel = model ?? MOCK_MODEL_FALLBACK;
      const inputTokens = Math.max(1, Math.ceil(buf.length / 4));

      switch (s) {
        case '401':
          return sendError(
            401,
            'authentication_error',
            rec.auth.kind === 'bearer' ? MOCK_401_BEARER_MESSAGE : MOCK_401_API_KEY_MESSAGE,
          );
        case '500':
          return sendError(500, 'api_error', 'Internal server error (mock)');
        case '529':
          return sendError(529, 'overloaded_error', 'Overloaded (mock)');
        case 'hang':
          // Accept and never answer; close() destroys the socket.
          return;
        case 'nostream':
          if (rec.stream) {
            rec.status = 200;
            res.writeHead(200, { 'content-type': 'text/event-stream', 'request-id': requestId });
            res.end('this is not an event stream\n');
            return;
          }
          return send(200, jsonReply(replyFor('text', messages, null), replyModel, inputTokens));
        case 'slow': {
          if (!rec.stream) {
            return send(200, jsonReply(replyFor('text', messages, null), replyModel, inputTokens));
          }
          rec.status = 200;
          res.writeHead(200, {
            'content-type': 'text/event-stream',
            'cache-control': 'no-cache',
            'request-id': requestId,
          });
          res.flushHeaders();
          sse(res, 'message_start', { message: messageShell(mockId('msg'), replyModel, inputTokens) });
          sse(res, 'content_block_start', { index: 0, content_block: { type: 'text', text: '' } });
          let i = 0;
          const timer = setInterval(() => {
            if (res.destroyed || res.writableEnded) {
              clearInterval(timer);
              timers.delete(timer);
              return;
            }
            i += 1;
            sse(res, 'content_block_delta', { index: 0, delta: { type: 'text_delta', text: `tick ${i} ` } });
            if (i >= slowDeltas) {
              clearInterval(timer);
              timers.delete(timer);
              sse(res, 'content_block_stop', { index: 0 });
              sse(res, 'message_delta', {
                delta: { stop_reason: 'end_turn', stop_sequence: null },
                usage: { output_tokens: slowDeltas * 3 },
              });
              sse(res, 'message_stop', {});
              res.end();
            }
          }, slowDeltaMs);
          timers.add(timer);
          res.on('close', () => {
            clearInterval(timer);
            timers.delete(timer);
          });
          return;
        }
        case 'text':
        case 'write':
        case 'bash': {
          const cwd = s === 'write' ? extractCwd(body, raw) : null;
          const reply = replyFor(s, messages, cwd);
          if (!rec.stream) return send(200, jsonReply(reply, replyModel, inputTokens));
          rec.status = 200;
          res.writeHead(200, {
            'content-type': 'text/event-stream',
            'cache-control': 'no-cache',
            'request-id': requestId,
          });
          streamReply(res, reply, replyModel, inputTokens);
          return;
        }
      }
    });
  });

  server.on('connection', (sock: Socket) => {
    if (closing) {
      sock.destroy();
      return;
    }
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
  });
  server.on('clientError', (_err, sock) => {
    if (!sock.destroyed) sock.destroy();
  });

  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error): void => reject(err);
    server.once('error', onError);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', onError);
      resolve();
    });
  });

  const port = (server.address() as AddressInfo).port;
  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;

  let closed: Promise<void> | null = null;
  const close = (): Promise<void> => {
    if (closed) return closed;
    closing = true;
    closed = new Promise<void>((resolve) => {
      for (const t of timers) clearInterval(t);
      timers.clear();
      server.close(() => resolve());
      server.closeAllConnections();
      for (const s of sockets) s.destroy();
      sockets.clear();
    });
    return closed;
  };

  return { url: `http://${urlHost}:${port}`, port, requests, close };
}
