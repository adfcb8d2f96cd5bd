// Shared by the `sbx` and `docker sandbox` stand-ins: sandbox state on disk, the Podman container
// that really runs each sandbox's commands, and the call log tests read.
//
// Environment:
//   SBX_STANDIN_STATE          state folder (sandboxes, policy, daemon flag, calls.log)
//   SBX_STANDIN_IMAGE          image a sandbox's container runs (the cc-iso agent image)
//   SBX_STANDIN_ANTHROPIC_URL  where the "proxy" sends Claude: ANTHROPIC_BASE_URL inside
//   SBX_STANDIN_CREATE_DELAY_MS  create waits this long after making the container (a slow VM boot)
import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import tty from 'node:tty';

export const stateDir = process.env.SBX_STANDIN_STATE || path.join(os.tmpdir(), 'sbx-standin');
/** What the real proxies leave in the sandbox instead of the key they inject. */
export const PLACEHOLDER = 'proxy-managed';

export function modes(variable) {
  return new Set((process.env[variable] || '').split(',').map((mode) => mode.trim()).filter(Boolean));
}

/** 'tty', 'closed' (/dev/null, as `stdin: 'ignore'` gives) or 'open' (a pipe a prompt could wait on). */
export function stdinKind() {
  if (tty.isatty(0)) return 'tty';
  try {
    const stdin = fs.fstatSync(0);
    return stdin.isCharacterDevice() && stdin.rdev === fs.statSync('/dev/null').rdev ? 'closed' : 'open';
  } catch {
    return 'closed';
  }
}

export function logCall(cli, argv) {
  fs.mkdirSync(stateDir, { recursive: true });
  fs.appendFileSync(path.join(stateDir, 'calls.log'), `${JSON.stringify({ cli, argv, stdin: stdinKind(), at: Date.now() })}\n`);
}

