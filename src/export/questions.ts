import { formatDuration } from '../domain/duration.js';
import { isBaseline, type ModeId } from '../domain/modes.js';
import type { ModeSummary, ResultsFile, RunRecord } from '../domain/results.js';
import { relativeStartupLine } from './statistics.js';

export interface Answer {
  question: string;
  answer: string;
  /** The probe line or event it came from. */
  evidence: string | null;
  /** Something a reader should look at (e.g. files owned by another user). */
  warning: string | null;
}

export interface ModeAnswers {
  mode: ModeId;
  /** Absent or null: this machine. */
  target?: string | null;
  answers: Answer[];
}

/** Yes / no / mixed over the runs that had an answer; null when none had one. */
function agreed(values: (boolean | null)[], yes: string, no: string): string | null {
  const known = values.filter((value): value is boolean => value !== null);
  if (known.length === 0) return null;
  const count = known.filter(Boolean).length;
  if (count === known.length) return yes;
  if (count === 0) return no;
  return `mixed: ${yes} in ${count} of ${known.length} runs`;
}

function evidence(runs: RunRecord[], ...keys: string[]): string | null {
  for (const run of runs) {
    for (const key of keys) {
      const found = run.evidence[key];
      if (found) return found;
    }
  }
  return null;
}

/**
 * The eight questions of the comparison, answered per mode from the measured runs, each with the
 * evidence it rests on. "not measured" where this workload does not produce the evidence.
 */
export function answerQuestions(file: ResultsFile): ModeAnswers[] {
  const measured = file.runs.filter((run) => !run.warmup);
  const hostUid = /uid (\d+)/.exec(file.host.user)?.[1] ?? null;
  return file.summary.map((summary) => {
    const runs = measured.filter((run) => run.mode === summary.mode && (run.target ?? null) === (summary.target ?? null));
    const f = runs.map((run) => run.findings);
    const notMeasured = 'not measured by this workload';
    const owners = [...new Set(f.map((x) => x.workspaceSync.owner).filter((o): o is string => o !== null))];
    const foreignOwner = owners.find((owner) => hostUid !== null && owner.split(':')[0] !== hostUid);
    const latencies = f.map((x) => x.workspaceSync.latencyMs).filter((v): v is number => v !== null);
    const leftovers = [...new Set(f.flatMap((x) => x.leftovers))];
    const persisted = runs.some((run) => run.evidence['still-running-after-exit'] !== undefined);
    const kernels = [...new Set(f.map((x) => x.kernel.inside).filter((k): k is string => k !== null))];
    const sources = [...new Set(f.map((x) => x.auth.source).filter((s) => s !== null))];
    const answers: Answer[] = [
      {
        question: 'Headless: did `-p` produce a result with is_error false?',
        answer: agreed(f.map((x) => x.headless), 'yes', 'no') ?? notMeasured,
        evidence: evidence(runs, 'result'),
        warning: null,
      },
      {
        question: 'Clean exit: prompt exit after the result, nothing left behind?',
        answer:
          (agreed(f.map((x) => x.cleanExit), 'yes', 'no') ?? 'no result to exit after') +
          (summary.exitLagMs.mean !== null ? `; exit lag ${formatDuration(summary.exitLagMs.mean)}` : '') +
          (persisted ? '; kept running after the agent exited' : '') +
          (leftovers.length > 0 ? `; left behind: ${leftovers.join(', ')}` : persisted ? ', until cc-iso removed it' : '; nothing left behind'),
        evidence: evidence(runs, 'still-running-after-exit'),
        warning: leftovers.length > 0 ? 'run `cc-iso clean`' : null,
      },
      {
        question: 'Auth: which credential source, and did it work?',
        answer:
          sources.length === 0
            ? notMeasured
            : `${sources.join(', ')}; ${agreed(f.map((x) => x.auth.ok), 'worked', 'failed') ?? 'not checked'}`,
        evidence: evidence(runs, 'auth'),
        warning: null,
      },
      {
        question: 'Startup overhead: spawn to first sign of life, and minus host',
        answer: startupAnswer(summary, runs),
        evidence: evidence(runs, 'ready'),
        warning: null,
      },
      {
        question: 'Workspace sync: a file written inside is visible on the host?',
        answer:
          (agreed(f.map((x) => x.workspaceSync.ok), 'yes', 'no') ?? notMeasured) +
          (latencies.length > 0 ? `; latency up to ${formatDuration(Math.max(...latencies))}` : '') +
          (owners.length > 0 ? `; owner ${owners.join(', ')}` : ''),
        evidence: evidence(runs, 'marker'),
        warning: foreignOwner ? `files written inside belong to ${foreignOwner} on the host, not to you (uid ${hostUid})` : null,
      },
      {
        question: 'Network: npm registry reachable, blocked host blocked?',
        answer: networkAnswer(f.map((x) => x.network)),
        // What the probe saw, then what the isolation's network was (srt's policy, gVisor's network).
        evidence: [evidence(runs, 'npm-install', 'registry'), evidence(runs, 'blocked-host'), evidence(runs, 'network')].filter(Boolean).join(' / ') || null,
        warning: null,
      },
      {
        question: 'Credential exposure: is the token readable inside?',
        answer:
          agreed(f.map((x) => x.credentialExposed), 'yes, the token is readable inside', 'no, only a placeholder or nothing') ??
          (runs.some((run) => Object.values(run.evidence).some((line) => / unhashed$/.test(line)))
            ? 'unknown: a credential variable is set inside, but the isolation has no SHA-256 tool to fingerprint it'
            : 'not measured (no credential was resolved on the host)'),
        evidence: evidence(runs, ...Object.keys(runs[0]?.evidence ?? {}).filter((k) => k.startsWith('credential ')), 'credentials-checked'),
        warning: null,
      },
      {
        question: 'Kernel isolation: does the inside report the host kernel?',
        answer:
          kernels.length === 0
            ? notMeasured
            : summary.target
              ? `${agreed(f.map((x) => x.kernel.isolated), 'own kernel', `the kernel of ${summary.target}'s machine`) ?? '–'} (${kernels.join(', ')})`
              : `${agreed(f.map((x) => x.kernel.isolated), 'own kernel', 'host kernel') ?? '–'} (${kernels.join(', ')}; host ${file.host.kernel})`,
        evidence: evidence(runs, 'kernel'),
        warning: null,
      },
    ];
    return { mode: summary.mode, target: summary.target ?? null, answers };
  });
}

