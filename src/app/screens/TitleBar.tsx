import { Text } from 'ink';
import { liveRunCount, recordsOf } from '../../state/store.js';
import { paneLabel } from '../../state/panes.js';
import { useAppState } from '../context.js';

/** One row: where the app is, and the latest notice. */
export function TitleBar() {
  const notice = useAppState((s) => s.notice);
  const summary = useAppState((s) => {
    if (s.phase === 'detect') return 'detecting isolation modes…';
    if (s.phase === 'choose') return 'choose what to run';
    if (s.phase === 'run') {
      const total = Object.keys(s.runs).length;
      return `${s.choices.workload} · ${s.panes.map(paneLabel).join(', ')} · ${liveRunCount(s)} of ${total} runs going`;
    }
    const records = recordsOf(s);
    const passed = records.filter((record) => record.status === 'passed').length;
    return `results · ${passed} of ${records.length} runs passed`;
  });
  return (
    <Text wrap="truncate-end">
      <Text bold color="cyan">
        cc-iso
      </Text>
      <Text> {summary}</Text>
      {notice ? <Text color="yellow"> · {notice}</Text> : null}
    </Text>
  );
}
