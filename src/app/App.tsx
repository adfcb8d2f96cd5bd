import { Box, useWindowSize } from 'ink';
import { HelpOverlay } from '../components/HelpOverlay.js';
import { KeyHints } from '../components/KeyHints.js';
import { ALL_SCOPES, helpGroups, hintsFor, keymapFor } from './keymap.js';
import { useAppContext, useAppState } from './context.js';
import { ChooseScreen } from './screens/ChooseScreen.js';
import { DetectScreen } from './screens/DetectScreen.js';
import { ResultsScreen } from './screens/ResultsScreen.js';
import { RunScreen } from './screens/RunScreen.js';
import { TitleBar } from './screens/TitleBar.js';
import { useCommands } from './use-commands.js';

/** Title bar, the screen of the current phase, and the key hints: exactly as tall as the terminal. */
export function App() {
  const { controller } = useAppContext();
  const { columns, rows } = useWindowSize();
  const phase = useAppState((s) => s.phase);
  const help = useAppState((s) => s.help);
  // Re-read the scopes whenever what decides them changes.
  useAppState((s) => s.draft === null);
  useCommands(controller);
  if (phase === 'closed') return null;
  const scopes = controller.scopes();
  const keymap = keymapFor(controller.replaying);
  const body = Math.max(0, rows - 2);
  // The help lists the keys of this screen first, then every other screen's.
  const screen = controller.screenScopes();
  const helpScopes = [...screen, ...ALL_SCOPES.filter((scope) => !screen.includes(scope) && scope !== 'help')];
  return (
    <Box flexDirection="column" width={columns} height={rows} overflow="hidden">
      <TitleBar />
      <Box height={body} flexDirection="column" overflow="hidden">
        {help ? (
          <HelpOverlay groups={helpGroups(helpScopes, keymap)} width={columns} height={body} />
        ) : phase === 'detect' ? (
          <DetectScreen />
        ) : phase === 'choose' ? (
          <ChooseScreen width={columns} height={body} />
        ) : phase === 'run' ? (
          <RunScreen width={columns} height={body} />
        ) : (
          <ResultsScreen width={columns} height={body} />
        )}
      </Box>
      <Box height={1}>
        <KeyHints hints={hintsFor(scopes, keymap)} width={columns} />
      </Box>
    </Box>
  );
}
