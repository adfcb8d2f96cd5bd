import { describe, expect, it } from 'vitest';
import {
  compareVersions, describePolicy, firstSemver, hasAnthropicSecret, jsonAfterNoise, parsePolicy, parseSandboxList,
  parseSbxVersionJson,
} from '../../src/runtimes/sandbox-json.js';

describe('parseSandboxList', () => {
  const entry = { name: 'job-123', id: 'u', agent: 'claude', status: 'running', workspaces: ['/w'] };

  it('reads {"sandboxes"} (sbx ≥ 0.38), a bare array (older sbx) and {"vms"} (the plugin)', () => {
    expect(parseSandboxList(JSON.stringify({ sandboxes: [entry] }))).toEqual([{ name: 'job-123', status: 'running' }]);
    expect(parseSandboxList(JSON.stringify([entry]))).toEqual([{ name: 'job-123', status: 'running' }]);
    expect(parseSandboxList(JSON.stringify({ vms: [{ name: 'vm1', status: 'stopped', sandbox_count: 1 }] }))).toEqual([
      { name: 'vm1', status: 'stopped' },
    ]);
  });

  it('reads the empty shapes, including the plugin switching to {"sandboxes":[]} and a null list', () => {
    expect(parseSandboxList('{"sandboxes":[]}')).toEqual([]);
    expect(parseSandboxList('[]')).toEqual([]);
    expect(parseSandboxList('{"sandboxes":null}')).toEqual([]);
  });

  it('skips daemon-start lines before the JSON', () => {
    const text = `Starting sandboxd daemon...\nDaemon started (PID: 42, socket: /x.sock)\n${JSON.stringify({ sandboxes: [entry] })}\n`;
    expect(parseSandboxList(text)).toEqual([{ name: 'job-123', status: 'running' }]);
  });

  it('takes "state" when there is no "status" and skips entries without a name', () => {
    expect(parseSandboxList('[{"name":"a","state":"running"},{"id":"x"},"junk"]')).toEqual([{ name: 'a', status: 'running' }]);
  });

  it('returns null for output it cannot read', () => {
    expect(parseSandboxList('No sandboxes found')).toBeNull();
    expect(parseSandboxList('{"other":[]}')).toBeNull();
  });
});

describe('jsonAfterNoise', () => {
  it('passes over a line that only looks like JSON', () => {
    expect(jsonAfterNoise('{not json\n{"a":1}')).toEqual({ a: 1 });
    expect(jsonAfterNoise('nothing here')).toBeUndefined();
  });
});

describe('versions', () => {
  it('reads `sbx version --json` with the daemon state', () => {
    expect(parseSbxVersionJson('{"client":{"version":"v0.45.1"},"server":{"version":"v0.45.1","state":"running"}}')).toEqual({
      version: '0.45.1',
      daemon: 'running',
    });
    expect(parseSbxVersionJson('{"client":{"version":"v0.47.0"},"server":{"state":"unavailable"}}')).toEqual({
      version: '0.47.0',
      daemon: 'unavailable',
    });
    expect(parseSbxVersionJson('{"client":{}}')).toBeNull();
    expect(parseSbxVersionJson('Error: unknown flag: --json')).toBeNull();
  });

  it('finds the first x.y.z in every plain form', () => {
    expect(firstSemver('sbx version v0.45.1 f00f0d64')).toBe('0.45.1');
    expect(firstSemver('Client Version: v0.25.0 abc\nServer Version: v0.26.0 abc')).toBe('0.25.0');
    expect(firstSemver('github.com/docker/sandboxes/cli-plugin v0.7.1 f00f0d64')).toBe('0.7.1');
    expect(firstSemver('dev build')).toBeNull();
  });

  it('compares numerically, not as text', () => {
    expect(compareVersions('0.9.0', '0.35.0')).toBeLessThan(0);
    expect(compareVersions('0.35.0', '0.35.0')).toBe(0);
    expect(compareVersions('1.0.0', '0.47.3')).toBeGreaterThan(0);
  });
});

describe('policy', () => {
  it('names the preset a rule comes from and counts the decisions', () => {
    const rules = [
      { id: '1', name: 'AI providers', policy_id: 'preset-balanced', decision: 'allow', resources: ['api.anthropic.com'] },
      { id: '2', name: 'mine', policy_id: 'local', decision: 'deny', resources: ['example.com'] },
    ];
    const summary = parsePolicy(JSON.stringify({ rules }));
    expect(summary).toEqual({ rules: 2, preset: 'balanced', allow: 1, deny: 1 });
    expect(describePolicy(summary!)).toBe('policy balanced');
  });

  it('falls back to counts without a preset, and reads no rules as no policy', () => {
    const summary = parsePolicy('{"rules":[{"decision":"allow","origin":"local"}]}');
    expect(describePolicy(summary!)).toBe('policy: 1 allow, 0 deny rules');
    expect(parsePolicy('{"rules":[]}')?.rules).toBe(0);
    expect(parsePolicy('No policy rules.')).toBeNull();
  });
});

describe('hasAnthropicSecret', () => {
  it('finds an anthropic entry in JSON of any shape and in the table', () => {
    expect(hasAnthropicSecret('{"secrets":[{"service":"anthropic","scope":"global"}]}')).toBe(true);
    expect(hasAnthropicSecret('["openai","anthropic"]')).toBe(true);
    expect(hasAnthropicSecret('{"secrets":[{"service":"github"}]}')).toBe(false);
    expect(hasAnthropicSecret('{"secrets":[]}')).toBe(false);
    expect(hasAnthropicSecret('SERVICE     SCOPE\nanthropic   global\n')).toBe(true);
  });

  it('does not take a hint line for a stored secret', () => {
    expect(hasAnthropicSecret('No secrets stored. Store one with: sbx secret set anthropic')).toBe(false);
  });
});
