import type * as Http from 'node:http';
import { BlockList, isIPv4, type AddressInfo, type Socket } from 'node:net';
import { randomHex } from '../domain/random.js';
import { redact } from './mask.js';
import type { CredentialVariable } from './resolve.js';

/** Where Claude Code sends requests when no ANTHROPIC_BASE_URL is set. */
export const ANTHROPIC_API = 'https://api.anthropic.com';

/** Where the forwarder should listen so that an isolation reaches it (see runtimes/host-address.ts). */
export interface ListenAddress {
  /** A host address: the engine's bridge gateway, or 127.0.0.1 for host networking. */
  host: string;
  /**
   * When `host` is not (yet) an address of this machine (Podman creates its bridge with the first
   * container), listen on every IPv4 address but accept only peers from this subnet and loopback.
   */
  allowFrom: string | null;
}

/**
 * cc-iso's host-side credential forwarder (`--credential-path proxy`): an isolation gets a
 * placeholder token and this forwarder as its ANTHROPIC_BASE_URL; each request that carries the
 * placeholder goes to the real upstream with the real credential in its place. The real value
 * lives only in this closure: never in a response, a message or the isolation.
 */
export interface CredentialProxy {
  /** The credential variable with the placeholder value: what the isolation gets instead. */
  readonly placeholderEnv: Record<string, string>;
  /** Starts listening on an address (once per address, an ephemeral port) and returns the port. */
  listen(address: ListenAddress): Promise<number>;
  /** Stops listening and cuts open connections. Idempotent. */
  close(): Promise<void>;
}

export interface CredentialProxyOptions {
  /** The real API: the host's ANTHROPIC_BASE_URL, else ANTHROPIC_API. May carry a path prefix. */
  upstream: string;
  credential: { variable: CredentialVariable; value: string };
  /** Test seam: the placeholder; a fresh random one per session otherwise. */
  placeholder?: string;
}

// Headers that describe one connection, not the request (RFC 9110 §7.6.1): never forwarded.
const HOP_BY_HOP = new Set([
  'connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'proxy-connection', 'te', 'trailer',
  'transfer-encoding', 'upgrade', 'host',
]);

