import { execa } from 'execa';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BASE_IMAGE } from './engines.js';

/** The built CLI, as a user runs it after `npm install`: the bundle package.json's `bin` names. */
export const CLI = fileURLToPath(new URL('../../dist/bin/cc-iso.js', import.meta.url));

/**
 * Runs `cc-iso …` with the test base image and empty saved settings (a fresh settings folder, so
 * choices remembered by another test never change the defaults); extra variables are added.
 */
export function runCli(args: string[], env: Record<string, string> = {}, options: { cwd?: string; stdin?: 'pipe' } = {}) {
  return execa('node', [CLI, ...args], {
    reject: false,
    ...options,
    env: {
      CC_ISO_BASE_IMAGE: BASE_IMAGE,
      CC_ISO_CONFIG_DIR: mkdtempSync(join(tmpdir(), 'cc-iso-config-')),
      CC_ISO_DATA_DIR: mkdtempSync(join(tmpdir(), 'cc-iso-data-')),
      ...env,
    },
  });
}

/** Sends `signal` to a running `cc-iso` once its stdout has shown `text`, as a person pressing ctrl-c would. */
export function signalWhenSeen(child: ReturnType<typeof runCli>, text: string, signal: NodeJS.Signals = 'SIGINT'): void {
  let output = '';
  const watch = (chunk: Buffer) => {
    output += chunk.toString();
    if (!output.includes(text)) return;
    child.stdout?.off('data', watch);
    child.kill(signal);
  };
  child.stdout?.on('data', watch);
}

/** Claude Code against the mock Messages API: its scenario URL, no retries (an error would take minutes), no telemetry. */
export function mockClaudeEnv(mockUrl: string, scenario: string): Record<string, string> {
  return {
    ANTHROPIC_BASE_URL: `${mockUrl}/s/${scenario}`,
    CLAUDE_CODE_MAX_RETRIES: '0',
    DISABLE_TELEMETRY: '1',
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
  };
}
