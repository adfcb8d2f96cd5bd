import { execa } from 'execa';
import type { Detection, Isolation, Runtime } from './types.js';

/** Mode B: a Docker Sandboxes microVM through `sbx`. */
export class SandboxRuntime implements Runtime {
  readonly mode = 'sandbox' as const;

  async detect(): Promise<Detection> {
    const base: Detection = {
      mode: 'sandbox', available: false, runtime: null, version: null, details: [], reason: null, fix: null,
    };
    const version = await execa('sbx', ['version', '--json'], { reject: false, stdin: 'ignore', timeout: 15_000 });
    if (version.code === 'ENOENT') {
      return { ...base, reason: '`sbx` not installed', fix: 'install Docker Sandboxes (`sbx`)' };
    }
    return { ...base, runtime: 'sbx', reason: 'the sandbox mode is not supported by this version of cc-iso yet', fix: 'use docker or podman' };
  }

  async prepare(): Promise<Isolation> {
    throw new Error('the sandbox mode is not supported by this version of cc-iso yet');
  }

  async clean(): Promise<string[]> {
    return [];
  }
}
