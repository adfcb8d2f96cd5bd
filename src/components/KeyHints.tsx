import { Text } from 'ink';

export interface KeyHint {
  keys: string;
  text: string;
}

export interface KeyHintsProps {
  hints: readonly KeyHint[];
  width: number;
}

const SEPARATOR = '  ';

function hintWidth(hint: KeyHint): number {
  return [...hint.keys].length + 1 + [...hint.text].length;
}

/** The hints that fit in `width`, in order; whole hints are left out rather than cut. */
export function fitHints(hints: readonly KeyHint[], width: number): KeyHint[] {
  const shown: KeyHint[] = [];
  let used = 0;
  for (const hint of hints) {
    const extra = (shown.length > 0 ? SEPARATOR.length : 0) + hintWidth(hint);
    if (used + extra > width) continue;
    shown.push(hint);
    used += extra;
  }
  return shown;
}

/** The footer: the keys that apply now. */
export function KeyHints({ hints, width }: KeyHintsProps) {
  return (
    <Text wrap="truncate-end">
      {fitHints(hints, width).map((hint, i) => (
        <Text key={`${hint.keys} ${hint.text}`}>
          {i > 0 ? SEPARATOR : ''}
          <Text bold color="cyan">
            {hint.keys}
          </Text>{' '}
          <Text dimColor>{hint.text}</Text>
        </Text>
      ))}
    </Text>
  );
}
