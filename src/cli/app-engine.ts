import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { CliOptions } from '../config/options.js';
import { saveChoices } from '../config/settings.js';
import { MODE_IDS } from '../domain/modes.js';
import { planLaunch } from '../engine/plan-session.js';
import { redact } from '../credentials/mask.js';
import { sessionFacts } from '../export/results-file.js';
import { createRuntimes, detectSafely } from '../runtimes/registry.js';
import { listTargets, probeEndpoint } from '../runtimes/remote-engine.js';
import type { AppEngine, Clock } from '../state/engine.js';

/** The app's engine on this machine: the real runtimes, the run engine, files in the working folder. */
export function createRealEngine(commandLine: string, clock: Clock): AppEngine {
  const runtimes = createRuntimes();
  return {
    modes: MODE_IDS,
    detect: (mode) => detectSafely(runtimes[mode]),
    detectTargets: async () => Promise.all((await listTargets()).map(probeEndpoint)),
    plan: (options, detections) => planLaunch(options, detections, runtimes, () => clock.now()),
    facts: (detections, secrets) => sessionFacts(detections, redact(commandLine, secrets)),
    async writeFile(name, content) {
      const path = resolve(process.cwd(), name);
      await writeFile(path, content);
      return path;
    },
    remember: (options) => saveChoices(choicesOf(options)),
  };
}

/** The settings that bring these choices back next time. A command workload needs its `--` part, so it is not kept. */
function choicesOf(options: CliOptions) {
  return {
    mode: options.modes === 'auto' ? 'auto' : options.modes.join(','),
    ...(options.workload === 'command' ? {} : { workload: options.workload }),
    prompt: options.prompt,
    runs: String(options.runs),
    warmup: String(options.warmup),
    timeout: String(options.timeoutMs === null ? 0 : options.timeoutMs / 1000),
  };
}
