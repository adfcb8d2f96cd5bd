import { Box, Text } from 'ink';
import { useShallow } from 'zustand/react/shallow';
import { MODES } from '../../domain/modes.js';
import { DetectionLine } from '../../components/DetectionLine.js';
import { useAppState } from '../context.js';

export function DetectScreen() {
  const modes = useAppState((s) => s.modes);
  const detections = useAppState(useShallow((s) => modes.map((mode) => s.detections[mode])));
  const labelWidth = Math.max(...modes.map((mode) => MODES[mode].label.length));
  return (
    <Box flexDirection="column" paddingX={1} paddingTop={1}>
      <Text bold>Looking for isolation runtimes on this machine</Text>
      <Box flexDirection="column" marginTop={1}>
        {modes.map((mode, i) => (
          <DetectionLine key={mode} label={MODES[mode].label} detection={detections[i]} labelWidth={labelWidth} />
        ))}
      </Box>
    </Box>
  );
}
