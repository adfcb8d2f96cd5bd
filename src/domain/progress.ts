import { formatDuration } from './duration.js';

export interface StepProgress {
  step: number;
  total: number;
}

/** An image build's step line: "STEP 5/13: RUN …" (Podman, Buildah) or "Step 5/13 : RUN …" (Docker's classic builder). */
const BUILD_STEP = /^\s*step\s+(\d+)\/(\d+)\s*:/i;

export function buildStep(line: string): StepProgress | null {
  const match = BUILD_STEP.exec(line);
  if (!match) return null;
  const step = Number(match[1]);
  const total = Number(match[2]);
  return total > 0 && step <= total ? { step, total } : null;
}

/** How a run's status shows a build step ("STEP 5/13"), and back. */
export function stepLabel(progress: StepProgress): string {
  return `STEP ${progress.step}/${progress.total}`;
}

export function parseStepLabel(label: string | null): StepProgress | null {
  const match = /^STEP (\d+)\/(\d+)$/.exec(label ?? '');
  return match ? { step: Number(match[1]), total: Number(match[2]) } : null;
}

/** A bar of `width` cells, `done` of `total` filled: "▰▰▰▱▱▱". */
export function progressBar(done: number, total: number, width: number): string {
  const filled = total > 0 ? Math.min(width, Math.round((done / total) * width)) : 0;
  return '▰'.repeat(filled) + '▱'.repeat(Math.max(0, width - filled));
}

/**
 * "3 of 8 runs done · about 1m 20s left": the time left guessed from the pace so far (the
 * session's elapsed time per finished run); none until a run has finished.
 */
export function sessionProgress(done: number, planned: number, elapsedMs: number): string {
  const counted = `${done} of ${planned} runs done`;
  if (done === 0 || done >= planned) return counted;
  return `${counted} · about ${formatDuration((elapsedMs / done) * (planned - done))} left`;
}
