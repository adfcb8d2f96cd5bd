import { Box, Text } from 'ink';
import { useShallow } from 'zustand/react/shallow';
import { describeDetection } from '../../domain/detection.js';
import { MODES, type WorkloadId } from '../../domain/modes.js';
import { SelectList, type SelectItem } from '../../components/SelectList.js';
import { PromptEditor } from '../../components/PromptEditor.js';
import { useAppState } from '../context.js';
import { targetRows } from '../../state/choose.js';

const WORKLOAD_NOTES: Partial<Record<WorkloadId, string>> = {
  claude: 'Claude Code headless with the prompt (needs a credential)',
  probe: 'no model: kernel, user, workspace, network, credentials',
  command: 'the command given after --',
};

const LABEL_WIDTH = 9;

export function ChooseScreen({ width, height }: { width: number; height: number }) {
  const modes = useAppState((s) => s.modes);
  const detections = useAppState(useShallow((s) => modes.map((mode) => s.detections[mode])));
  const choices = useAppState((s) => s.choices);
  const cursor = useAppState((s) => s.cursor);
  const draft = useAppState((s) => s.draft);

  const modeItems: SelectItem[] = modes.map((mode, i) => {
    const detection = detections[i];
    const available = detection?.available === true;
    return {
      key: mode,
      label: MODES[mode].label,
      checked: choices.modes.includes(mode),
      disabled: !available,
      detail: detection ? `${available ? '✓' : '✗'} ${describeDetection(detection)}` : undefined,
      detailColor: available ? undefined : 'red',
    };
  });
  const [firstLine = '', ...moreLines] = choices.prompt.split('\n');
  const fields: SelectItem[] = [
    { key: 'workload', label: 'workload', value: `‹ ${choices.workload} ›`, detail: WORKLOAD_NOTES[choices.workload] },
    {
      key: 'prompt',
      label: 'prompt',
      value: firstLine,
      detail: `${moreLines.length > 0 ? `(+${moreLines.length} lines) ` : ''}p edits${choices.workload === 'claude' ? '' : ' · used by claude'}`,
    },
    { key: 'runs', label: 'runs', value: `‹ ${choices.runs} ›`, detail: 'per mode' },
  ];
  const targets = useAppState((s) => s.targets);
  const targetDetections = useAppState((s) => s.targetDetections);
  // Other machines' engines: one row per mode each offers (`docker@buildbox`), picked like a mode.
  const targetItems: SelectItem[] = targetRows(targetDetections).map(({ label, detection }) => ({
    key: label,
    label,
    checked: targets.includes(label),
    disabled: !detection.reachable,
    detail: detection.reachable
      ? `✓ ${detection.version ?? ''} · ${detection.os ?? '?'}/${detection.arch ?? '?'} · kernel ${detection.kernel ?? '?'} · round trip ${detection.rttMs} ms`
      : `✗ ${detection.reason ?? 'unreachable'}${detection.fix ? ` — ${detection.fix}` : ''}`,
    detailColor: detection.reachable ? undefined : 'red',
  }));
  const targetWidth = Math.max(LABEL_WIDTH, ...targetItems.map((item) => item.label.length + 1));
  const chosen = [...modes.filter((mode) => choices.modes.includes(mode)), ...targets];
  const fieldsFrom = modes.length + targetItems.length;
  const used = fieldsFrom + fields.length + 6 + (targetItems.length > 0 ? 2 : 0) + (targetDetections === null ? 1 : 0);
  return (
    <Box flexDirection="column" paddingX={1} paddingTop={1} height={height} overflow="hidden">
      <Text bold>Modes</Text>
      <SelectList items={modeItems} cursor={cursor < modes.length ? cursor : -1} labelWidth={LABEL_WIDTH} />
      {targetDetections === null ? (
        <Text dimColor>  looking for Docker contexts and Podman connections…</Text>
      ) : null}
      {targetItems.length > 0 ? (
        <Box flexDirection="column" marginTop={1}>
          <Text bold>Targets</Text>
          <SelectList items={targetItems} cursor={cursor >= modes.length && cursor < fieldsFrom ? cursor - modes.length : -1} labelWidth={targetWidth} />
        </Box>
      ) : null}
      <Box marginTop={1}>
        <SelectList items={fields} cursor={cursor - fieldsFrom} labelWidth={LABEL_WIDTH} />
      </Box>
      {draft !== null ? (
        <PromptEditor text={draft} width={width - 2} height={Math.max(3, height - used)} />
      ) : (
        <Box marginTop={1}>
          <Text wrap="truncate-end">
            {chosen.length > 0 ? (
              <>
                <Text bold color="cyan">
                  enter
                </Text>{' '}
                starts {chosen.join(', ')} · {choices.workload} · {choices.runs} run{choices.runs === 1 ? '' : 's'} each
              </>
            ) : (
              <Text dimColor>choose at least one mode with space</Text>
            )}
          </Text>
        </Box>
      )}
    </Box>
  );
}
