/** The title bar's words while the modes are detected (screens/TitleBar.tsx shows the same). */
export const DETECTING_TITLE = 'detecting isolation modes…';

const ENTER = '\x1b[?1049h\x1b[2J\x1b[H\x1b[?25l';
const LEAVE = '\x1b[?25h\x1b[?1049l';

/**
 * The app's first row, drawn before Ink and React load (a fifth of a second on a small machine):
 * the alternate screen with the title bar as Ink's first frame draws it, so the frame that
 * follows replaces it with the same words. Returns what undoes it when the app fails to start.
 */
export function drawSplash(out: NodeJS.WriteStream): () => void {
  out.write(`${ENTER}\x1b[1;36mcc-iso\x1b[0m ${DETECTING_TITLE}`);
  return () => out.write(LEAVE);
}
