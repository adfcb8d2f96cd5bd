import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { callCli, firstLine } from './cli-call.js';
import { onPath } from './which.js';
import { call, type SandboxCli } from './sandbox-cli.js';
import { firstSemver, parseSandboxList } from './sandbox-json.js';
import { baseDetection, noAnswer, type DetectOptions, type Found } from './sandbox-sbx.js';

/** The plugin's microVMs never see the caller's environment: its proxy injects the key Docker Desktop read at start. */
const LEGACY_AUTH_HINT =
  'the legacy `docker sandbox` plugin takes the key from ANTHROPIC_API_KEY in the shell config Docker Desktop read when it started: add `export ANTHROPIC_API_KEY=…` to ~/.bashrc or ~/.zshrc and restart Docker Desktop';

/**
 * Docker Desktop's `docker sandbox` plugin (4.58+, deprecated in April 2026, since removed): the
 * fallback when `sbx` is not installed. Null when the plugin is not there.
 */
export async function detectLegacy(options: DetectOptions): Promise<Found> {
  if (!onPath('docker') || !pluginInstalled(options.platform)) return null;
  const version = await callCli('docker', ['sandbox', 'version'], options.timeoutMs);
  const cli: SandboxCli = {
    label: 'docker sandbox',
    file: 'docker',
    prefix: ['sandbox'],
    remove: ['rm'],
    authHint: LEGACY_AUTH_HINT,
  };
  const base = { ...baseDetection('docker sandbox'), version: firstSemver(version.stdout) };
  if (version.timedOut) {
    const [reason, fix] = noAnswer(options.timeoutMs, 'docker sandbox');
    return { cli, detection: { ...base, reason, fix } };
  }
  // Also "docker: 'sandbox' is not a docker command." when Docker is there without the plugin.
  if (version.exitCode !== 0) return null;

  const ls = await call(cli, ['ls', '--json'], options.timeoutMs);
  if (ls.timedOut || ls.exitCode !== 0 || !parseSandboxList(ls.stdout)) {
    const message = ls.timedOut ? 'no answer' : firstLine(ls.stderr) || firstLine(ls.stdout) || `exit ${ls.exitCode}`;
    return { cli, detection: { ...base, reason: `\`docker sandbox ls\` failed (${message})`, fix: 'start Docker Desktop' } };
  }
  return {
    cli,
    detection: {
      ...base,
      available: true,
      details: [
        'legacy Docker Desktop plugin (deprecated: install sbx)',
        'API key from ANTHROPIC_API_KEY in the shell config Docker Desktop read at start',
      ],
    },
  };
}

/**
 * Whether a `docker-sandbox` plugin file is where the docker CLI looks for plugins (its config's
 * cliPluginsExtraDirs, ~/.docker/cli-plugins, the system folders): found without starting docker.
 */
function pluginInstalled(platform: NodeJS.Platform, env: NodeJS.ProcessEnv = process.env): boolean {
  const config = env.DOCKER_CONFIG || join(homedir(), '.docker');
  let extra: string[] = [];
  try {
    const parsed = JSON.parse(readFileSync(join(config, 'config.json'), 'utf8')) as { cliPluginsExtraDirs?: unknown };
    if (Array.isArray(parsed.cliPluginsExtraDirs)) extra = parsed.cliPluginsExtraDirs.filter((dir): dir is string => typeof dir === 'string');
  } catch {
    // No config: the default folders only.
  }
  const system =
    platform === 'win32'
      ? [join(env.ProgramData ?? 'C:\\ProgramData', 'Docker', 'cli-plugins'), join(env.ProgramFiles ?? 'C:\\Program Files', 'Docker', 'cli-plugins')]
      : [
          '/usr/local/lib/docker/cli-plugins', '/usr/local/libexec/docker/cli-plugins', '/usr/lib/docker/cli-plugins',
          '/usr/libexec/docker/cli-plugins', '/Applications/Docker.app/Contents/Resources/cli-plugins',
        ];
  const name = platform === 'win32' ? 'docker-sandbox.exe' : 'docker-sandbox';
  return [...extra, join(config, 'cli-plugins'), ...system].some((dir) => existsSync(join(dir, name)));
}
