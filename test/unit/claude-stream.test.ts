import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ClaudeInterpreter } from '../../src/workloads/claude.js';
import {
  formatClaudeEvent,
  parseClaudeLine,
  toolSummary,
  type ClaudeEvent,
  type ClaudeResultEvent,
} from '../../src/workloads/claude-stream.js';

const FIXTURES = new URL('../fixtures/claude-stream/', import.meta.url);

function lines(name: string): string[] {
  return readFileSync(new URL(name, FIXTURES), 'utf8')
    .split('\n')
    .filter((l) => l.length > 0);
}

function events(name: string): ClaudeEvent[] {
  return lines(name).flatMap((l) => parseClaudeLine(l));
}

function known(name: string): ClaudeEvent[] {
  return events(name).filter((e) => e.kind !== 'unknown');
}

function kinds(name: string): string[] {
  return known(name).map((e) => e.kind);
}

function resultOf(name: string): ClaudeResultEvent {
  const r = events(name).filter((e): e is ClaudeResultEvent => e.kind === 'result');
  expect(r).toHaveLength(1);
  return r[0]!;
}

function display(name: string, cwd = '/workspace'): string[] {
  return events(name)
    .map((e) => formatClaudeEvent(e, { cwd }))
    .filter((l): l is string => l !== null);
}

