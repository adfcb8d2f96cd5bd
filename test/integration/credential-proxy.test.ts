import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResultsFile } from '../../src/domain/results.js';
import { mockFingerprint, startMockAnthropic, type MockAnthropic } from '../mock-anthropic/server.js';
import { mockClaudeEnv, runCli } from '../helpers/cli.js';
import { engineAvailable, labelledContainers } from '../helpers/engines.js';

const TOKEN = 'sk-ant-oat01-cc-iso-proxy-test-secret-0123456789';
const available = { docker: await engineAvailable('docker'), podman: await engineAvailable('podman') };
const engines = (['docker', 'podman'] as const).filter((engine) => available[engine]);

let mock: MockAnthropic;
beforeAll(async () => {
  // On the host's loopback: a container on its bridge cannot reach it, only the forwarder can.
  mock = await startMockAnthropic({ host: '127.0.0.1', slowDeltaMs: 250, slowDeltas: 16 });
});
afterAll(async () => {
  await mock.close();
  for (const engine of engines) expect(await labelledContainers(engine)).toEqual([]);
});

/** The token as the user has it, in one of its two variables; nothing else set that could carry it. */
function ccIso(args: string[], variable: 'ANTHROPIC_API_KEY' | 'CLAUDE_CODE_OAUTH_TOKEN') {
  return runCli(['run', '--prompt', 'take your time', ...args], {
    CLAUDE_CODE_OAUTH_TOKEN: '',
    ANTHROPIC_API_KEY: '',
    [variable]: TOKEN,
    ...mockClaudeEnv(mock.url, 'slow'),
  });
}

/** `<engine> inspect` of every cc-iso container, taken over and over while `running` holds. */
async function inspectWhile(engine: 'docker' | 'podman', running: () => boolean): Promise<Map<string, string>> {
  const seen = new Map<string, string>();
  while (running()) {
    const names = (await labelledContainers(engine)).filter((name) => name.endsWith('-claude'));
    for (const name of names) {
      const inspected = await execa(engine, ['inspect', name], { reject: false });
      if (inspected.exitCode === 0) seen.set(name, String(inspected.stdout));
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return seen;
}

function envOf(inspected: string): Record<string, string> {
  const [container] = JSON.parse(inspected) as { Config: { Env: string[] } }[];
  return Object.fromEntries(container!.Config.Env.map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)]));
}

describe('--credential-path proxy (real Claude Code in a container, local Messages API)', () => {
  it.each(engines.map((engine) => [engine, engine === 'docker' ? 'ANTHROPIC_API_KEY' : 'CLAUDE_CODE_OAUTH_TOKEN'] as const))(
    '%s: the container gets a placeholder %s, the API gets the real token',
    async (engine, variable) => {
      const dir = await mkdtemp(join(tmpdir(), 'cc-iso-proxy-'));
      const before = mock.requests.length;
      const child = ccIso(['--mode', engine, '--credential-path', 'proxy', '--json', join(dir, 'r.json'), '--markdown', join(dir, 'R.md')], variable);
      let running = true;
      void child.finally(() => (running = false));
      const inspected = await inspectWhile(engine, () => running);
      const result = await child;
      expect(result.exitCode, result.stdout + result.stderr).toBe(0);

      // What `inspect` shows for the container's life: the placeholder and the forwarder, never the token.
      expect(inspected.size).toBe(1);
      const [inspection] = [...inspected.values()];
      expect(inspection).not.toContain(TOKEN);
      const env = envOf(inspection!);
      const placeholder = env[variable]!;
      expect(placeholder).toMatch(/-cc-iso-placeholder-[0-9a-f]{32}$/);
      expect(env.ANTHROPIC_BASE_URL).toMatch(/^http:\/\/\d+\.\d+\.\d+\.\d+:\d+$/);
      expect(env.ANTHROPIC_BASE_URL).not.toContain('127.0.0.1');

      // The API saw the real token on every request, never the placeholder.
      const calls = mock.requests.slice(before).filter((request) => request.endpoint === '/v1/messages');
      expect(calls.length).toBeGreaterThan(0);
      for (const call of calls) expect(call.auth.fingerprint).toBe(mockFingerprint(TOKEN));

      // The probe inside saw the placeholder only, and the results say so.
      const file = JSON.parse(await readFile(join(dir, 'r.json'), 'utf8')) as ResultsFile;
      const [run] = file.runs;
      expect(run!.status).toBe('passed');
      expect(run!.findings.auth).toEqual({ source: 'cc-iso-proxy', ok: true });
      expect(run!.findings.credentialExposed).toBe(false);
      // A keyed fingerprint (the session's key never leaves cc-iso): the findings tell it is not the token's.
      expect(run!.evidence[`credential ${variable}`]).toMatch(new RegExp(`^cc-iso-probe credential ${variable} [0-9a-f]{12}$`));
      expect(run!.findings.credentialExposed).toBe(false);
      expect(run!.evidence['credential-path']).toContain(env.ANTHROPIC_BASE_URL);
      const markdown = await readFile(join(dir, 'R.md'), 'utf8');
      expect(markdown).toMatch(/Credential exposure: is the token readable inside\?\*\* no, only a placeholder/);
      for (const text of [result.stdout, result.stderr, JSON.stringify(file), markdown]) expect(text).not.toContain(TOKEN);
    },
  );

  it.each(engines)('%s with --credential-path env: inspect shows the token while the container lives (as the README says)', async (engine) => {
    const child = ccIso(['--mode', engine, '--credential-path', 'env'], 'ANTHROPIC_API_KEY');
    let running = true;
    void child.finally(() => (running = false));
    const inspected = await inspectWhile(engine, () => running);
    const result = await child;
    expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    expect([...inspected.values()].map((text) => envOf(text).ANTHROPIC_API_KEY)).toEqual([TOKEN]);
  });
});
