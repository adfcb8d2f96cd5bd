import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { formatDuration } from '../domain/duration.js';
import type { Detection } from './types.js';
import { callCli, firstLine, type CliResult } from './cli-call.js';
import { onPath } from './which.js';
import { call, type SandboxCli } from './sandbox-cli.js';
import {
  compareVersions, describePolicy, firstSemver, hasAnthropicSecret, parsePolicy, parseSandboxList,
  parseSbxVersionJson, type SbxVersion,
} from './sandbox-json.js';

/**
 * Oldest `sbx` cc-iso supports (public wrappers pin it too): from 0.35 host variables no longer
 * reach the sandbox, `policy init` exists and `rm --force` removes a sandbox in use.
 */
export const MIN_SBX_VERSION = '0.35.0';

export interface DetectOptions {
  timeoutMs: number;
  platform: NodeJS.Platform;
  kvmDevice: string;
}

/** What detection found for one CLI: null when that CLI is not installed. */
export type Found = { detection: Detection; cli: SandboxCli } | null;

const SBX_AUTH_HINT =
  'the sandbox proxy had no Anthropic credential: store one with `sbx secret set anthropic` (or run /login once in a sandbox)';

export function baseDetection(runtime: string | null): Detection {
  return { mode: 'sandbox', available: false, runtime, version: null, details: [], reason: null, fix: null };
}

export async function detectSbx(options: DetectOptions): Promise<Found> {
  const { timeoutMs, platform } = options;
  if (!onPath('sbx')) return null;
  const [versionJson, help] = await Promise.all([
    callCli('sbx', ['version', '--json'], timeoutMs),
    callCli('sbx', ['--help'], timeoutMs),
  ]);
  if (versionJson.missing) return null;
  const cli: SandboxCli = {
    label: 'sbx',
    file: 'sbx',
    prefix: /--no-input/.test(help.stdout + help.stderr) ? ['--no-input'] : [],
    remove: ['rm', '--force'],
    authHint: SBX_AUTH_HINT,
  };
  const base = baseDetection('sbx');
  const unavailable = (reason: string, fix: string): Found => ({ cli, detection: { ...base, reason, fix } });

  const version = await readVersion(versionJson, timeoutMs);
  if (version === 'timeout') return unavailable(...noAnswer(timeoutMs));
  if (!version) return unavailable('could not read the `sbx version` output', `reinstall sbx: ${installHint(platform)}`);
  base.version = version.version;
  if (compareVersions(version.version, MIN_SBX_VERSION) < 0) {
    return unavailable(`sbx ${version.version} is too old (cc-iso needs ${MIN_SBX_VERSION} or newer)`, upgradeHint(platform));
  }
  if (platform === 'linux' && !(await usable(options.kvmDevice))) {
    return unavailable(
      `no KVM: ${options.kvmDevice} is missing or not accessible`,
      'enable virtualization (nested virtualization inside a VM) and join the kvm group: `sudo usermod -aG kvm $USER`',
    );
  }

  const ls = await call(cli, ['ls', '--json'], timeoutMs);
  if (ls.timedOut) return unavailable(...noAnswer(timeoutMs));
  if (ls.exitCode !== 0) return unavailable(...lsFailure(ls));
  if (!parseSandboxList(ls.stdout)) return unavailable('`sbx ls --json` printed something cc-iso cannot read', upgradeHint(platform));

  const [policy, secret] = await Promise.all([call(cli, ['policy', 'ls', '--json'], timeoutMs), readSecret(cli, timeoutMs)]);
  if (policy.timedOut) return unavailable(...noAnswer(timeoutMs));
  const summary = policy.exitCode === 0 ? parsePolicy(policy.stdout) : null;
  if (summary?.rules === 0 || (policy.exitCode !== 0 && /policy init|no (network )?policy/i.test(policy.stderr))) {
    return unavailable(
      'no network policy initialised: the first sandbox would stop at an interactive policy chooser',
      '`sbx policy init balanced` (or allow-all, deny-all)',
    );
  }
  return {
    cli,
    detection: {
      ...base,
      available: true,
      details: [
        version.daemon === null || version.daemon === 'running' ? 'daemon running' : 'daemon started on demand',
        summary ? describePolicy(summary) : `policy unknown (${firstLine(policy.stderr) || 'unreadable'})`,
        secret === null
          ? 'Anthropic secret: unknown'
          : secret
            ? 'Anthropic secret stored'
            : 'no Anthropic secret stored (Claude will not be logged in): `sbx secret set anthropic`',
        'credential injected by the sandbox proxy, none passed in',
      ],
    },
  };
}

