/**
 * Manual runs: start the mock Anthropic API and print its URL.
 *
 *   node test/mock-anthropic/main.ts [--host 0.0.0.0] [--port 40001] [--quiet]
 *
 * (Node >= 22.18 / 24 strips the types itself; or use `npx tsx`.)
 * Then: ANTHROPIC_BASE_URL=<url>/s/write ANTHROPIC_API_KEY=dummy claude -p "hi" …
 * Ctrl-C stops it.
 */
import module from 'node:module';

// Plain `node main.ts` (type stripping) does not map './server.js' to './server.ts'; a tiny
// resolve hook does, so the import below works under node, vitest and tsx alike.
type ResolveNext = (specifier: string, context?: unknown) => unknown;
const registerHooks = (module as unknown as { registerHooks?: (h: object) => unknown }).registerHooks;
registerHooks?.({
  resolve(specifier: string, context: unknown, next: ResolveNext): unknown {
    try {
      return next(specifier, context);
    } catch (err) {
      if (specifier.startsWith('.') && specifier.endsWith('.js')) return next(`${specifier.slice(0, -3)}.ts`, context);
      throw err;
    }
  },
});

const { MOCK_SCENARIOS, startMockAnthropic } = await import('./server.js');

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const host = arg('--host') ?? '127.0.0.1';
const port = Number(arg('--port') ?? '0');
const quiet = process.argv.includes('--quiet');

if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`invalid --port ${String(arg('--port'))}`);
  process.exit(2);
}

const mock = await startMockAnthropic({
  host,
  port,
  onRequest: quiet
    ? undefined
    : (r) => {
        // The status is filled in right after this callback; log it a tick later.
        setImmediate(() => {
          const auth = r.auth.kind === 'none' ? 'no auth' : `${r.auth.kind}(${r.auth.length})`;
          console.error(
            `#${r.seq} ${r.method} ${r.path}${r.query ? `?${r.query}` : ''} scenario=${r.scenario} ` +
              `msgs=${r.messageCount} stream=${r.stream} ${auth} -> ${r.status ?? 'pending'}`,
          );
        });
      },
});

console.log(mock.url);
if (!quiet) {
  console.error(`mock Anthropic API listening on ${host}:${mock.port}`);
  console.error(`scenarios: ${MOCK_SCENARIOS.map((s) => `${mock.url}/s/${s}`).join('  ')}`);
}

const stop = (): void => {
  void mock.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
