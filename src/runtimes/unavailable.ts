import type { Detection, Isolation, Runtime } from './types.js';

/** Stands for a mode detection found missing: its runs end at once with the reason and the fix. */
export class UnavailableRuntime implements Runtime {
  readonly mode;

  constructor(private readonly detection: Detection) {
    this.mode = detection.mode;
  }

  async detect(): Promise<Detection> {
    return this.detection;
  }

  async prepare(): Promise<Isolation> {
    const { reason, fix } = this.detection;
    throw new Error(`${this.mode} is unavailable: ${reason ?? 'unknown reason'}${fix ? ` — ${fix}` : ''}`);
  }

  async clean(): Promise<string[]> {
    return [];
  }
}
