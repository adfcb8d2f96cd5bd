import type { ModeId } from '../domain/modes.js';
import { ContainerRuntime } from './container.js';
import { GvisorRuntime } from './gvisor.js';
import { HostRuntime } from './host.js';
import { SandboxRuntime } from './sandbox.js';
import { SrtRuntime } from './srt.js';
import type { Detection, Runtime } from './types.js';

/** One adapter per mode. Adding a mode means adding it here and to MODE_IDS, nothing else. */
export function createRuntimes(): Record<ModeId, Runtime> {
  return {
    host: new HostRuntime(),
    docker: new ContainerRuntime('docker'),
    podman: new ContainerRuntime('podman'),
    sandbox: new SandboxRuntime(),
    gvisor: new GvisorRuntime(),
    srt: new SrtRuntime(),
  };
}

/** Detects one mode; a detection that throws becomes an unavailable mode with its message. */
export function detectSafely(runtime: Runtime): Promise<Detection> {
  return runtime.detect().catch(
    (error: unknown): Detection => ({
      mode: runtime.mode, available: false, runtime: null, version: null, details: [],
      reason: `detection failed: ${error instanceof Error ? error.message : String(error)}`,
      fix: null,
    }),
  );
}
