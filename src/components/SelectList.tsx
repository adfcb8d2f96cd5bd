import { Box, Text } from 'ink';

export interface SelectItem {
  key: string;
  label: string;
  /** true/false draws a checkbox; undefined draws none (a field row). */
  checked?: boolean;
  /** Shown, but cannot be chosen. */
  disabled?: boolean;
  /** The value of a field row, e.g. "‹ probe ›". */
  value?: string;
  /** Dim text after the label: what was detected, why it is unavailable… */
  detail?: string;
  detailColor?: string;
}

export interface SelectListProps {
  items: readonly SelectItem[];
  /** Index of the highlighted item; -1 when the cursor is elsewhere. */
  cursor: number;
  /** Width of the label column. */
  labelWidth: number;
}

export function SelectList({ items, cursor, labelWidth }: SelectListProps) {
  return (
    <Box flexDirection="column">
      {items.map((item, index) => {
        const active = index === cursor;
        const box = item.checked === undefined ? '' : item.checked ? '[x] ' : '[ ] ';
        return (
          <Text key={item.key} wrap="truncate-end">
            <Text color="cyan">{active ? '› ' : '  '}</Text>
            <Text dimColor={item.disabled} bold={active && !item.disabled}>
              {box}
              {item.label.padEnd(labelWidth)}
            </Text>
            {item.value !== undefined ? <Text color={active ? 'cyan' : undefined}> {item.value}</Text> : null}
            {item.detail ? <Text color={item.detailColor} dimColor={!item.detailColor}> {item.detail}</Text> : null}
          </Text>
        );
      })}
    </Box>
  );
}