export function fail(message, code = 1) {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

/** Prints a line and never exits: a daemon that does not come up, a prompt nobody answers. */
export function hang(line) {
  process.stdout.write(`${line}\n`);
  setInterval(() => {}, 1 << 30);
  return new Promise(() => {});
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** One JSON file per sandbox under <state>/<cli>/. */
export class Store {
  constructor(cli) {
    this.dir = path.join(stateDir, cli);
    fs.mkdirSync(this.dir, { recursive: true });
  }

  get(name) {
    try {
      return JSON.parse(fs.readFileSync(path.join(this.dir, `${name}.json`), 'utf8'));
    } catch {
      return null;
    }
  }

  put(record) {
    const file = path.join(this.dir, `${record.name}.json`);
    fs.writeFileSync(`${file}.tmp`, JSON.stringify(record));
    fs.renameSync(`${file}.tmp`, file);
  }

  remove(name) {
    fs.rmSync(path.join(this.dir, `${name}.json`), { force: true });
  }

  all() {
    return fs
      .readdirSync(this.dir)
      .filter((file) => file.endsWith('.json'))
      .map((file) => this.get(file.slice(0, -5)))
      .filter(Boolean)
      .sort((a, b) => a.created_at.localeCompare(b.created_at));
  }
}

export function newRecord(name, agent, workspaces) {
  const now = new Date().toISOString();
  return { name, id: randomUUID(), agent, status: 'running', workspaces, ports: [], created_at: now, last_used_at: now };
}

function podman(args) {
  const result = spawnSync('podman', args, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  return { ok: result.status === 0, stderr: (result.stderr || result.error?.message || '').trim() };
}

/** The sandbox's "VM": a rootful Podman container with the workspace at the same path. */
export function createContainer(cli, name, workspace) {
  const image = process.env.SBX_STANDIN_IMAGE;
  if (!image) return { ok: false, stderr: 'SBX_STANDIN_IMAGE is not set' };
  return podman([
    'run', '-d', '--init', '--name', name,
    '--label', 'cc-iso-standin=1', '--label', `cc-iso-standin.cli=${cli}`, '--label', `cc-iso-standin.state=${stateDir}`,
    ...(workspace ? ['-v', `${workspace}:${workspace}`, '--workdir', workspace] : []),
    '--user', '1000:1000', '--network', 'host',
    image, 'sleep', 'infinity',
  ]);
}

export const startContainer = (name) => podman(['start', name]);
export const stopContainer = (name) => podman(['stop', '--time', '1', name]);
export const removeContainer = (name) => podman(['rm', '--force', name]);

/**
 * Parses docker-exec-style flags up to the first positional (the sandbox), then the command.
 * `-e NAME` takes the value from this process's environment, `-e NAME=VALUE` as given.
 */
export function parseExec(args) {
  const options = { env: [], workdir: null, user: null, interactive: false, tty: false, detach: false };
  let index = 0;
  for (; index < args.length; index++) {
    const arg = args[index];
    if (!arg.startsWith('-')) break;
    const [flag, inline] = arg.includes('=') && arg.startsWith('--') ? arg.split(/=(.*)/s) : [arg, undefined];
    const value = () => (inline !== undefined ? inline : args[++index]);
    switch (flag) {
      case '-i': case '--interactive': options.interactive = true; break;
      case '-t': case '--tty': options.tty = true; break;
      case '-it': case '-ti': options.interactive = true; options.tty = true; break;
      case '-d': case '--detach': options.detach = true; break;
      case '-e': case '--env': options.env.push(value()); break;
      case '-w': case '--workdir': options.workdir = value(); break;
      case '-u': case '--user': options.user = value(); break;
      case '--privileged': break;
      default: return { error: `unknown flag: ${flag}` };
    }
  }
  return { options, name: args[index], command: args.slice(index + 1) };
}

/**
 * Runs the command in the sandbox's container, relaying its output and exit code. The `podman exec`
 * runs in its own process group, so killing the client leaves the command running inside, as with
 * the real CLIs (only stop or rm ends it).
 */
export function execInContainer(name, options, command, proxyEnv, { dropFinalNewline = false } = {}) {
  const env = { ...process.env };
  const names = [];
  for (const [key, value] of Object.entries(proxyEnv)) {
    env[key] = value;
    names.push(key);
  }
  for (const entry of options.env) {
    const [key, value] = entry.includes('=') ? entry.split(/=(.*)/s) : [entry, process.env[entry]];
    if (value === undefined) continue;
    env[key] = value;
    names.push(key);
  }
  const args = [
    'exec',
    ...(options.interactive ? ['-i'] : []),
    ...(options.tty ? ['-t'] : []),
    ...[...new Set(names)].flatMap((key) => ['-e', key]),
    ...(options.workdir ? ['-w', options.workdir] : []),
    ...(options.user ? ['-u', options.user] : []),
    name,
    ...command,
  ];
  const child = spawn('podman', args, {
    env,
    detached: true,
    stdio: [options.interactive ? 'inherit' : 'ignore', 'pipe', 'pipe'],
  });
  child.stderr.pipe(process.stderr);
  if (dropFinalNewline) {
    // Holds back each chunk's last newline until more output follows: the very last one never comes.
    let held = false;
    child.stdout.on('data', (chunk) => {
      const text = `${held ? '\n' : ''}${chunk}`;
      held = text.endsWith('\n');
      process.stdout.write(held ? text.slice(0, -1) : text);
    });
  } else {
    child.stdout.pipe(process.stdout);
  }
  return new Promise((resolve) => {
    child.on('error', (error) => resolve({ code: 127, error: error.message }));
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 + (os.constants.signals[signal] ?? 9) : 1) }));
  });
}

/** What the client prints when it is told to stop while its command still runs inside. */
export function onClientSignal(message) {
  for (const signal of ['SIGTERM', 'SIGINT']) {
    process.on(signal, () => {
      process.stderr.write(`${message}\n`);
      process.exit(1);
    });
  }
}

/** The variables the sandbox's proxy sets up inside: a placeholder key (when it has one) and its own endpoint. */
export function proxyEnv(hasKey) {
  return {
    ...(hasKey ? { ANTHROPIC_API_KEY: PLACEHOLDER } : {}),
    ...(process.env.SBX_STANDIN_ANTHROPIC_URL ? { ANTHROPIC_BASE_URL: process.env.SBX_STANDIN_ANTHROPIC_URL } : {}),
  };
}

export function table(rows) {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => String(row[column]).length)));
  return rows.map((row) => row.map((cell, column) => String(cell).padEnd(widths[column])).join('   ').trimEnd()).join('\n');
}
