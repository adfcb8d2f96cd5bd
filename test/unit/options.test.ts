import { describe, expect, it } from 'vitest';
import { envName, parseOptions, UsageError } from '../../src/config/options.js';

describe('parseOptions', () => {
  it('uses the documented defaults', () => {
    const options = parseOptions([], {});
    expect(options.modes).toBe('auto');
    expect(options.workload).toBe('claude');
    expect(options.runs).toBe(1);
    expect(options.warmup).toBe(0);
    expect(options.workspace).toBeNull();
    expect(options.timeoutMs).toBe(600_000);
    expect(options.claudeVersion).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('reads a comma list of modes, both and auto', () => {
    expect(parseOptions(['--mode', 'docker,podman,host'], {}).modes).toEqual(['docker', 'podman', 'host']);
    expect(parseOptions(['--mode', 'both'], {}).modes).toEqual(['docker', 'sandbox']);
    expect(parseOptions(['--mode', 'auto'], {}).modes).toBe('auto');
    expect(parseOptions(['--mode', 'docker,docker'], {}).modes).toEqual(['docker']);
  });

  it('rejects an unknown mode, workload, flag or a bad number as a usage error', () => {
    expect(() => parseOptions(['--mode', 'docker,lxc'], {})).toThrow(/unknown mode "lxc"/);
    expect(() => parseOptions(['--workload', 'make'], {})).toThrow(UsageError);
    expect(() => parseOptions(['--frobnicate'], {})).toThrow(UsageError);
    expect(() => parseOptions(['--runs', '0'], {})).toThrow(/--runs must be a whole number ≥ 1/);
    expect(() => parseOptions(['--timeout', 'soon'], {})).toThrow(UsageError);
  });

  it('takes the command workload from after --, untouched', () => {
    const options = parseOptions(['--workload', 'command', '--', 'sh', '-c', 'echo "$HOME" --mode x'], {});
    expect(options.command).toEqual(['sh', '-c', 'echo "$HOME" --mode x']);
    expect(options.modes).toBe('auto');
    expect(() => parseOptions(['--workload', 'command'], {})).toThrow(/needs the command after `--`/);
  });

  it('lets a flag win over CC_ISO_ variables, and variables over saved settings', () => {
    expect(envName('base-image')).toBe('CC_ISO_BASE_IMAGE');
    const env = { CC_ISO_RUNS: '4', CC_ISO_BASE_IMAGE: 'local/base:1', CC_ISO_SEQUENTIAL: 'true' };
    const saved = { runs: '2', prompt: 'saved prompt' };
    const fromEnv = parseOptions([], env, saved);
    expect(fromEnv.runs).toBe(4);
    expect(fromEnv.baseImage).toBe('local/base:1');
    expect(fromEnv.sequential).toBe(true);
    expect(fromEnv.prompt).toBe('saved prompt');
    expect(parseOptions(['--runs', '7'], env, saved).runs).toBe(7);
  });

  it('treats --timeout 0 as no timeout', () => {
    expect(parseOptions(['--timeout', '0'], {}).timeoutMs).toBeNull();
  });
});
