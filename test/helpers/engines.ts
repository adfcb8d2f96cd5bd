import { execa } from 'execa';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { ModeId } from '../../src/domain/modes.js';
import { createRuntimes } from '../../src/runtimes/registry.js';

/** The base image tests build on: CI imports an offline stand-in for node:22-bookworm-slim. */
export const BASE_IMAGE = process.env.CC_ISO_BASE_IMAGE ?? 'cc-iso-base:bookworm-node24';

const inCi = process.env.CI === 'true';

/**
 * Whether tests can run here, given what they lack (null: nothing). Locally a lack skips them
 * with a printed reason; in CI (CI=true) it is a failure, because every test must really run there.
 */
export function canRun(tests: string, missing: string | null): boolean {
  if (missing === null) return true;
  if (inCi) throw new Error(`the ${tests} tests must run in CI, but ${missing}`);
  console.warn(`skipping the ${tests} tests: ${missing}`);
  return false;
}

/**
 * Whether a mode can be tested here (see canRun). Tests that need the mode for something else
 * name themselves and say what they need it for, so a skip says what is actually missing.
 */
export async function engineAvailable(mode: ModeId, tests: string = mode, neededAs?: string): Promise<boolean> {
  const detection = await createRuntimes()[mode].detect();
  if (detection.available) return true;
  const reason = `${mode}: ${detection.reason ?? 'unavailable'}`;
  return canRun(tests, neededAs ? `they need ${neededAs}, and ${reason}` : reason);
}

/** Where a program is on PATH, or null. */
export function findProgram(program: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    const path = join(dir, program);
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // not in this folder
    }
  }
  return null;
}

/** Whether a program the tests need is installed (see canRun). */
export function programAvailable(program: string, tests: string, install = ''): boolean {
  return canRun(tests, findProgram(program) ? null : `${program} is not installed${install ? ` (${install})` : ''}`);
}

/** Containers carrying cc-iso's label, running or not. */
export async function labelledContainers(engine: 'docker' | 'podman', label = 'cc-iso'): Promise<string[]> {
  const result = await execa(engine, ['ps', '--all', '--filter', `label=${label}`, '--format', '{{.Names}}'], {
    reject: false,
  });
  return String(result.stdout).split('\n').filter(Boolean);
}
