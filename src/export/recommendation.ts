import { MODES } from '../domain/modes.js';
import type { ModeId } from '../domain/modes.js';
import type { ModeSummary, RunRecord } from '../domain/results.js';
import { formatMs } from './format.js';

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
  const isolated = clean.filter((s) => s.mode !== 'host');
  const exposed = (mode: ModeId) => measured.some((r) => r.mode === mode && r.findings.credentialExposed === true);
  const startup = (s: ModeSummary) => s.startupMs.mean ?? Number.POSITIVE_INFINITY;

  const strongest = [...isolated].sort(
    (a, b) =>
      MODES[b.mode].strength - MODES[a.mode].strength ||
      Number(exposed(a.mode)) - Number(exposed(b.mode)) ||
      startup(a) - startup(b),
  )[0];
  const fastest = [...isolated].sort((a, b) => startup(a) - startup(b))[0];
  const sentences: string[] = [];

  if (strongest) {
    const why = [MODES[strongest.mode].isolation];
    if (measured.some((r) => r.mode === strongest.mode && r.findings.credentialExposed === false)) {
      why.push('the token is not readable inside');
    } else if (exposed(strongest.mode)) {
      why.push('the token is readable inside, by design of this mode');
    }
    sentences.push(`Use ${strongest.mode}: the strongest isolation that passed every run (${why.join('; ')}).`);
    perMode[strongest.mode] = 'recommended: strongest isolation that passed every run';
  } else {
    sentences.push('No isolated mode passed every run on this machine; see the errors before choosing one.');
  }
  if (fastest && fastest !== strongest) {
    const delta = fastest.startupVsHost ? ` (${signed(fastest.startupVsHost.deltaMs)} over host)` : '';
    sentences.push(
      `Fastest isolated mode that passed: ${fastest.mode}, startup ${formatMs(fastest.startupMs.mean)}${delta}.`,
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
  for (const summary of clean) {
    if (summary.mode === 'host') {
      perMode.host = exposed('host')
        ? 'baseline only: no isolation, the agent sees every credential on the machine'
        : 'baseline only: no isolation';
    }
    perMode[summary.mode] ??= 'passed every run';
  }
  return { text: sentences.join(' '), perMode };
}

function signed(ms: number): string {
  return `${ms >= 0 ? '+' : '−'}${formatMs(Math.abs(ms))}`;
}