/** `version --json` (sbx ≥ 0.42), else the first x.y.z of plain `version`. */
async function readVersion(json: CliResult, timeoutMs: number): Promise<SbxVersion | null | 'timeout'> {
  if (json.timedOut) return 'timeout';
  const parsed = json.exitCode === 0 ? parseSbxVersionJson(json.stdout) : null;
  if (parsed) return parsed;
  const plain = await callCli('sbx', ['version'], timeoutMs);
  if (plain.timedOut) return 'timeout';
  const version = plain.exitCode === 0 ? firstSemver(plain.stdout) : null;
  return version ? { version, daemon: null } : null;
}

/** True, false, or null when neither `secret ls --json` nor `secret ls` answered. */
async function readSecret(cli: SandboxCli, timeoutMs: number): Promise<boolean | null> {
  const json = await call(cli, ['secret', 'ls', '--json'], timeoutMs);
  if (json.exitCode === 0) return hasAnthropicSecret(json.stdout);
  if (json.timedOut) return null;
  const plain = await call(cli, ['secret', 'ls'], timeoutMs);
  return plain.exitCode === 0 ? hasAnthropicSecret(plain.stdout) : null;
}

function lsFailure(ls: CliResult): [string, string] {
  const message = firstLine(ls.stderr) || firstLine(ls.stdout) || `exit ${ls.exitCode}`;
  if (/sign(ed)?[ -]?in|sbx login|not logged in|unauthori[sz]ed/i.test(message)) {
    return [
      'not signed in to Docker',
      '`sbx login` (headless: `echo "$DOCKER_PAT" | sbx login --username <id> --password-stdin`)',
    ];
  }
  if (/daemon/i.test(message)) return [`the sbx daemon is not running (${message})`, 'check `sbx daemon status` and `sbx diagnose`'];
  return [`\`sbx ls\` failed: ${message}`, 'check `sbx diagnose`'];
}

export function noAnswer(timeoutMs: number, label = 'sbx'): [string, string] {
  return [
    `${label} did not answer within ${formatDuration(timeoutMs)}`,
    `run \`${label} ls\` in a terminal: it may be starting its daemon or waiting for an answer`,
  ];
}

async function usable(device: string): Promise<boolean> {
  return access(device, constants.R_OK | constants.W_OK).then(
    () => true,
    () => false,
  );
}

export function installHint(platform: NodeJS.Platform): string {
  switch (platform) {
    case 'darwin':
      return 'install Docker Sandboxes: `brew install docker/tap/sbx` (Apple silicon, macOS 14+)';
    case 'win32':
      return 'install Docker Sandboxes: `winget install -h Docker.sbx` (Windows 11)';
    case 'linux':
      return 'install Docker Sandboxes (Ubuntu 24.04+ with KVM): `curl -fsSL https://get.docker.com | sudo REPO_ONLY=1 sh && sudo apt install docker-sbx`';
    default:
      return 'Docker Sandboxes run on macOS (Apple silicon), Windows 11 and Ubuntu 24.04+: https://docs.docker.com/ai/sandboxes/install/';
  }
}

export function upgradeHint(platform: NodeJS.Platform): string {
  switch (platform) {
    case 'darwin':
      return 'upgrade: `brew upgrade docker/tap/sbx`';
    case 'win32':
      return 'upgrade: `winget upgrade Docker.sbx`';
    default:
      return 'upgrade: `sudo apt-get install --only-upgrade docker-sbx` (or a newer tarball from https://github.com/docker/sbx-releases)';
  }
}
