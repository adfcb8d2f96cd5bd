import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { OptionName } from './options.js';

/**
 * The choices the interactive app remembers between sessions. They preselect the app's screen
 * only: `cc-iso run` never reads them, so a script or CI job runs the same every time.
 */
export type SavedChoices = Partial<Record<OptionName, string | boolean>>;

const REMEMBERED: OptionName[] = ['mode', 'workload', 'prompt', 'runs', 'warmup', 'timeout'];

/** Tests and CI point CC_ISO_CONFIG_DIR at a scratch folder so they never touch a user's settings. */
export function settingsDir(): string {
  return (
    process.env.CC_ISO_CONFIG_DIR ||
    join(process.env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'cc-iso')
  );
}

/**
 * Reads the saved choices straight from conf's JSON file. conf itself is only loaded to write:
 * loading it installs a signal hook (atomically → when-exit) that re-sends every SIGINT, which
 * would turn one ctrl-c in `cc-iso run` into a forced stop.
 */
export function loadChoices(): SavedChoices {
  try {
    const stored = JSON.parse(readFileSync(join(settingsDir(), 'config.json'), 'utf8')) as { choices?: unknown };
    const choices = stored.choices;
    return choices && typeof choices === 'object' ? (choices as SavedChoices) : {};
  } catch {
    // No settings yet, or an unreadable file: defaults apply.
    return {};
  }
}

export async function saveChoices(choices: SavedChoices): Promise<void> {
  const kept = Object.fromEntries(Object.entries(choices).filter(([name]) => REMEMBERED.includes(name as OptionName)));
  try {
    const { default: Conf } = await import('conf');
    new Conf<{ choices: SavedChoices }>({
      projectName: 'cc-iso',
      cwd: settingsDir(),
      defaults: { choices: {} },
      clearInvalidConfig: true,
    }).set('choices', kept);
  } catch {
    // Remembering is a convenience; failing to write settings is not an error for the run.
  }
}
