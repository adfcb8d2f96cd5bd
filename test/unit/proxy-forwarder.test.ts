import net from 'node:net';
import { networkInterfaces } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { parseOptions, UsageError } from '../../src/config/options.js';
import { createCredentialProxy, upstreamUrl, type CredentialProxy } from '../../src/credentials/proxy-forwarder.js';
import { credentialProxyFor, routeCredential } from '../../src/engine/credential-route.js';
import { parseBridge } from '../../src/runtimes/host-address.js';
import type { ModeId } from '../../src/domain/modes.js';
import { startSession } from '../../src/engine/session.js';
import type { Isolation, Runtime } from '../../src/runtimes/types.js';
import { mockFingerprint, startMockAnthropic, type MockAnthropic } from '../mock-anthropic/server.js';
import { FakeRuntime, ManualClock, probeLines, type FakeScript } from '../helpers/fake-runtime.js';
import { sessionOptions } from '../helpers/session.js';

const TOKEN = 'sk-ant-api03-real-secret-of-the-user-0123456789abcdef';
const PLACEHOLDER = 'sk-ant-api03-cc-iso-placeholder-test';
const LOOPBACK = { host: '127.0.0.1', allowFrom: null };
const MESSAGE = JSON.stringify({ model: 'claude-x', max_tokens: 10, stream: false, messages: [{ role: 'user', content: 'hi' }] });

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function mock(options: Parameters<typeof startMockAnthropic>[0] = {}): Promise<MockAnthropic> {
  const started = await startMockAnthropic(options);
  cleanups.push(() => started.close());
  return started;
}

function proxyTo(upstream: string, variable: 'ANTHROPIC_API_KEY' | 'CLAUDE_CODE_OAUTH_TOKEN' = 'ANTHROPIC_API_KEY'): CredentialProxy {
  const proxy = createCredentialProxy({ upstream, credential: { variable, value: TOKEN }, placeholder: PLACEHOLDER });
  cleanups.push(() => proxy.close());
  return proxy;
}

