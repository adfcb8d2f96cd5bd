import { Text, useAnimation } from 'ink';
import { formatDuration } from '../../domain/duration.js';
import { sessionProgress } from '../../domain/progress.js';
import { isFinal } from '../../domain/results.js';
import { paneLabel } from '../../state/panes.js';
import { recordsOf } from '../../state/store.js';
import type { ReplayControls } from '../../state/engine.js';
import { useAppContext, useAppState } from '../context.js';
import { DETECTING_TITLE } from '../splash.js';

/** Where a replay is, ticking while it plays: "▶ replay 0:12 / 0:15 ×10". */
function ReplayPosition({ replay }: { replay: ReplayControls }) {
  const paused = replay.paused();
  useAnimation({ interval: 250, isActive: !paused });
  return (
    <Text color="magenta">
      {' '}
      {paused ? '⏸' : '▶'} replay {formatDuration(replay.position())} / {formatDuration(replay.durationMs)}
      {replay.speed === 1 ? '' : ` ×${replay.speed}`}
    </Text>
  );
}

/** One row: where the app is (a long session: runs done and the time left), a replay's place, and the latest notice. */
export function TitleBar() {
  const { controller, clock } = useAppContext();
  const notice = useAppState((s) => s.notice);
  const playing = useAppState((s) => s.phase === 'run' || s.phase === 'results');
  // Selectors return only what the store holds (a time read in one would change on every call);
  // the time left is worked out below, at each render.
  const summary = useAppState((s) => {
    if (s.phase === 'detect') return DETECTING_TITLE;
    if (s.phase === 'choose') return 'choose what to run';
    if (s.phase === 'run') {
      const live = Object.values(s.runs).filter((run) => run.status !== 'queued' && !isFinal(run.status)).length;
      return `${s.choices.workload} · ${s.panes.map(paneLabel).join(', ')} · ${live} going`;
    }
    const records = recordsOf(s);
    const passed = records.filter((record) => record.status === 'passed').length;
    return `results · ${passed} of ${records.length} runs passed`;
  });
  const running = useAppState((s) => s.phase === 'run');
  const planned = useAppState((s) => Object.keys(s.runs).length);
  const done = useAppState((s) => Object.values(s.runs).filter((run) => isFinal(run.status)).length);
  const firstStart = useAppState((s) =>
    Math.min(Infinity, ...Object.values(s.runs).flatMap((run) => (run.startedAt === null ? [] : [run.startedAt]))),
  );
  const progress = running ? ` · ${sessionProgress(done, planned, Number.isFinite(firstStart) ? clock.now() - firstStart : 0)}` : '';
  return (
    <Text wrap="truncate-end">
      <Text bold color="cyan">
        cc-iso
      </Text>
      {controller.replay && playing ? <ReplayPosition replay={controller.replay} /> : null}
      <Text> {summary}{progress}</Text>
      {notice ? <Text color="yellow"> · {notice}</Text> : null}
    </Text>
  );
}
