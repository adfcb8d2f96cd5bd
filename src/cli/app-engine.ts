import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { CliOptions } from '../config/options.js';
import { saveChoices } from '../config/settings.js';
import { recordingsDir } from '../config/paths.js';
import { MODE_IDS, type ModeId } from '../domain/modes.js';
import { redact } from '../credentials/mask.js';
import { sessionFacts } from '../export/results-file.js';
import { createRecording, fileOutput, nextKeptRecording } from '../recording/recording-sink.js';
import type { RecordedDetection } from '../recording/record-file.js';
import { timedDetection } from '../recording/timed-detection.js';
import { detectSafely } from '../runtimes/registry.js';
import type { AppEngine, Clock } from '../state/engine.js';
import type { AskedModes } from './ask-modes.js';

/**
 * The app's engine on this machine: the real runtimes, the run engine, files in the working folder.
 * Every mode's detection was started (`asked`) before the app's screens load, so the engines answer
 * while Ink and React load; a later detect (a re-detect) asks again. The run engine loads when a
 * session starts. Every session is recorded into the data folder (the last few are kept) and to
 * `--record`.
 */
export function createRealEngine(commandLine: string, clock: Clock, record: string | null, asked: AskedModes): AppEngine {
  const { runtimes } = asked;
  const detectMs = new Map<ModeId, number>();
  const answered = async (pending: Promise<RecordedDetection>, mode: ModeId) => {
    const { detection, ms } = await pending;
    detectMs.set(mode, ms ?? 0);
    return detection;
  };
  const early = new Map(asked.detections);
  return {
    modes: MODE_IDS,
    detect(mode) {
      const pending = early.get(mode);
      early.delete(mode);
      return answered(pending ?? timedDetection(() => detectSafely(runtimes[mode]), clock.now), mode);
    },
    async detectTargets(signal) {
      const { listTargets, probeEndpoint } = await import('../runtimes/remote-engine.js');
      return Promise.all((await listTargets()).map((endpoint) => probeEndpoint(endpoint, signal)));
    },
    record: (detections, warn) =>
      createRecording({
        now: clock.now,
        detections: detections.map((detection) => ({ detection, ms: detectMs.get(detection.mode) ?? null })),
        terminal: process.stdout.isTTY ? { columns: process.stdout.columns, rows: process.stdout.rows } : null,
        output: fileOutput(() => [nextKeptRecording(recordingsDir()), ...(record ? [record] : [])], warn),
      }),
    async plan(options, detections) {
      const { planLaunch } = await import('../engine/plan-session.js');
      return planLaunch(options, detections, runtimes, () => clock.now());
    },
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
