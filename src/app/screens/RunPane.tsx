import { Text, useAnimation } from 'ink';
import { memo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { ElapsedTime } from '../../components/ElapsedTime.js';
import { Pane, paneBodyHeight } from '../../components/Pane.js';
import { StatusBadge } from '../../components/StatusBadge.js';
import { parseStepLabel, progressBar } from '../../domain/progress.js';
import { paneDropped, paneLabel, paneLines } from '../../state/panes.js';
import { useAppContext, useAppState } from '../context.js';

export interface RunPaneProps {
  index: number;
  width: number;
  height: number;
  focused: boolean;
}

/** The live timer: every pane's timer shares Ink's one animation clock, and stops when the run ends. */
function LiveElapsed({ startedAt, endedAt }: { startedAt: number | null; endedAt: number | null }) {
  const { clock } = useAppContext();
  useAnimation({ interval: 100, isActive: startedAt !== null && endedAt === null });
  return <ElapsedTime startedAt={startedAt} endedAt={endedAt} now={clock.now()} />;
}

/** Selects one pane's state and the lines it shows from the store; redraws only when those change. */
export const RunPane = memo(function RunPane({ index, width, height, focused }: RunPaneProps) {
  const body = paneBodyHeight(height);
  const mode = useAppState((s) => (s.panes[index] ? paneLabel(s.panes[index]) : undefined));
  const scroll = useAppState((s) => s.panes[index]?.scroll ?? 0);
  const runCount = useAppState((s) => s.panes[index]?.runIds.length ?? 0);
  const run = useAppState((s) => {
    const id = s.panes[index]?.currentRunId;
    return id ? s.runs[id] : undefined;
  });
  const lines = useAppState(useShallow((s) => paneLines(s, index, body)));
  const dropped = useAppState((s) => paneDropped(s, index));
  if (!mode) return null;

  const aside = [
    scroll > 0 ? `↑ ${scroll} lines back` : '',
    dropped > 0 ? `${dropped.toLocaleString('en-US')} older lines dropped` : '',
  ]
    .filter(Boolean)
    .join(' · ');
  const building = run?.status === 'preparing' ? parseStepLabel(run.step) : null;
  const ordinal = run ? `${run.info.warmup ? 'warm-up ' : '#'}${run.info.iteration}${runCount > 1 ? `/${runCount}` : ''}` : '';
  return (
    <Pane
      width={width}
      height={height}
      focused={focused}
      aside={aside}
      lines={lines}
      header={
        <>
          <Text bold color={focused ? 'cyan' : undefined}>
            {index + 1} {mode}
          </Text>
          <Text dimColor> {ordinal} </Text>
          {run ? <StatusBadge status={run.status} /> : <Text dimColor>waiting</Text>}
          {run?.step ? <Text dimColor> {run.step}</Text> : null}
          {building ? <Text color="yellow"> {progressBar(building.step, building.total, 10)}</Text> : null}
          <Text> </Text>
          <LiveElapsed startedAt={run?.startedAt ?? null} endedAt={run?.endedAt ?? null} />
        </>
      }
    />
  );
});