function startupAnswer(summary: ModeSummary, runs: RunRecord[]): string {
  if (summary.startupMs.mean === null) return 'not measured (no run passed)';
  const net = runs.filter((run) => run.status === 'passed').map((run) => run.timings.startupNetMs).filter((v): v is number => typeof v === 'number');
  const remote = net.length > 0
    ? `; ${formatDuration(net.reduce((a, b) => a + b, 0) / net.length)} net of one round trip to ${summary.target} (${formatDuration(runs.find((run) => run.rttMs)?.rttMs ?? null)})`
    : '';
  const own = `${formatDuration(summary.startupMs.mean)} mean over ${summary.startupMs.n} run(s)${remote}`;
  if (isBaseline(summary.mode)) return `${own} (the baseline)`;
  return relativeStartupLine(summary) ? `${own}; ${relativeStartupLine(summary)}` : own;
}

function networkAnswer(networks: RunRecord['findings']['network'][]): string {
  const registry = agreed(networks.map((n) => n.registry), 'registry reachable', 'registry NOT reachable');
  const how = new Set(networks.map((n) => n.blockedBy).filter((by) => by === 'policy' || by === 'no-route'));
  const blocked = agreed(
    networks.map((n) => (n.blockedHost === null ? null : n.blockedHost === 'blocked')),
    how.size === 1 ? `blocked host blocked ${how.has('policy') ? 'by policy (a proxy refused it)' : '(no route: nothing answered)'}` : 'blocked host blocked',
    'blocked host REACHABLE',
  );
  return [registry, blocked].filter(Boolean).join('; ') || 'not measured by this workload';
}