function post(port: number, headers: Record<string, string>, path = '/v1/messages') {
  return fetch(`http://127.0.0.1:${port}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: MESSAGE,
  });
}

describe('the credential forwarder', () => {
  it('swaps the placeholder API key for the real one on the way to the upstream, path prefix kept', async () => {
    const api = await mock();
    const proxy = proxyTo(`${api.url}/s/text`);
    expect(proxy.placeholderEnv).toEqual({ ANTHROPIC_API_KEY: PLACEHOLDER });
    const port = await proxy.listen(LOOPBACK);
    const response = await post(port, { 'x-api-key': PLACEHOLDER }, '/v1/messages?beta=true');
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ type: 'message', content: [{ type: 'text', text: 'hi from the mock' }] });
    expect(api.requests).toHaveLength(1);
    expect(api.requests[0]).toMatchObject({ path: '/s/text/v1/messages', query: 'beta=true', scenario: 'text' });
    expect(api.requests[0]!.auth).toEqual({ kind: 'x-api-key', length: TOKEN.length, fingerprint: mockFingerprint(TOKEN) });
  });

  it('swaps a placeholder OAuth token in the Authorization header', async () => {
    const api = await mock();
    const proxy = proxyTo(api.url, 'CLAUDE_CODE_OAUTH_TOKEN');
    const port = await proxy.listen(LOOPBACK);
    const response = await post(port, { authorization: `Bearer ${PLACEHOLDER}` });
    expect(response.status).toBe(200);
    expect(api.requests[0]!.auth).toEqual({ kind: 'bearer', length: TOKEN.length, fingerprint: mockFingerprint(TOKEN) });
  });

  it('refuses (403) any request without the session\'s placeholder, and never says the token', async () => {
    const api = await mock();
    const proxy = proxyTo(api.url);
    const port = await proxy.listen(LOOPBACK);
    const attempts: Record<string, string>[] = [
      {},
      { 'x-api-key': 'sk-ant-api03-someone-else' },
      { 'x-api-key': `${PLACEHOLDER}x` },
      { authorization: `Bearer ${PLACEHOLDER}` },
    ];
    for (const headers of attempts) {
      const response = await post(port, headers);
      const body = await response.text();
      expect(response.status).toBe(403);
      expect(JSON.parse(body)).toMatchObject({ type: 'error', error: { type: 'permission_error' } });
      expect(body).toContain('placeholder');
      expect(body).not.toContain(TOKEN);
      expect(JSON.stringify([...response.headers])).not.toContain(TOKEN);
    }
    expect(api.requests).toEqual([]);
  });

  it('says when the upstream cannot be reached (502), without the token', async () => {
    const closed = await mock();
    await closed.close();
    const proxy = proxyTo(`${closed.url}/s/text`);
    const response = await post(await proxy.listen(LOOPBACK), { 'x-api-key': PLACEHOLDER });
    const body = await response.text();
    expect(response.status).toBe(502);
    expect(body).toMatch(/could not be reached \(ECONNREFUSED\)/);
    expect(body).not.toContain(TOKEN);
  });

  it('streams server-sent events as they come instead of buffering the answer', async () => {
    const api = await mock({ slowDeltaMs: 100, slowDeltas: 10 });
    const proxy = proxyTo(`${api.url}/s/slow`);
    const port = await proxy.listen(LOOPBACK);
    const started = performance.now();
    const response = await fetch(`http://127.0.0.1:${port}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': PLACEHOLDER, 'content-type': 'application/json' },
      body: MESSAGE.replace('"stream":false', '"stream":true'),
    });
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    let text = '';
    let firstTickAt: number | null = null;
    const decoder = new TextDecoder();
    for await (const chunk of response.body!) {
      text += decoder.decode(chunk, { stream: true });
      if (firstTickAt === null && text.includes('tick 1 ')) firstTickAt = performance.now() - started;
    }
    const endedAt = performance.now() - started;
    expect(text).toContain('message_stop');
    // Ten deltas 100 ms apart: the first arrives long before the last.
    expect(firstTickAt).not.toBeNull();
    expect(endedAt - firstTickAt!).toBeGreaterThan(600);
  });

  it('stops accepting and cuts open streams when closed', async () => {
    const api = await mock({ slowDeltaMs: 100, slowDeltas: 100 });
    const proxy = proxyTo(`${api.url}/s/slow`);
    const port = await proxy.listen(LOOPBACK);
    expect(await proxy.listen(LOOPBACK)).toBe(port);
    const response = await fetch(`http://127.0.0.1:${port}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': PLACEHOLDER, 'content-type': 'application/json' },
      body: MESSAGE.replace('"stream":false', '"stream":true'),
    });
    const reading = (async () => {
      for await (const _ of response.body!) void _;
    })();
    await proxy.close();
    await expect(reading).rejects.toThrow();
    await expect(post(port, { 'x-api-key': PLACEHOLDER })).rejects.toThrow();
  });

  it('on an address the host does not have yet, listens everywhere but accepts only the allowed subnet and loopback', async () => {
    const api = await mock();
    const proxy = proxyTo(api.url);
    await expect(proxy.listen({ host: '203.0.113.9', allowFrom: null })).rejects.toThrow(/EADDRNOTAVAIL/);
    const port = await proxy.listen({ host: '203.0.113.9', allowFrom: '10.88.0.0/16' });
    expect((await post(port, { 'x-api-key': PLACEHOLDER })).status).toBe(200);
    const other = Object.values(networkInterfaces()).flat().find((a) => a?.family === 'IPv4' && !a.internal)?.address;
    if (!other) return console.warn('skipping the outside-peer check: this machine has no non-loopback IPv4 address');
    const outcome = await new Promise<string>((resolve) => {
      const socket = net.connect({ host: other, port, localAddress: other }, () => socket.write('GET / HTTP/1.1\r\nhost: x\r\n\r\n'));
      socket.on('data', () => resolve('answered'));
      socket.on('close', () => resolve('closed'));
      socket.on('error', () => resolve('closed'));
    });
    expect(outcome).toBe('closed');
  });
});

describe('the upstream URL', () => {
  it('keeps the upstream origin and prefix whatever path a request names', () => {
    const api = new URL('https://api.anthropic.com');
    expect(upstreamUrl(api, '/v1/messages?beta=true').href).toBe('https://api.anthropic.com/v1/messages?beta=true');
    expect(upstreamUrl(api, '//evil.example/v1/messages').href).toBe('https://api.anthropic.com/v1/messages');
    expect(upstreamUrl(api, 'http://evil.example/x').href).toBe('https://api.anthropic.com/x');
    expect(upstreamUrl(new URL('http://gw.local:8080/anthropic/'), '/v1/messages').href).toBe('http://gw.local:8080/anthropic/v1/messages');
  });
});

describe('the credential route of a run', () => {
  const credential = { env: { ANTHROPIC_API_KEY: TOKEN }, source: 'env:ANTHROPIC_API_KEY' as const };
  const forwardedEnv = { ANTHROPIC_BASE_URL: 'http://127.0.0.1:9/s/text', ANTHROPIC_AUTH_TOKEN: 'gateway-secret', DISABLE_TELEMETRY: '1' };
  const isolation = (extra: Partial<Isolation>): Isolation =>
    ({ credentialPath: 'environment', ...extra }) as Isolation;

  it('gives a container the placeholder and the forwarder, and no secret', async () => {
    const proxy = proxyTo('http://127.0.0.1:9');
    const container = isolation({ hostAddress: async () => ({ listen: '127.0.0.1', inside: 'host.docker.internal', allowFrom: null }) });
    const route = await routeCredential(container, { credential, forwardedEnv, credentialProxy: proxy });
    expect(route.credentialEnv).toEqual({ ANTHROPIC_API_KEY: PLACEHOLDER });
    expect(route.forwardedEnv).toEqual({ ANTHROPIC_BASE_URL: expect.stringMatching(/^http:\/\/host\.docker\.internal:\d+$/), DISABLE_TELEMETRY: '1' });
    expect(route.authSource).toBe('cc-iso-proxy');
    expect(JSON.stringify(route)).not.toContain(TOKEN);
    const behindProxy = await routeCredential(container, { credential, forwardedEnv: { ...forwardedEnv, HTTPS_PROXY: 'http://proxy:3128', NO_PROXY: 'corp.example' }, credentialProxy: proxy });
    expect(behindProxy.forwardedEnv).toMatchObject({ HTTPS_PROXY: 'http://proxy:3128', NO_PROXY: 'corp.example,host.docker.internal' });
  });

  it('leaves the host mode and --credential-path env as they were', async () => {
    const proxy = proxyTo('http://127.0.0.1:9');
    const host = await routeCredential(isolation({}), { credential, forwardedEnv, credentialProxy: proxy });
    expect(host).toMatchObject({ credentialEnv: credential.env, forwardedEnv, authSource: 'env:ANTHROPIC_API_KEY' });
    const container = isolation({ hostAddress: async () => ({ listen: '127.0.0.1', inside: '127.0.0.1', allowFrom: null }) });
    const env = await routeCredential(container, { credential, forwardedEnv, credentialProxy: null });
    expect(env).toMatchObject({ credentialEnv: credential.env, forwardedEnv, authSource: 'env:ANTHROPIC_API_KEY' });
  });

  it('makes a forwarder only for --credential-path proxy with a credential, and not for a cloud provider', async () => {
    const resolved = { source: 'env:ANTHROPIC_API_KEY', variable: 'ANTHROPIC_API_KEY', value: TOKEN, expiresAt: null, origin: 'x' } as const;
    expect(credentialProxyFor('env', resolved, {})).toBeNull();
    expect(credentialProxyFor('proxy', null, {})).toBeNull();
    const proxy = credentialProxyFor('proxy', resolved, {})!;
    cleanups.push(() => proxy.close());
    expect(Object.keys(proxy.placeholderEnv)).toEqual(['ANTHROPIC_API_KEY']);
    expect(proxy.placeholderEnv.ANTHROPIC_API_KEY).toMatch(/^sk-ant-api03-cc-iso-placeholder-[0-9a-f]{32}$/);
    expect(() => credentialProxyFor('proxy', resolved, { CLAUDE_CODE_USE_BEDROCK: '1' })).toThrow(UsageError);
    expect(() => credentialProxyFor('proxy', resolved, { ANTHROPIC_BASE_URL: 'api.example:8080' })).toThrow(/ANTHROPIC_BASE_URL is not an http\(s\) URL/);
  });

  it('reads --credential-path and CC_ISO_CREDENTIAL_PATH, env by default', () => {
    expect(parseOptions([], {}).credentialPath).toBe('env');
    expect(parseOptions(['--credential-path', 'proxy'], {}).credentialPath).toBe('proxy');
    expect(parseOptions([], { CC_ISO_CREDENTIAL_PATH: 'proxy' }).credentialPath).toBe('proxy');
    expect(() => parseOptions(['--credential-path', 'vault'], {})).toThrow(/--credential-path must be one of env, proxy/);
  });
});

describe('the default bridge of an engine', () => {
  it('reads the gateway from Docker and Podman, and derives it where Docker 20.10 leaves it out', () => {
    expect(parseBridge('{"Name":"bridge","IPAM":{"Config":[{"Subnet":"172.17.0.0/16"}]}}')).toEqual({ gateway: '172.17.0.1', subnet: '172.17.0.0/16' });
    expect(parseBridge('[{"IPAM":{"Config":[{"Subnet":"fd00::/64"},{"Subnet":"10.5.0.0/24","Gateway":"10.5.0.254"}]}}]'))
      .toEqual({ gateway: '10.5.0.254', subnet: '10.5.0.0/24' });
    expect(parseBridge('[{"name":"podman","subnets":[{"subnet":"10.88.0.0/16","gateway":"10.88.0.1"}]}]')).toEqual({ gateway: '10.88.0.1', subnet: '10.88.0.0/16' });
    expect(parseBridge('not json')).toBeNull();
    expect(parseBridge('{"IPAM":{"Config":[]}}')).toBeNull();
  });
});

describe('the forwarder in a session', () => {
  const credential = { env: { ANTHROPIC_API_KEY: TOKEN }, source: 'env:ANTHROPIC_API_KEY' as const, fingerprints: ['000000000000'] };

  /** A container-like fake: reaches the host on loopback, and keeps each step's environment. */
  function containerLike(clock: ManualClock, script: FakeScript, envs: Record<string, string>[]): Record<ModeId, Runtime> {
    const runtime = new FakeRuntime('docker', clock, script);
    const prepare = runtime.prepare.bind(runtime);
    runtime.prepare = async (options) => {
      const isolation = await prepare(options);
      return {
        ...isolation,
        hostAddress: async () => ({ listen: '127.0.0.1', inside: '127.0.0.1', allowFrom: null }),
        exec: (request, io) => {
          envs.push(request.env);
          return isolation.exec(request, io);
        },
      };
    };
    return { docker: runtime } as Partial<Record<ModeId, Runtime>> as Record<ModeId, Runtime>;
  }

  it.each([
    ['the runs end', { lines: probeLines(), exitAfter: 30 }],
    ['the user stops every run', { lines: probeLines(), hang: true }],
  ] as const)('gives the container the placeholder and closes when %s', async (_, script) => {
    const clock = new ManualClock();
    const envs: Record<string, string>[] = [];
    const proxy = proxyTo('http://127.0.0.1:9');
    const ports: number[] = [];
    const watched: CredentialProxy = { ...proxy, listen: async (address) => ports[ports.push(await proxy.listen(address)) - 1]! };
    const options = sessionOptions({ modes: ['docker'], credential, credentialProxy: watched });
    const session = startSession(options, { runtimes: containerLike(clock, script, envs), now: clock.now }, (event) => {
      if (event.type === 'status' && event.status === 'running') session.stopAll();
    });
    const [record] = await session.done;
    expect(envs).toEqual([{ ANTHROPIC_API_KEY: PLACEHOLDER, CC_ISO_FINGERPRINT_KEY: expect.any(String) }]);
    expect(record!.findings.auth.source).toBe('cc-iso-proxy');
    expect(ports).toHaveLength(1);
    await expect(post(ports[0]!, { 'x-api-key': PLACEHOLDER })).rejects.toThrow();
  });
});
