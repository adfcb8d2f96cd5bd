import { describeDetection, type Detection } from '../domain/detection.js';
import { MODES } from '../domain/modes.js';
import { listTargets, probeEndpoint, type TargetDetection } from '../runtimes/remote-engine.js';
import { allAnswers, type AskedModes } from './ask-modes.js';
import { paint } from './output.js';

/** "✓ Docker   Docker Engine 28.1.1 (rootless)" or "✗ Sandbox  reason — fix", as the detect screen shows it. */
export function detectionLine(detection: Detection): string {
  const label = MODES[detection.mode].label.padEnd(8);
  const text = describeDetection(detection);
  return detection.available ? `${paint('green', '✓')} ${label} ${paint('dim', text)}` : `${paint('red', '✗')} ${label} ${text}`;
}

/** A Docker context or Podman connection: `docker@NAME` / `podman@NAME` runs a mode there. */
export function describeTarget(target: TargetDetection): string {
  const name = `${target.engine}@${target.target}`;
  const where = target.url ? ` (${target.url}, ${target.transport})` : '';
  if (target.reachable) {
    const facts = [`${target.os ?? '?'}/${target.arch ?? '?'}`, `kernel ${target.kernel ?? '?'}`, `round trip ${target.rttMs} ms`];
    return `${paint('green', '✓')} ${name} ${target.engine === 'docker' ? 'Docker Engine' : 'Podman'} ${target.version ?? ''}${paint('dim', ` · ${facts.join(' · ')}${where}`)}`;
  }
  return `${paint('red', '✗')} ${name}${where} ${target.reason ?? 'unreachable'}${target.fix ? ` — ${target.fix}` : ''}`;
}

/**
 * This machine's modes, then every target. The local lines are printed as soon as they are known:
 * a target over ssh takes seconds. With `local`, targets are not asked at all.
 */
export async function detectCommand(json: boolean, local: boolean, asked: AskedModes): Promise<number> {
  const [detections, targets] = await Promise.all([
    allAnswers(asked).then((timed) => {
      const found = timed.map(({ detection }) => detection);
      if (!json) for (const detection of found) process.stdout.write(`${detectionLine(detection)}\n`);
      return found;
    }),
    local ? [] : listTargets().then((endpoints) => Promise.all(endpoints.map((endpoint) => probeEndpoint(endpoint)))),
  ]);
  if (json) {
    // What a user reads: the adapters' facts for prepare() stay inside.
    const modes = detections.map(({ facts: _facts, ...shown }) => shown);
    process.stdout.write(`${JSON.stringify({ modes, targets }, null, 2)}\n`);
    return 0;
  }
  if (local) return 0;
  process.stdout.write(targets.length === 0 ? 'targets: none (no Docker context or Podman connection besides this machine)\n' : 'targets:\n');
  for (const target of targets) process.stdout.write(`  ${describeTarget(target)}\n`);
  return 0;
}
