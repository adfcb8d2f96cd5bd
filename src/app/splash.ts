/** The title bar's words while the modes are detected (screens/TitleBar.tsx shows the same). */
export const DETECTING_TITLE = 'detecting isolation modes…';

const ENTER = '\x1b[?1049h\x1b[2J\x1b[H\x1b[?25l';
const LEAVE = '\x1b[?25h\x1b[?1049l';
/** Cursor home and the row erased: Ink's first frame starts where it assumes an empty screen. */
const HAND_OVER = '\x1b[H\x1b[2K';

export interface Splash {
  /** Right before Ink's first frame, which may be another screen than the detecting one. */
  handOver(): void;
  /** The app failed to start: the normal screen and cursor back. */
  undo(): void;
}

/**
 * The app's first row, drawn before Ink and React load (a fifth of a second on a small machine):
 * the alternate screen (Ink's own switch to it then changes nothing) with the title bar of the
 * detect phase, until Ink draws its first frame.
 */
export function drawSplash(out: NodeJS.WriteStream): Splash {
  out.write(`${ENTER}\x1b[1;36mcc-iso\x1b[0m ${DETECTING_TITLE}`);
  return { handOver: () => out.write(HAND_OVER), undo: () => out.write(LEAVE) };
}
