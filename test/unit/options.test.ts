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
    expect(() => parseOptions(['--runs', '0'], {})).toThrow(/--runs must be a whole number from 1 to 10000/);
    expect(() => parseOptions(['--timeout', 'soon'], {})).toThrow(UsageError);
  });

  it('takes the command workload from after --, untouched', () => {
    const options = parseOptions(['--workload', 'command', '--', 'sh', '-c', 'echo "$HOME" --mode x'], {});
    expect(options.command).toEqual(['sh', '-c', 'echo "$HOME" --mode x']);
    expect(options.modes).toBe('auto');
    expect(() => parseOptions(['--workload', 'command'], {})).toThrow(/needs the command after `--`/);
  });

  it('lets a flag win over CC_ISO_ variables, and variables over the app\'s remembered choices', () => {
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

  it('bounds --timeout by what a timer can hold, and says so', () => {
    expect(parseOptions(['--timeout', '2147483'], {}).timeoutMs).toBe(2_147_483_000);
    expect(() => parseOptions(['--timeout', '2147484'], {})).toThrow(
      /^--timeout must be a whole number from 0 to 2147483 seconds \(0: no timeout; the most a timer can wait is about 24 days\), got "2147484"$/,
    );
    expect(() => parseOptions(['--timeout', '1e12'], {})).toThrow(/--timeout must be a whole number from 0 to 2147483/);
  });

  it('bounds --runs and --warmup, naming the variable when the value came from one', () => {
    expect(parseOptions(['--runs', '10000'], {}).runs).toBe(10_000);
    expect(() => parseOptions(['--runs', '1000000'], {})).toThrow(
      /^--runs must be a whole number from 1 to 10000; for more, run several sessions, got "1000000"$/,
    );
    expect(() => parseOptions(['--warmup', '20000'], {})).toThrow(/--warmup must be a whole number from 0 to 10000/);
    expect(() => parseOptions([], { CC_ISO_RUNS: '5000000' })).toThrow(/^CC_ISO_RUNS must be a whole number from 1 to 10000/);
  });

  it('reads a negative value as the value, and says what is wrong with it (not "ambiguous")', () => {
    expect(() => parseOptions(['--timeout', '-1'], {})).toThrow(/^--timeout must be a whole number from 0 to 2147483 .*, got "-1"$/);
    expect(() => parseOptions(['--runs', '-3'], {})).toThrow(/^--runs must be a whole number from 1 to 10000.*, got "-3"$/);
    expect(parseOptions(['--workload', 'claude', '--prompt', '-v is a flag'], {}).prompt).toBe('-v is a flag');
    expect(parseOptions(['--json', '-'], {}).json).toBe('-');
    // A flag right after a flag still means its value is missing.
    expect(() => parseOptions(['--timeout', '--runs', '2'], {})).toThrow(UsageError);
  });

  it('makes a flag the chosen workload does not use a usage error', () => {
    expect(() => parseOptions(['--workload', 'probe', '--prompt', 'write hello'], {})).toThrow(
      '--prompt is not used by the probe workload (only by claude); drop it',
    );
    expect(() => parseOptions(['--workload', 'command', '--prompt', 'x', '--', 'true'], {})).toThrow(/--prompt is not used by the command workload/);
    expect(() => parseOptions(['--prompt', 'x'], { CC_ISO_WORKLOAD: 'probe' })).toThrow(/--prompt is not used by the probe workload/);
    expect(() => parseOptions(['--workload', 'command', '--registry-url', 'http://r/', '--', 'true'], {})).toThrow(
      /--registry-url is not used by the command workload/,
    );
    expect(() => parseOptions(['--workload', 'probe', '--', 'uname'], {})).toThrow(/the probe workload runs no command after `--`/);
    expect(parseOptions(['--workload', 'claude', '--prompt', 'x', '--registry-url', 'http://r/'], {}).prompt).toBe('x');
  });

  it('leaves the app\'s remembered choices out unless given, and ignores one that is no longer valid', () => {
    const remembered = { workload: 'probe', runs: '3', prompt: 'remembered' };
    expect(parseOptions(['--prompt', 'write hello'], {})).toMatchObject({ workload: 'claude', runs: 1, prompt: 'write hello' });
    // The app: remembered choices preselect; a --prompt with a remembered probe is not an error there.
    expect(parseOptions(['--prompt', 'write hello'], {}, remembered)).toMatchObject({ workload: 'probe', runs: 3, prompt: 'write hello' });
    expect(parseOptions([], {}, { runs: '9999999', timeout: '-5', workload: 'gone', mode: 'lxc' })).toMatchObject({
      runs: 1,
      timeoutMs: 600_000,
      workload: 'claude',
      modes: 'auto',
    });
  });
});
