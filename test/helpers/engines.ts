import { execa } from 'execa';
import type { ModeId } from '../../src/domain/modes.js';
import { createRuntimes } from '../../src/runtimes/registry.js';

/** The base image tests build on: CI imports an offline stand-in for node:22-bookworm-slim. */
export const BASE_IMAGE = process.env.CC_ISO_BASE_IMAGE ?? 'cc-iso-base:bookworm-node24';

const inCi = process.env.CI === 'true';

/**
 * Whether a mode can be tested here. Locally a missing engine skips its tests with a printed
 * reason; in CI (CI=true) it is a failure, because engine tests must really run there.
 */
export async function engineAvailable(mode: ModeId): Promise<boolean> {
  const detection = await createRuntimes()[mode].detect();
  if (detection.available) return true;
  const reason = `${mode}: ${detection.reason ?? 'unavailable'}`;
  if (inCi) throw new Error(`engine tests must run in CI, but ${reason}`);
  console.warn(`skipping ${mode} tests: ${reason}`);
  return false;
}

/** Containers carrying cc-iso's label, running or not. */
export async function labelledContainers(engine: 'docker' | 'podman', label = 'cc-iso'): Promise<string[]> {
  const result = await execa(engine, ['ps', '--all', '--filter', `label=${label}`, '--format', '{{.Names}}'], {
    reject: false,
  });
  return String(result.stdout).split('\n').filter(Boolean);
}
