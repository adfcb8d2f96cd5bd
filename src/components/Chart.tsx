import { Box, Text } from 'ink';
import type { ChartLine } from '../domain/chart.js';

/**
 * Lines of a chart (bars, a timeline): each segment in its colour where the terminal has colours;
 * the block characters alone still tell the bars apart where it has none. Each line is cut at
 * the edge, never wrapped, so the chart takes exactly one row per line.
 */
export function Chart({ lines }: { lines: readonly ChartLine[] }) {
  return (
    <Box flexDirection="column">
      {lines.map((line, row) => (
        // Rows have no identity beyond their place in the chart.
        <Text key={row} wrap="truncate-end">
          {line.map((segment, index) => (
            <Text key={index} color={segment.colour} dimColor={segment.dim} bold={segment.bold}>
              {segment.text}
            </Text>
          ))}
        </Text>
      ))}
    </Box>
  );
}
