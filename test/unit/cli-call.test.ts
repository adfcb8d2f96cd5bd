import { describe, expect, it } from 'vitest';
import { callProcess } from '../../src/runtimes/cli-call.js';

describe('a short CLI call', () => {
  it('ends the process when its signal aborts, and says so by a missing exit code', async () => {
    const abort = new AbortController();
    const started = performance.now();
    const call = callProcess('sleep', ['30'], { signal: abort.signal, timeoutMs: 60_000 });
    setTimeout(() => abort.abort(), 50);
    const result = await call;
    expect(result.exitCode).toBeNull();
    expect(result.timedOut).toBe(false);
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it('a signal aborted before the call ends it at once', async () => {
    const abort = new AbortController();
    abort.abort();
    expect((await callProcess('sleep', ['30'], { signal: abort.signal })).exitCode).toBeNull();
  });
});
