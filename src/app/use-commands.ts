import { useInput, usePaste } from 'ink';
import type { AppController } from '../state/controller.js';
import { keymapFor, matchKey } from './keymap.js';

/** The one input layer: a key press becomes a command of the active scopes, or typed text. */
export function useCommands(controller: AppController): void {
  useInput((input, key) => {
    const scopes = controller.scopes();
    const match = matchKey(scopes, input, key, keymapFor(controller.replaying));
    if (match) controller.command(match.command, match.name);
    else if (scopes[0] === 'prompt' && input && !key.ctrl && !key.meta) controller.type(input);
  });
  usePaste((text) => controller.paste(text));
}
