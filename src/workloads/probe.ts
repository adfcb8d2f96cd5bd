import { readFileSync } from 'node:fs';
import type { ExecOutcome, OutputStream } from '../runtimes/types.js';
import type { Moment, Reading, StepEnd, StepInterpreter } from './types.js';

const PREFIX = 'cc-iso-probe ';

/** assets/ sits two folders up from this module, in src/workloads as in dist/workloads. */
const PROBE_SCRIPT = new URL('../../assets/probe.sh', import.meta.url);

let script: string | undefined;
/** The probe is a POSIX sh script shipped in assets/, passed as `sh -c SCRIPT` so it needs no mount. */
export function probeScript(): string {
  script ??= readFileSync(PROBE_SCRIPT, 'utf8');
  return script;
}

export interface ProbeArguments {
  markerName: string;
  blockedUrl: string;
  registryUrl: string;
}

export function probeArgv(args: ProbeArguments): string[] {
  return ['sh', '-c', probeScript(), 'cc-iso-probe', args.markerName, args.blockedUrl, args.registryUrl];
}

export interface ProbeReport {
  kernel: string | null;
  os: string | null;
  uid: string | null;
  gid: string | null;
  user: string | null;
  cwd: string | null;
  marker: { ok: boolean; detail: string } | null;
  /** Credential variables visible inside: name and a 12-hex fingerprint, never the value. */
  credentials: { name: string; fingerprint: string }[];
  credentialFile: string | null;
  npmInstall: 'ok' | 'fail' | null;
  registry: 'ok' | 'fail' | 'none' | null;
  blockedHost: 'blocked' | 'reachable' | 'unknown' | null;
  /** Why the blocked host was not reached: a proxy refused it (policy), or nothing answered (no route). */
  blockedBy: 'policy' | 'no-route' | null;
  done: boolean;
  /** The raw probe line each fact came from, for the report's evidence. */
  evidence: Record<string, string>;
}

export function emptyProbeReport(): ProbeReport {
  return {
    kernel: null, os: null, uid: null, gid: null, user: null, cwd: null, marker: null,
    credentials: [], credentialFile: null, npmInstall: null, registry: null, blockedHost: null,
    blockedBy: null, done: false, evidence: {},
  };
}

/** Parses one probe line into the report; returns false for lines that are not probe lines. */
export function applyProbeLine(report: ProbeReport, line: string): boolean {
  if (!line.startsWith(PREFIX)) return false;
  const rest = line.slice(PREFIX.length);
  const space = rest.indexOf(' ');
  const key = space === -1 ? rest : rest.slice(0, space);
  const value = space === -1 ? '' : rest.slice(space + 1).trim();
  const word = value.split(' ')[0] ?? '';
  report.evidence[key] = line;
  switch (key) {
    case 'kernel': report.kernel = value; break;
    case 'os': report.os = value; break;
    case 'uid': report.uid = value; break;
    case 'gid': report.gid = value; break;
    case 'user': report.user = value; break;
    case 'cwd': report.cwd = value; break;
    case 'marker': report.marker = { ok: word === 'ok', detail: value.slice(word.length).trim() }; break;
    case 'credential': {
      const [name, fingerprint] = value.split(' ');
      if (name && fingerprint) report.credentials.push({ name, fingerprint });
      report.evidence[`credential ${name}`] = line;
      break;
    }
    case 'credential-file': report.credentialFile = value; break;
    case 'npm-install': report.npmInstall = word === 'ok' ? 'ok' : 'fail'; break;
    case 'registry': report.registry = word === 'ok' || word === 'fail' ? word : 'none'; break;
    case 'blocked-host': {
      report.blockedHost = word === 'blocked' || word === 'reachable' ? word : 'unknown';
      // "blocked <url> by-policy: …" or "blocked <url> no-route: …" (see assets/probe.sh).
      const how = value.split(' ')[2];
      report.blockedBy = how === 'by-policy:' ? 'policy' : how === 'no-route:' ? 'no-route' : null;
      break;
    }
    case 'done': report.done = true; break;
    default: break;
  }
  return true;
}

/** What a person sees for a probe line: "probe: kernel 6.1.0" rather than the machine format. */
function display(line: string, report: ProbeReport): string {
  if (!line.startsWith(PREFIX)) return line;
  if (line.startsWith(`${PREFIX}credentials-checked`)) {
    const names = report.credentials.map((c) => c.name);
    return names.length === 0 ? 'probe: no credential variable visible' : `probe: credentials visible: ${names.join(', ')}`;
  }
  return `probe: ${line.slice(PREFIX.length)}`.trimEnd();
}

/** The probe's lines: facts for the findings, the workspace write for the engine to look for. */
export class ProbeInterpreter implements StepInterpreter {
  private readonly report = emptyProbeReport();
  private seen = false;

  take(_stream: OutputStream, text: string, at: number): Reading {
    const moments: Moment[] = [];
    if (!this.seen) moments.push({ kind: 'first-output', at });
    this.seen = true;
    if (applyProbeLine(this.report, text)) {
      if (text.startsWith(`${PREFIX}ready`)) moments.push({ kind: 'ready', at });
      if (text.startsWith(`${PREFIX}marker`)) moments.push({ kind: 'workspace-write', at, ok: this.report.marker?.ok ?? false });
      if (text.startsWith(`${PREFIX}done`)) moments.push({ kind: 'result', at });
    }
    return { lines: [display(text, this.report)], moments };
  }

  finish(outcome: ExecOutcome): StepEnd {
    const { report } = this;
    let failure: string | null = null;
    if (outcome.exitCode === 0) {
      if (!report.done) failure = 'the probe did not finish';
      else if (!report.marker?.ok) failure = `the workspace is not writable inside (${report.marker?.detail ?? 'no report'})`;
    }
    return { lines: [], moments: [], failure, contribution: { probe: report, evidence: report.evidence } };
  }
}
