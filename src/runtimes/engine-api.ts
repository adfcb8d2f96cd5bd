import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Docker's HTTP API over its unix socket: answers in milliseconds what a CLI call answers in a
 * tenth of a second or more. Used for questions only (detection, listing); every container is
 * still started by the engine's CLI, the path a user runs and cc-iso measures.
 */

/**
 * The unix socket the `docker` CLI talks to, resolved as the CLI does: DOCKER_HOST, else the
 * context (DOCKER_CONTEXT, else config.json's currentContext), else the default socket. Null when
 * that is not a local unix socket (tcp, ssh, a named pipe) or cannot be read: ask the CLI then.
 */
export function dockerSocket(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string | null {
  if (env.DOCKER_HOST) return unixPath(env.DOCKER_HOST);
  const configDir = env.DOCKER_CONFIG || join(homedir(), '.docker');
  const context = env.DOCKER_CONTEXT || currentContext(configDir);
  if (context && context !== 'default') {
    const meta = readJson(join(configDir, 'contexts', 'meta', process.getBuiltinModule('node:crypto').createHash('sha256').update(context).digest('hex'), 'meta.json'));
    const host = (meta as { Endpoints?: { docker?: { Host?: unknown } } } | null)?.Endpoints?.docker?.Host;
    return typeof host === 'string' ? unixPath(host) : null;
  }
  return platform === 'win32' ? null : '/var/run/docker.sock';
}

function currentContext(configDir: string): string | null {
  const config = readJson(join(configDir, 'config.json')) as { currentContext?: unknown } | null;
  return typeof config?.currentContext === 'string' ? config.currentContext : null;
}

function unixPath(host: string): string | null {
  return host.startsWith('unix://') ? host.slice('unix://'.length) : null;
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

export type ApiGet = (socket: string, path: string) => Promise<unknown>;

/**
 * GET a JSON answer from the engine's socket; null on any failure (no socket, refused, not 200,
 * not JSON). Plain HTTP/1.0 over node:net: the answer ends when the engine closes the connection,
 * and loading node:http would cost more than the question.
 */
export const getJson: ApiGet = async (socket, path) => {
  const response = await get(socket, path);
  if (!response) return null;
  try {
    return JSON.parse(response.body);
  } catch {
    return null;
  }
};

/** The `Server` header of `/_ping` ("Docker/28.1.1 (linux)"): the daemon answers, and which version; null when it does not. */
export async function pingServer(socket: string): Promise<string | null> {
  const response = await get(socket, '/_ping');
  return response ? (/^server:\s*(.+)$/im.exec(response.head)?.[1]?.trim() ?? null) : null;
}

/** A 200 answer's status line with headers, and its body; null for anything else. */
function get(socket: string, path: string): Promise<{ head: string; body: string } | null> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const connection = connect(socket);
    connection.setTimeout(5000, () => connection.destroy());
    connection.on('connect', () => connection.end(`GET ${path} HTTP/1.0\r\nHost: engine\r\n\r\n`));
    connection.on('data', (chunk: Buffer) => chunks.push(chunk));
    connection.on('error', () => resolve(null));
    connection.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const split = text.indexOf('\r\n\r\n');
      resolve(split >= 0 && /^HTTP\/1\.[01] 200 /.test(text) ? { head: text.slice(0, split), body: text.slice(split + 4) } : null);
    });
  });
}

/** `?filters=…` as the API takes them: `{"label":["a=b"]}`. */
export function filtersQuery(filters: Record<string, string[]>): string {
  return `filters=${encodeURIComponent(JSON.stringify(filters))}`;
}