describe('recorded fixtures (Claude Code 2.1.332 against the mock)', () => {
  const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.ndjson'));

  it('has the expected fixtures', () => {
    for (const f of ['text', 'write', 'bash', 'error-401', 'error-500', 'unreachable', 'retry', 'interrupted', 'truncated']) {
      expect(files).toContain(`${f}.ndjson`);
    }
  });

  it.each(files)('%s: every complete line parses to at least one event, starting with init', (f) => {
    const ls = lines(f);
    const complete = f === 'truncated.ndjson' ? ls.slice(0, -1) : ls;
    for (const l of complete) expect(parseClaudeLine(l).length).toBeGreaterThan(0);
    expect(events(f)[0]).toMatchObject({ kind: 'init', version: '2.1.332', apiKeySource: 'ANTHROPIC_API_KEY' });
  });

  it.each(files)('%s: every event formats to one line or null', (f) => {
    for (const e of events(f)) {
      const s = formatClaudeEvent(e);
      if (s !== null) expect(s).not.toMatch(/\n/);
    }
  });

  it('text: init, the answer, a successful result', () => {
    expect(kinds('text.ndjson')).toEqual(['init', 'assistant-text', 'result']);
    const init = events('text.ndjson')[0];
    expect(init).toEqual({
      kind: 'init',
      model: 'claude-opus-5-5',
      cwd: '/workspace',
      version: '2.1.332',
      apiKeySource: 'ANTHROPIC_API_KEY',
      permissionMode: 'default',
      sessionId: expect.any(String),
    });
    expect(known('text.ndjson')[1]).toEqual({ kind: 'assistant-text', text: 'hi from the mock', isApiError: false });
    const r = resultOf('text.ndjson');
    expect(r).toMatchObject({ isError: false, text: 'hi from the mock', numTurns: 1, subtype: 'success', terminalReason: 'completed' });
    expect(r.durationMs).toBeGreaterThan(0);
    expect(r.durationApiMs).toBeGreaterThan(0);
    expect(r.totalCostUsd).toBeGreaterThan(0);
    expect(r.apiErrorStatus).toBeNull();
  });

  it('write: text and tool_use from one API message become two events; the tool loop ends with Done.', () => {
    expect(kinds('write.ndjson')).toEqual(['init', 'assistant-text', 'tool-use', 'tool-result', 'assistant-text', 'result']);
    const ev = known('write.ndjson');
    expect(ev[0]).toMatchObject({ kind: 'init', permissionMode: 'acceptEdits' });
    expect(ev[2]).toMatchObject({ kind: 'tool-use', name: 'Write', summary: '/workspace/notes.txt' });
    expect(ev[3]).toMatchObject({ kind: 'tool-result', ok: true });
    expect((ev[3] as { summary: string }).summary).toMatch(/^File created successfully at: \/workspace\/notes\.txt/);
    expect((ev[3] as { summary: string }).summary.length).toBeLessThanOrEqual(100);
    expect(resultOf('write.ndjson')).toMatchObject({ isError: false, text: 'Done.', numTurns: 2, permissionDenials: 0 });
  });

  it('write: readable display', () => {
    const d = display('write.ndjson');
    expect(d[0]).toBe('● init claude-code 2.1.332 · model claude-opus-5-5 · acceptEdits');
    expect(d[1]).toBe('✎ I will write the file now.');
    expect(d[2]).toBe('→ Write notes.txt');
    expect(d[3]).toMatch(/^← ok File created successfully at: \/workspace\/notes\.txt/);
    expect(d[4]).toBe('✎ Done.');
    expect(d[5]).toMatch(/^✓ result: Done\. · 2 turns · \$\d+\.\d{4} · \d+ ms$/);
    expect(d).toHaveLength(6);
    // without a cwd the full path is kept
    expect(formatClaudeEvent(known('write.ndjson')[2]!)).toBe('→ Write /workspace/notes.txt');
  });

  it('bash: the command is the summary, the output first line the result', () => {
    const ev = known('bash.ndjson');
    expect(ev.map((e) => e.kind)).toEqual(['init', 'assistant-text', 'tool-use', 'tool-result', 'assistant-text', 'result']);
    expect(ev[2]).toMatchObject({ kind: 'tool-use', name: 'Bash', summary: 'echo hello from the mock > bash.txt && pwd' });
    expect(ev[3]).toMatchObject({ kind: 'tool-result', ok: true, summary: '/workspace' });
    expect(resultOf('bash.ndjson')).toMatchObject({ isError: false, text: 'Done.', numTurns: 2 });
  });

  it('error-401: is_error with the CLI text, even though subtype is "success"', () => {
    expect(kinds('error-401.ndjson')).toEqual(['init', 'assistant-text', 'result']);
    expect(known('error-401.ndjson')[1]).toMatchObject({ kind: 'assistant-text', isApiError: true });
    const r = resultOf('error-401.ndjson');
    expect(r).toMatchObject({
      isError: true,
      subtype: 'success',
      text: 'Invalid API key · Fix external API key',
      apiErrorStatus: 401,
      terminalReason: 'api_error',
      totalCostUsd: 0,
      durationApiMs: 0,
    });
    expect(display('error-401.ndjson')).toEqual([
      '● init claude-code 2.1.332 · model claude-opus-5-5 · default',
      '✗ error: Invalid API key · Fix external API key',
    ]);
  });

  it('error-500: two real retries then the error', () => {
    expect(kinds('error-500.ndjson')).toEqual(['init', 'api-retry', 'api-retry', 'assistant-text', 'result']);
    const r = resultOf('error-500.ndjson');
    expect(r.isError).toBe(true);
    expect(r.apiErrorStatus).toBe(500);
    expect(r.text).toMatch(/^API Error: 500 Internal server error \(mock\)/);
  });

  it('unreachable: connection refused, no HTTP status', () => {
    const r = resultOf('unreachable.ndjson');
    expect(r).toMatchObject({ isError: true, apiErrorStatus: null, terminalReason: 'api_error' });
    expect(r.text).toContain('ECONNREFUSED');
    expect(display('unreachable.ndjson').at(-1)).toBe(
      '✗ error: API Error: Connection refused — a firewall or proxy may be blocking it (ECONNREFUSED)',
    );
  });

  it('retry: system/api_retry lines become api-retry events', () => {
    const retries = events('retry.ndjson').filter((e) => e.kind === 'api-retry');
    expect(retries).toHaveLength(2);
    expect(retries[0]).toEqual({
      kind: 'api-retry',
      attempt: 1,
      maxRetries: 2,
      delayMs: expect.any(Number),
      status: 401,
      error: 'authentication_failed',
    });
    expect(retries[1]).toMatchObject({ attempt: 2, maxRetries: 2, status: 401 });
    expect(formatClaudeEvent(retries[0]!)).toMatch(/^↻ retry 1\/2 in \d+ ms \(401 authentication_failed\)$/);
    expect(resultOf('retry.ndjson').text).toBe('Invalid API key · Fix external API key');
  });

  it('formats an api-retry event as recorded from Claude Code', () => {
    const [e] = parseClaudeLine(
      '{"type":"system","subtype":"api_retry","attempt":1,"max_retries":10,"retry_delay_ms":572,"error_status":401,"error":"authentication_failed","session_id":"x","uuid":"y"}',
    );
    expect(formatClaudeEvent(e!)).toBe('↻ retry 1/10 in 572 ms (401 authentication_failed)');
    const [c] = parseClaudeLine('{"type":"system","subtype":"api_retry","attempt":3,"max_retries":10,"retry_delay_ms":12345,"error_status":null,"error":"unknown"}');
    expect(formatClaudeEvent(c!)).toBe('↻ retry 3/10 in 12.35 s (unknown)');
  });

  it('interrupted (SIGINT mid-stream, --include-partial-messages): partial text, interruption, error result', () => {
    expect(kinds('interrupted.ndjson')).toEqual(['init', 'assistant-text', 'interrupted', 'result']);
    // stream_event and system/status lines are valid JSON of types we do not show
    const unknown = events('interrupted.ndjson').filter((e) => e.kind === 'unknown');
    expect(unknown.map((e) => (e as { type: string }).type)).toEqual([
      'system/status',
      ...Array<string>(9).fill('stream_event'),
    ]);
    const r = resultOf('interrupted.ndjson');
    expect(r).toMatchObject({ isError: true, subtype: 'error_during_execution', terminalReason: 'aborted_streaming' });
    expect(r.text).toBe('aborted_streaming'); // the [ede_diagnostic] error is not shown
    expect(display('interrupted.ndjson').slice(-2)).toEqual(['■ [Request interrupted by user]', '✗ error: aborted_streaming']);
  });

  it('truncated: the cut last line is ignored, the rest parses', () => {
    const ls = lines('truncated.ndjson');
    const last = ls.at(-1)!;
    expect(() => JSON.parse(last) as unknown).toThrow();
    expect(parseClaudeLine(last)).toEqual([]);
    expect(kinds('truncated.ndjson')).toEqual(['init', 'assistant-text', 'tool-use', 'tool-result', 'assistant-text']);
  });
});

