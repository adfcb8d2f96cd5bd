import { Box, Text } from 'ink';
import type { KeyHint } from './KeyHints.js';

export interface HelpGroup {
  title: string;
  entries: readonly KeyHint[];
}

export interface HelpOverlayProps {
  groups: readonly HelpGroup[];
  width: number;
  height: number;
}

/** The narrowest a column of keys may be. */
const COLUMN_WIDTH = 44;
const KEY_WIDTH = 13;

/**
 * Places groups top to bottom in as many columns as the width allows; returns null when they do
 * not fit in `height` rows (a title row, then one row per entry and a blank between groups).
 */
export function packGroups(groups: readonly HelpGroup[], columns: number, height: number): HelpGroup[][] | null {
  const packed: HelpGroup[][] = [[]];
  let used = 0;
  for (const group of groups) {
    const rows = group.entries.length + 1;
    const needed = used === 0 ? rows : used + 1 + rows;
    if (needed <= height) {
      packed[packed.length - 1]?.push(group);
      used = needed;
    } else if (rows <= height && packed.length < columns) {
      packed.push([group]);
      used = rows;
    } else {
      return null;
    }
  }
  return packed;
}

export function HelpOverlay({ groups, width, height }: HelpOverlayProps) {
  const columns = Math.max(1, Math.floor((width - 4) / COLUMN_WIDTH));
  const columnWidth = Math.floor((width - 4) / columns);
  const inner = height - 3;
  // Every screen's keys when they fit, else only the first groups (the keys that apply now).
  let packed = packGroups(groups, columns, inner);
  for (let count = groups.length - 1; packed === null && count > 0; count--) {
    packed = packGroups(groups.slice(0, count), columns, inner);
  }
  return (
    <Box flexDirection="column" width={width} height={height} borderStyle="round" borderColor="cyan" paddingX={1} overflow="hidden">
      <Text bold>Keys</Text>
      <Box flexDirection="row">
        {(packed ?? []).map((column) => (
          <Box key={column[0]?.title} flexDirection="column" width={columnWidth}>
            {column.map((group, g) => (
              <Box key={group.title} flexDirection="column" marginTop={g > 0 ? 1 : 0}>
                <Text color="cyan" bold wrap="truncate-end">
                  {group.title}
                </Text>
                {group.entries.map((entry) => (
                  <Text key={`${entry.keys} ${entry.text}`} wrap="truncate-end">
                    <Text bold>{entry.keys.padEnd(KEY_WIDTH)}</Text>
                    {entry.text}
                  </Text>
                ))}
              </Box>
            ))}
          </Box>
        ))}
      </Box>
    </Box>
  );
}
