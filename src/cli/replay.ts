import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { parseOptions, UsageError, type CliOptions } from '../config/options.js';
import { parseRecording, RecordingError, type Recording } from '../recording/record-file.js';
import { SessionRecorder } from '../recording/recorder.js';
import { REAL_TIME, ReplayClock, replayLaunch } from '../recording/replay.js';
import { writeExport } from './output.js';
import { recordedFacts } from './replay-engine.js';


interface ReplayArgs {
  file: string;
  speed: number;
  from: number;
  cast: string | null;
  size: { columns: number; rows: number };
  targets: Pick<CliOptions, 'json' | 'markdown' | 'svg'>;
}

/** `cc-iso replay`: the recording in the interactive app, as a cast, or only its results files. */
export async function replayCommand(argv: string[]): Promise<number> {
  const args = parseReplayArgs(argv);
  let recording: Recording;
  try {
    recording = parseRecording(await readRecording(args.file), args.file);
  } catch (error) {
    if (!(error instanceof RecordingError)) throw error;
    process.stderr.write(`cc-iso: ${error.message}\n`);
    return 2;
  }
  const cli = replayOptions(recording, args.targets);
  if (args.cast) {
    // A cast is for any viewer: colours whatever the terminal that renders it.
    process.env.FORCE_COLOR = '3';
    await import('../app/process-setup.js');
    const { renderCast, writeCast } = await import('../app/cast.js');
    const { createReplayEngine } = await import('./replay-engine.js');
    const cast = await renderCast(
      (time) => {
        const engine = createReplayEngine(recording, { speed: args.speed, from: args.from, real: time });
        return { engine, clock: engine.clock };
      },
      cli,
      { ...args.size, startedAt: recording.header.startedAt, playMs: (recording.durationMs - args.from) / args.speed },
    );
    await writeCast(args.cast, cast);
    await writeTargets(recording, args.targets);
    process.stdout.write(`wrote ${args.cast}\n`);
    return 0;
  }
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    if (!args.targets.json && !args.targets.markdown && !args.targets.svg) {
      process.stderr.write('cc-iso: a replay needs a terminal; --cast renders one to a file, --json/--markdown/--svg write its results\n');
      return 2;
    }
    await writeTargets(recording, args.targets);
    return 0;
  }
  await import('../app/process-setup.js');
  const { createReplayEngine } = await import('./replay-engine.js');
  const engine = createReplayEngine(recording, { speed: args.speed, from: args.from });
  const code = await (await import('../app/launch.js')).launchApp(cli, () => engine, engine.clock);
  // A replay that played to its end succeeded, whatever its runs did; a signal keeps its code.
  return code > 1 ? code : 0;
}

async function readRecording(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new RecordingError(code === 'ENOENT' ? `${file} does not exist` : `cannot read ${file}: ${(error as Error).message}`);
  }
}

/**
 * The results files of the recorded session, through the same recorder and exports as a live
 * session: its sessions are played at once, in order, with the recorded facts.
 */
async function writeTargets(recording: Recording, targets: ReplayArgs['targets']): Promise<void> {
  if (!targets.json && !targets.markdown && !targets.svg) return;
  const recorder = new SessionRecorder({
    targets,
    write: async (target, content) => {
      await writeExport(target, content);
      return target;
    },
    facts: () => recordedFacts(recording),
    warn: (message) => process.stderr.write(`cc-iso: ${message}\n`),
  });
  const clock = new ReplayClock(1, REAL_TIME, recording.durationMs);
  for (const launch of recording.launches) {
    const session = await recorder.start(replayLaunch(launch, clock, () => {}), () => {}, launch.redoes);
    await session.done;
  }
  await recorder.finish();
}

/** The app's options for the replay: the recorded choices, the export targets given to the replay. */
export function replayOptions(recording: Recording, targets: Partial<ReplayArgs['targets']> = {}): CliOptions {
  const { modes, workload, prompt, runs, warmup } = recording.launches[0]!.plan;
  return { ...parseOptions([], {}), modes, workload, prompt, runs, warmup, ...targets };
}

function parseReplayArgs(argv: string[]): ReplayArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        speed: { type: 'string', default: '1' },
        from: { type: 'string', default: '0' },
        cast: { type: 'string' },
        size: { type: 'string', default: '120x36' },
        json: { type: 'string' },
        markdown: { type: 'string' },
        svg: { type: 'string' },
      },
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const [file, ...extra] = parsed.positionals;
  if (!file) throw new UsageError('cc-iso replay needs the recording: cc-iso replay <file>');
  if (extra.length > 0) throw new UsageError(`cc-iso replay takes one recording, got also ${extra.join(' ')}`);
  const speed = Number(parsed.values.speed);
  if (!Number.isFinite(speed) || speed <= 0) throw new UsageError(`--speed must be a number above 0, got "${parsed.values.speed}"`);
  const from = Number(parsed.values.from);
  if (!Number.isFinite(from) || from < 0) throw new UsageError(`--from must be seconds ≥ 0, got "${parsed.values.from}"`);
  const size = /^(\d+)x(\d+)$/.exec(parsed.values.size ?? '');
  const columns = Number(size?.[1]);
  const rows = Number(size?.[2]);
  if (!size || columns < 40 || rows < 10) throw new UsageError(`--size must be WIDTHxHEIGHT, at least 40x10, got "${parsed.values.size}"`);
  if ((parsed.values.json ?? '') === '-' || (parsed.values.markdown ?? '') === '-') {
    throw new UsageError('a replay writes --json / --markdown to files; `-` (stdout) is for `cc-iso run`');
  }
  return {
    file,
    speed,
    from: from * 1000,
    cast: parsed.values.cast ?? null,
    size: { columns, rows },
    targets: { json: parsed.values.json ?? null, markdown: parsed.values.markdown ?? null, svg: parsed.values.svg ?? null },
  };
}
