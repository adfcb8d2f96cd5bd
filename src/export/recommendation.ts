import { formatDuration, formatDurationDelta } from '../domain/duration.js';
import { isIsolated, isolationRank, MODES, promisesOwnKernel, type ModeId } from '../domain/modes.js';
import type { ModeSummary, RunRecord } from '../domain/results.js';

export interface Recommendation {
  /** The paragraph for the report. */
  text: string;
  /** One line per mode, for summary[].recommendation. */
  perMode: Partial<Record<ModeId, string>>;
}

/**
 * Derives advice for this machine from what was measured: the strongest isolation that passed
 * every run, the fastest isolated mode that passed, and what to avoid and why.
 */
export function recommend(summaries: ModeSummary[], records: RunRecord[]): Recommendation {
  const measured = records.filter((record) => !record.warmup);
  const perMode: Partial<Record<ModeId, string>> = {};
  const clean = summaries.filter((s) => s.runs > 0 && s.failed === 0);
  const isolated = clean.filter((s) => isIsolated(s.mode));
  const exposed = (mode: ModeId) => measured.some((r) => r.mode === mode && r.findings.credentialExposed === true);
  const startup = (s: ModeSummary) => s.startupMs.mean ?? Number.POSITIVE_INFINITY;
  const worries = new Map(summaries.map((s) => [s.mode, concerns(s.mode, measured)]));
  // A class that promises its own kernel but reported the host's ranks as a container.
  const strength = (mode: ModeId) =>
    kernelShared(mode, measured) ? isolationRank('container') : isolationRank(MODES[mode].isolationClass);

  // Strength as measured (a "microVM" that reports the host kernel counts as a container), then
  // the fewest measured concerns, then the quickest start.
  const strongest = [...isolated].sort(
    (a, b) =>
      strength(b.mode) - strength(a.mode) ||
      worries.get(a.mode)!.length - worries.get(b.mode)!.length ||
      startup(a) - startup(b),
  )[0];
  const fastest = [...isolated].sort((a, b) => startup(a) - startup(b))[0];
  const sentences: string[] = [];

  if (strongest) {
    const why = [
      kernelShared(strongest.mode, measured)
        ? `${MODES[strongest.mode].isolation.split(',')[0]} that reported the host kernel inside`
        : MODES[strongest.mode].isolation,
    ];
    if (measured.some((r) => r.mode === strongest.mode && r.findings.credentialExposed === false)) {
      why.push('the token is not readable inside');
    }
    why.push(...worries.get(strongest.mode)!.filter((c) => c !== KERNEL_SHARED).map((concern) => `but ${concern}`));
    sentences.push(`Use ${strongest.mode}: the strongest isolation that passed every run (${why.join('; ')}).`);
    perMode[strongest.mode] = 'recommended: strongest isolation that passed every run';
  } else {
    sentences.push('No isolated mode passed every run; see the errors before choosing one.');
  }
  if (fastest && fastest !== strongest) {
    const delta = fastest.startupVsHost ? ` (${formatDurationDelta(fastest.startupVsHost.deltaMs)} over host)` : '';
    sentences.push(
      `Fastest isolated mode that passed: ${fastest.mode}, startup ${formatDuration(fastest.startupMs.mean)}${delta}.`,
    );
    perMode[fastest.mode] = 'fastest isolated mode that passed every run';
  }
  for (const summary of summaries) {
    if (summary.failed === 0) continue;
    const firstError = measured.find((r) => r.mode === summary.mode && r.status !== 'passed')?.error ?? 'unknown error';
    const reason = `${summary.failed} of ${summary.runs} runs did not pass (${firstError.split('\n')[0]})`;
    sentences.push(`Avoid ${summary.mode} for now: ${reason}.`);
    perMode[summary.mode] = `avoid: ${reason}`;
  }
  for (const summary of isolated) {
    const concernsOf = worries.get(summary.mode)!;
    if (summary === strongest || concernsOf.length === 0) continue;
    sentences.push(`${summary.mode} passed, but ${concernsOf.join('; ')}.`);
    perMode[summary.mode] ??= `passed every run, but ${concernsOf.join('; ')}`;
  }
  for (const summary of clean) {
    if (!isIsolated(summary.mode)) {
      perMode[summary.mode] = exposed(summary.mode)
        ? 'baseline only: no isolation, the agent sees every credential on the machine'
        : 'baseline only: no isolation';
    }
    perMode[summary.mode] ??= 'passed every run';
  }
  return { text: sentences.join(' '), perMode };
}

const KERNEL_SHARED = 'it reported the host kernel inside';

/** What the runs of a mode measured against it: each one a reason to prefer another mode. */
function concerns(mode: ModeId, measured: RunRecord[]): string[] {
  if (!isIsolated(mode)) return [];
  const findings = measured.filter((r) => r.mode === mode).map((r) => r.findings);
  const found: string[] = [];
  if (findings.some((f) => f.credentialExposed === true)) found.push('the token is readable inside');
  if (findings.some((f) => f.workspaceSync.ok === false)) found.push('a file written inside did not appear on the host');
  if (findings.some((f) => f.network.blockedHost === 'reachable')) found.push('the host meant to be blocked was reachable');
  if (kernelShared(mode, measured)) found.push(KERNEL_SHARED);
  return found;
}

/** A mode meant to have its own kernel whose probe reported the host's. */
function kernelShared(mode: ModeId, measured: RunRecord[]): boolean {
  return promisesOwnKernel(MODES[mode].isolationClass) && measured.some((r) => r.mode === mode && r.findings.kernel.isolated === false);
}
