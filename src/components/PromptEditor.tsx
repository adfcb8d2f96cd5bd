import { Box, Text } from 'ink';

export interface PromptEditorProps {
  text: string;
  width: number;
  /** Rows including the border; the last lines of the text are shown. */
  height: number;
}

/** The prompt being edited: its last lines, with a block cursor at the end. */
export function PromptEditor({ text, width, height }: PromptEditorProps) {
  const lines = `${text}█`.split('\n');
  const rows = Math.max(1, height - 2);
  const shown = lines.slice(-rows);
  return (
    <Box flexDirection="column" width={width} height={Math.min(height, shown.length + 2)} borderStyle="round" borderColor="cyan" overflow="hidden">
      {shown.map((line, i) => (
        // Lines are positions in the text being typed.
        <Text key={i} wrap="truncate-start">
          {line === '' ? ' ' : line}
        </Text>
      ))}
    </Box>
  );
}
