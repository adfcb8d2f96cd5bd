import { callCli, firstLine, onPath } from './cli-call.js';
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
  if (!onPath('docker')) return null;
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
