import { describeDetection, type Detection } from '../domain/detection.js';
import { isBaseline, type ModeId } from '../domain/modes.js';
import type { ModeSummary, ResultsFile, RunRecord, Statistic } from '../domain/results.js';
import { SCHEMA_VERSION } from '../domain/results.js';
import { outliers, relativeTo, summarize } from '../domain/stats.js';
import { hostInfo, type HostInfo } from './host-info.js';
import { recommend } from './recommendation.js';
import { TOOL_VERSION } from '../config/version.js';

/** The environment of a session, as the results file records it. */
export function sessionFacts(detections: Detection[], command: string, startedAt = new Date().toISOString()): SessionFacts {
  return {
    startedAt,
    command,
    host: hostInfo(),
    runtimes: Object.fromEntries(detections.map((d) => [d.mode, d.available ? describeDetection(d) : null])),
  };
}

export interface SessionFacts {
  startedAt: string;
  command: string;
  host: HostInfo;
  /** Mode → what runs it, with the facts detection found (null when unavailable). */
  runtimes: Record<string, string | null>;
  /** When the session ended, if that is already known (a replay knows it from the recording). */
  finishedAt?: string;
}

type TimingKey = 'startupMs' | 'firstOutputMs' | 'totalMs' | 'exitLagMs' | 'startupNetMs';

function statistic(records: RunRecord[], key: TimingKey): Statistic {
  const values = records.map((record) => record.timings[key]).filter((value): value is number => typeof value === 'number');
  return summarize(values);
}

/** Statistics per mode over the measured runs that passed; failed runs are counted and excluded. */
export function summarizeModes(records: RunRecord[]): ModeSummary[] {
  const measured = records.filter((record) => !record.warmup);
  const modes = [...new Set(measured.map((record) => record.mode))];
  const passedOf = (mode: ModeId) => measured.filter((r) => r.mode === mode && r.status === 'passed');
  const baseline = modes.find(isBaseline);
  const baselineRuns = baseline ? passedOf(baseline) : [];
  const baselineStartup = baselineRuns.length > 0 ? statistic(baselineRuns, 'startupMs') : null;
  return modes.map((mode): ModeSummary => {
    const all = measured.filter((record) => record.mode === mode);
    const passed = passedOf(mode);
    const startupMs = statistic(passed, 'startupMs');
    const warnings: string[] = [];
    const failed = all.length - passed.length;
    if (failed > 0) warnings.push(`${failed} of ${all.length} runs did not pass and are left out of the statistics`);
    // Runs and their startups stay paired, so an outlier is named by the run it came from.
    const timed = passed.filter((r) => r.timings.startupMs !== null);
    const flagged = outliers(timed.map((r) => r.timings.startupMs!)).map((index) => timed[index]!.iteration);
    if (flagged.length > 0) warnings.push(`${flagged.length} startup outlier(s): ${flagged.map((i) => `#${i}`).join(', ')}`);
    let startupVsHost: ModeSummary['startupVsHost'] = null;
    if (mode !== baseline && baselineStartup?.mean && startupMs.mean !== null) {
      const relative = relativeTo(
        { mean: startupMs.mean, stddev: startupMs.stddev },
        { mean: baselineStartup.mean, stddev: baselineStartup.stddev },
      );
      if (relative) {
        startupVsHost = { ...relative, deltaMs: Math.round((startupMs.mean - baselineStartup.mean) * 10) / 10 };
      }
    }
    return {
      mode,
      runs: all.length,
      passed: passed.length,
      failed,
      startupMs,
      firstOutputMs: statistic(passed, 'firstOutputMs'),
      totalMs: statistic(passed, 'totalMs'),
      exitLagMs: statistic(passed, 'exitLagMs'),
      ...(passed.some((r) => typeof r.timings.startupNetMs === 'number') ? { startupNetMs: statistic(passed, 'startupNetMs') } : {}),
      startupVsHost,
      outliers: flagged,
      warnings,
      recommendation: '',
    };
  });
}

/**
 * Statistics and the recommendation per target: each machine is its own environment ("here: use
 * podman …; on buildbox: use docker …"). This machine's group comes first.
 */
function summarizeByTarget(records: RunRecord[]): { summary: ModeSummary[]; text: string } {
  const targets = [...new Set(records.map((record) => record.target ?? null))].sort((a, b) => (a === null ? -1 : b === null ? 1 : 0));
  const summary: ModeSummary[] = [];
  const texts: string[] = [];
  for (const target of targets) {
    const group = records.filter((record) => (record.target ?? null) === target);
    const summaries = summarizeModes(group);
    const advice = recommend(summaries, group);
    for (const mode of summaries) {
      mode.recommendation = advice.perMode[mode.mode] ?? '';
      if (target !== null) mode.target = target;
    }
    summary.push(...summaries);
    texts.push(targets.length === 1 ? advice.text : `${target === null ? 'Here' : `On ${target}`}: ${advice.text}`);
  }
  return { summary, text: texts.join('\n') };
}

export function buildResultsFile(facts: SessionFacts, records: RunRecord[], finished: boolean): ResultsFile {
  const { summary, text } = summarizeByTarget(records);
  return {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'cc-iso', version: TOOL_VERSION },
    startedAt: facts.startedAt,
    finishedAt: finished ? (facts.finishedAt ?? new Date().toISOString()) : null,
    command: facts.command,
    host: facts.host,
    runtimes: facts.runtimes,
    runs: records,
    summary,
    recommendation: records.length > 0 ? text : null,
  };
}