export function createCredentialProxy(options: CredentialProxyOptions): CredentialProxy {
  const upstream = new URL(options.upstream);
  const { variable, value } = options.credential;
  // A recognisable, non-secret stand-in of the same shape, like the sandbox's `sk-ant-oat01…` stand-in.
  const placeholder =
    options.placeholder ??
    `${variable === 'CLAUDE_CODE_OAUTH_TOKEN' ? 'sk-ant-oat01' : 'sk-ant-api03'}-cc-iso-placeholder-${randomHex(16)}`;
  // Node's HTTP stack loads only when a session forwards a credential: it is a third of the
  // start-up of a `cc-iso run` that has no forwarder.
  const http = process.getBuiltinModule('node:http');
  const https = process.getBuiltinModule('node:https');
  const header = credentialHeader(variable);
  const secrets = [value, encodeURIComponent(value)];
  // Honours HTTPS_PROXY / NO_PROXY of the host, like any other client on it (Node ≥ 24.5).
  const agent = new (upstream.protocol === 'https:' ? https : http).Agent({ keepAlive: true, proxyEnv: process.env });
  const servers = new Map<string, Promise<{ server: Http.Server; port: number }>>();

  const handle = (req: Http.IncomingMessage, res: Http.ServerResponse) => {
    if (!carries(req.headers[header.name], header.prefix + placeholder)) {
      req.resume();
      return refuse(res, 403, 'permission_error', 'the request does not carry this session\'s placeholder credential');
    }
    const target = upstreamUrl(upstream, req.url ?? '/');
    const headers = forwardedHeaders(req.headers);
    headers[header.name] = header.prefix + value;
    const client = (target.protocol === 'https:' ? https : http).request(target, { method: req.method, headers, agent }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.statusMessage, forwardedHeaders(answer.headers));
      // Chunk by chunk, so a server-sent event stream reaches Claude as it is produced.
      answer.pipe(res);
      answer.on('error', () => res.destroy());
    });
    client.on('error', (error) => {
      if (res.headersSent) return void res.destroy();
      const reason = (error as NodeJS.ErrnoException).code ?? error.message;
      refuse(res, 502, 'api_error', `the upstream ${upstream.origin} could not be reached (${redact(reason, secrets)})`);
    });
    // Claude gave up (ctrl-c, timeout): stop the upstream request too.
    res.on('close', () => {
      if (!res.writableFinished) client.destroy();
    });
    req.pipe(client);
  };

  const start = async (address: ListenAddress) => {
    const server = http.createServer(handle);
    try {
      return { server, port: await listenOn(server, address.host) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRNOTAVAIL' || !address.allowFrom) throw error;
    }
    const allowed = new BlockList();
    allowed.addSubnet('127.0.0.0', 8);
    const [network, prefix] = address.allowFrom.split('/');
    allowed.addSubnet(network ?? '', Number(prefix));
    server.on('connection', (socket: Socket) => {
      const peer = socket.remoteAddress ?? '';
      if (!isIPv4(peer) || !allowed.check(peer)) socket.destroy();
    });
    return { server, port: await listenOn(server, '0.0.0.0') };
  };

  return {
    placeholderEnv: { [variable]: placeholder },
    async listen(address) {
      const key = `${address.host} ${address.allowFrom ?? ''}`;
      let started = servers.get(key);
      if (!started) {
        started = start(address);
        servers.set(key, started);
        started.catch(() => servers.delete(key));
      }
      return (await started).port;
    },
    async close() {
      const all = [...servers.values()];
      servers.clear();
      await Promise.all(
        all.map(async (started) => {
          const { server } = await started.catch(() => ({ server: null }));
          if (!server) return;
          const closed = new Promise<void>((resolve) => server.close(() => resolve()));
          server.closeAllConnections();
          await closed;
        }),
      );
      agent.destroy();
    },
  };
}

/**
 * The upstream URL for a request path: always the upstream's origin, with its path prefix (a
 * gateway's `/v1/proxy`, the mock's `/s/<scenario>`). Parsed, not concatenated, so a path like
 * `//elsewhere.example/` cannot send the credential to another host.
 */
export function upstreamUrl(upstream: URL, path: string): URL {
  const incoming = new URL(path, 'http://forwarder.invalid');
  const target = new URL(upstream.origin);
  target.pathname = upstream.pathname.replace(/\/$/, '') + incoming.pathname;
  target.search = incoming.search;
  return target;
}

/** The header Claude Code sends each credential in. */
function credentialHeader(variable: CredentialVariable): { name: string; prefix: string } {
  return variable === 'ANTHROPIC_API_KEY' ? { name: 'x-api-key', prefix: '' } : { name: 'authorization', prefix: 'Bearer ' };
}

/** Whether a header carries exactly the expected value, compared in constant time. */
function carries(sent: string | string[] | undefined, expected: string): boolean {
  if (typeof sent !== 'string') return false;
  // The auth scheme is case-insensitive ("bearer x" is "Bearer x").
  const normalised = expected.startsWith('Bearer ') ? sent.replace(/^bearer /i, 'Bearer ') : sent;
  const a = Buffer.from(normalised);
  const b = Buffer.from(expected);
  return a.length === b.length && process.getBuiltinModule('node:crypto').timingSafeEqual(a, b);
}

/** Every end-to-end header, minus the connection's own and those the Connection header names. */
function forwardedHeaders(headers: Http.IncomingHttpHeaders): Http.OutgoingHttpHeaders {
  const named = new Set(String(headers.connection ?? '').split(',').map((name) => name.trim().toLowerCase()));
  const kept: Http.OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name) && !named.has(name)) kept[name] = value;
  }
  return kept;
}

/** An error in the Messages API's shape, so Claude Code shows its message. */
function refuse(res: Http.ServerResponse, status: number, type: string, message: string): void {
  const body = JSON.stringify({ type: 'error', error: { type, message: `cc-iso credential proxy: ${message}` } });
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function listenOn(server: Http.Server, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}
