import { expect, test } from 'vitest';
import { programsStarted } from '../../src/bench/engine-calls.js';
import { describeSample, formatRatio, median, pairedRatios, tableMetrics } from '../../src/bench/report.js';

test('a sample reads as median ±σ [min–max], in milliseconds below a second and seconds above', () => {
  expect(describeSample([400, 398, 455, 410])).toBe('405 ms ±27 [398–455]');
  expect(describeSample([1050, 980, 1200])).toBe('1.05 s ±0.11 [0.98–1.20]');
  expect(describeSample([4.25, 4.5])).toBe('4.4 ms ±0.2 [4.3–4.5]');
});

test('one value has no spread, and no value is a dash, not a zero', () => {
  expect(describeSample([120])).toBe('120 ms [120–120]');
  expect(describeSample([])).toBe('–');
});

test('ratios and megabytes keep their own units', () => {
  expect(describeSample([1.2, 1.3, 1.25], 'ratio')).toBe('1.25× ±0.05 [1.20–1.30]');
  expect(describeSample([88, 90], 'MB')).toBe('89 MB ±1 [88–90]');
  expect(formatRatio(2.456)).toBe('2.46×');
});

test('ratios are taken round by round, so the drift of a shared machine cancels', () => {
  // The machine got twice as slow from round 2: the medians' ratio would mix rounds, the pairs do not.
  const ours = [130, 260, 260];
  const bare = [100, 200, 200];
  expect(pairedRatios(ours, bare)).toEqual([1.3, 1.3, 1.3]);
  expect(median(pairedRatios(ours, bare))).toBe(1.3);
  expect(() => pairedRatios([1, 2], [1])).toThrow(/differ in size/);
});

test('a table becomes one metric line per row, header and rule included', () => {
  expect(tableMetrics('a  b\n─  ─\n1  2')).toEqual([
    ['', 'a  b'],
    ['', '─  ─'],
    ['', '1  2'],
  ]);
});

test('from a strace log, the programs cc-iso starts itself are counted by sub-command, not what they start', () => {
  const log = [
    '100 execve("/usr/bin/node", ["node", "dist/cli/bin.js", "run"], 0x7ffd /* 30 vars */) = 0',
    '100 clone3({flags=CLONE_VM|CLONE_VFORK|CLONE_CLEAR_SIGHAND, exit_signal=SIGCHLD, stack=0x7f}, 88) = 101',
    '101 execve("/usr/local/sbin/docker", ["docker", "ps", "--all"], 0x55 /* 30 vars */) = -1 ENOENT (No such file or directory)',
    '101 execve("/usr/bin/docker", ["docker", "ps", "--all"], 0x55 /* 30 vars */) = 0',
    '100 clone(child_stack=NULL, flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD, tls=0x7f) = 102',
    '100 clone3({flags=CLONE_VM|CLONE_VFORK, exit_signal=SIGCHLD}, 88 <unfinished ...>',
    '102 futex(0x7f, FUTEX_WAIT_PRIVATE, 0, NULL) = 0',
    '100 <... clone3 resumed>) = 103',
    '103 execve("/usr/bin/docker", ["docker", "image", "inspect", "cc-iso-agent:1"], 0x55 /* 30 vars */) = 0',
    '103 clone(child_stack=NULL, flags=SIGCHLD) = 104',
    '104 execve("/usr/bin/dpkg-query", ["dpkg-query", "--search"], 0x55 /* 30 vars */) = 0',
    '100 clone3({flags=CLONE_VM|CLONE_VFORK, exit_signal=SIGCHLD}, 88) = 105',
    '105 execve("/usr/bin/docker", ["docker", "ps", "--all"], 0x55 /* 30 vars */) = 0',
  ].join('\n');
  expect(Object.fromEntries(programsStarted(log))).toEqual({ 'docker ps': 2, 'docker image inspect': 1 });
});