describe('parseClaudeLine tolerance', () => {
  it('returns [] for blank, non-JSON and non-object lines', () => {
    for (const l of ['', '   ', 'hello', 'Error: something', '[1,2]', '"str"', '42', 'null', '{"type":"result"', '{bad json}']) {
      expect(parseClaudeLine(l)).toEqual([]);
    }
  });

  it('tolerates surrounding whitespace and CR', () => {
    expect(parseClaudeLine('  {"type":"result","is_error":false,"result":"ok"}\r')).toHaveLength(1);
  });

  it('gives unknown for valid JSON of unknown types, and they do not display', () => {
    for (const l of [
      '{"type":"rate_limit_event","rate_limit_info":{"status":"allowed"}}',
      '{"type":"stream_event","event":{"type":"ping"}}',
      '{"type":"system","subtype":"status","status":"requesting"}',
      '{"type":"something_new","x":1}',
      '{"no_type":true}',
    ]) {
      const ev = parseClaudeLine(l);
      expect(ev).toHaveLength(1);
      expect(ev[0]!.kind).toBe('unknown');
      expect(formatClaudeEvent(ev[0]!)).toBeNull();
    }
    expect(parseClaudeLine('{"type":"system","subtype":"status"}')[0]).toEqual({ kind: 'unknown', type: 'system/status' });
  });

  it('ignores extra fields and wrong-typed fields', () => {
    const [r] = parseClaudeLine(
      JSON.stringify({
        type: 'result',
        subtype: 'success',
        is_error: false,
        result: 'ok',
        num_turns: '3',
        duration_ms: 12,
        brand_new_field: { deep: [1, 2, 3] },
        total_cost_usd: null,
      }),
    );
    expect(r).toMatchObject({ kind: 'result', isError: false, text: 'ok', numTurns: null, durationMs: 12, totalCostUsd: null });
    expect(formatClaudeEvent(r!)).toBe('✓ result: ok · 12 ms');

    const [i] = parseClaudeLine('{"type":"system","subtype":"init","model":42,"claude_code_version":"9.9.9","future":"x"}');
    expect(i).toMatchObject({ kind: 'init', model: null, version: '9.9.9', cwd: null });
    expect(formatClaudeEvent(i!)).toBe('● init claude-code 9.9.9');
  });

  it('a result without is_error falls back to subtype; error_max_turns uses errors[]', () => {
    const [r] = parseClaudeLine(
      '{"type":"result","subtype":"error_max_turns","num_turns":2,"errors":["Reached maximum number of turns (1)"]}',
    );
    expect(r).toMatchObject({ kind: 'result', isError: true, text: 'Reached maximum number of turns (1)' });
    expect(formatClaudeEvent(r!)).toBe('✗ error: Reached maximum number of turns (1)');
  });

  it('an assistant line with several blocks gives several events; thinking is skipped', () => {
    const ev = parseClaudeLine(
      JSON.stringify({
        type: 'assistant',
        message: {
          content: [
            { type: 'thinking', thinking: 'hmm' },
            { type: 'text', text: 'First line\nsecond line' },
            { type: 'tool_use', id: 't1', name: 'Grep', input: { pattern: 'TODO', path: 'src' } },
            { type: 'tool_use', id: 't2', name: 'WebFetch', input: { url: 'https://example.com', prompt: 'x' } },
          ],
        },
      }),
    );
    expect(ev.map((e) => e.kind)).toEqual(['assistant-text', 'tool-use', 'tool-use']);
    expect(formatClaudeEvent(ev[0]!)).toBe('✎ First line ⏎ second line');
    expect(formatClaudeEvent(ev[1]!)).toBe('→ Grep TODO');
    expect(formatClaudeEvent(ev[2]!)).toBe('→ WebFetch https://example.com');
  });

  it('an assistant line with only thinking is unknown', () => {
    expect(parseClaudeLine('{"type":"assistant","message":{"content":[{"type":"thinking","thinking":"x"}]}}')).toEqual([
      { kind: 'unknown', type: 'assistant' },
    ]);
  });

  it('tool results: error flag, array content, first non-empty line', () => {
    const ev = parseClaudeLine(
      JSON.stringify({
        type: 'user',
        message: {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'a', is_error: true, content: '\n\nExit code 1\nmore' },
            { type: 'tool_result', tool_use_id: 'b', content: [{ type: 'text', text: 'line A\nline B' }] },
          ],
        },
      }),
    );
    expect(ev).toEqual([
      { kind: 'tool-result', ok: false, summary: 'Exit code 1', toolUseId: 'a' },
      { kind: 'tool-result', ok: true, summary: 'line A', toolUseId: 'b' },
    ]);
    expect(formatClaudeEvent(ev[0]!)).toBe('← error Exit code 1');
  });
});

