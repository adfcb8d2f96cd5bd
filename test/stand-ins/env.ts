import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';

const here = dirname(fileURLToPath(import.meta.url));
/** Folders to put first on PATH: `sbx`, and `docker` with the `sandbox` plugin. */
export const STAND_IN_DIRS = { sbx: join(here, 'sbx'), docker: join(here, 'docker') } as const;

export interface StandInCall {
  cli: 'sbx' | 'docker sandbox';
  argv: string[];
  stdin: 'tty' | 'closed' | 'open';
}

export interface StandIns {
  state: string;
  /** Every call the stand-ins received, in order. */
  calls(): StandInCall[];
  /** Sets (or, with undefined, removes) a stand-in variable of this process. */
  set(name: string, value: string | undefined): void;
  /** Puts PATH and every variable back and removes the state; removes the stand-ins' containers. */
  restore(): Promise<void>;
}

/**
 * Puts the stand-ins first on PATH of this test process (the runtime resolves `sbx` at call time)
 * with a fresh state folder. `variables` are SBX_STANDIN_* / DOCKER_SANDBOX_STANDIN_* settings.
 */
export function useStandIns(which: (keyof typeof STAND_IN_DIRS)[], variables: Record<string, string> = {}): StandIns {
  const saved = new Map<string, string | undefined>();
  const set = (name: string, value: string | undefined) => {
    if (!saved.has(name)) saved.set(name, process.env[name]);
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  };
  const state = mkdtempSync(join(tmpdir(), 'sbx-standin-'));
  set('PATH', [...which.map((name) => STAND_IN_DIRS[name]), process.env.PATH].join(delimiter));
  set('SBX_STANDIN_STATE', state);
  set('SBX_STANDIN_NODE', process.execPath);
  if (which.includes('docker')) {
    // A docker config folder whose cli-plugins holds the plugin, as Docker Desktop installs it
    // (with a config.json: Podman, which runs the stand-in's sandboxes, reads DOCKER_CONFIG too).
    const config = join(state, 'docker-config');
    mkdirSync(join(config, 'cli-plugins'), { recursive: true });
    writeFileSync(join(config, 'config.json'), '{}\n');
    symlinkSync(join(STAND_IN_DIRS.docker, 'docker-sandbox'), join(config, 'cli-plugins', 'docker-sandbox'));
    set('DOCKER_CONFIG', config);
  }
  for (const [name, value] of Object.entries(variables)) set(name, value);
  return {
    state,
    set,
    calls: () =>
      readFileSync(join(state, 'calls.log'), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as StandInCall),
    restore: async () => {
      const names = await standInContainers(state);
      if (names.length > 0) await execa('podman', ['rm', '--force', ...names], { reject: false });
      for (const [name, value] of saved) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
      rmSync(state, { recursive: true, force: true });
    },
  };
}

/** The Podman containers behind the sandboxes of one stand-in state. */
export async function standInContainers(state: string): Promise<string[]> {
  const filter = `label=cc-iso-standin.state=${state}`;
  const result = await execa('podman', ['ps', '--all', '--filter', filter, '--format', '{{.Names}}'], { reject: false });
  return String(result.stdout).split('\n').filter(Boolean);
}
