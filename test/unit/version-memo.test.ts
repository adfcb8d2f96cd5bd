import { chmodSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileVersionMemo } from '../../src/runtimes/version-memo.js';

describe('the remembered version of a CLI', () => {
  it('holds while the binary is the same file, and is forgotten once it changes', () => {
    const bin = mkdtempSync(join(tmpdir(), 'cc-iso-bin-'));
    const podman = join(bin, 'podman');
    writeFileSync(podman, '#!/bin/sh\necho podman version 4.3.1\n');
    chmodSync(podman, 0o755);
    const env = { PATH: bin, XDG_CACHE_HOME: mkdtempSync(join(tmpdir(), 'cc-iso-cache-')) };
    const memo = fileVersionMemo(env);
    expect(memo.get('podman')).toBeNull();
    memo.set('podman', '4.3.1');
    expect(fileVersionMemo(env).get('podman')).toBe('4.3.1');
    // An upgrade replaces the file: another size, another modification time.
    writeFileSync(podman, '#!/bin/sh\necho podman version 5.0.0 (upgraded)\n');
    utimesSync(podman, new Date(), new Date(Date.now() + 5000));
    expect(fileVersionMemo(env).get('podman')).toBeNull();
    expect(fileVersionMemo({ ...env, PATH: mkdtempSync(join(tmpdir(), 'empty-')) }).get('podman')).toBeNull();
  });
});