describe('toolSummary', () => {
  it('picks the main argument per tool', () => {
    expect(toolSummary('Write', { file_path: '/a/b.txt', content: 'x' })).toBe('/a/b.txt');
    expect(toolSummary('Edit', { old_string: 'a', file_path: '/a/c.ts' })).toBe('/a/c.ts');
    expect(toolSummary('Read', { file_path: '/r' })).toBe('/r');
    expect(toolSummary('Bash', { description: 'd', command: 'ls -la' })).toBe('ls -la');
    expect(toolSummary('Glob', { pattern: '**/*.ts' })).toBe('**/*.ts');
    expect(toolSummary('WebFetch', { prompt: 'p', url: 'https://x.y' })).toBe('https://x.y');
    expect(toolSummary('Mystery', { n: 1, first: 'the first string' })).toBe('the first string');
    expect(toolSummary('Mystery', null)).toBe('');
  });

  it('collapses newlines and truncates to ~120 chars', () => {
    const s = toolSummary('Bash', { command: `echo one\necho two\n${'x'.repeat(300)}` });
    expect(s.startsWith('echo one ⏎ echo two ⏎ xxx')).toBe(true);
    expect([...s].length).toBe(120);
    expect(s.endsWith('…')).toBe(true);
  });
});

describe('the claude interpreter', () => {
  it('shows a cut-short event as such, other lines as they are', () => {
    const interpreter = new ClaudeInterpreter();
    expect(interpreter.take('stdout', '{"type":"assistant","message":{"content":[{"type":"te', 5)).toEqual({
      lines: ['… an incomplete event line (53 characters)'],
      moments: [],
    });
    expect(interpreter.take('stdout', 'npm warn something', 6)).toEqual({ lines: ['npm warn something'], moments: [] });
    expect(interpreter.take('stderr', '{"not":"an event"}', 7)).toEqual({ lines: ['{"not":"an event"}'], moments: [] });
    expect(interpreter.finish({ exitCode: 0, signal: null })).toMatchObject({
      failure: 'claude ended without a result event',
      contribution: { claude: { summary: null } },
    });
  });
});
