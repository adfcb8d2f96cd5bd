import type { Key } from 'ink';

/** Where a binding applies. Only the scopes of the current screen (and modal) are active at once. */
export type Scope = 'global' | 'choose' | 'prompt' | 'run' | 'results' | 'replay' | 'help';

export type Command =
  | 'app.quit'
  | 'app.help'
  | 'help.close'
  | 'choose.up'
  | 'choose.down'
  | 'choose.toggle'
  | 'choose.previous'
  | 'choose.next'
  | 'choose.prompt'
  | 'choose.start'
  | 'prompt.done'
  | 'prompt.cancel'
  | 'prompt.clear'
  | 'prompt.backspace'
  | 'pane.next'
  | 'pane.previous'
  | 'pane.focus'
  | 'pane.zoom'
  | 'scroll.up'
  | 'scroll.down'
  | 'scroll.pageUp'
  | 'scroll.pageDown'
  | 'scroll.end'
  | 'run.stop'
  | 'run.rerun'
  | 'results.markdown'
  | 'results.json'
  | 'results.again'
  | 'results.recording'
  | 'results.timeline'
  | 'replay.toggle'
  | 'replay.back'
  | 'replay.forward';

export interface Binding {
  command: Command;
  /** Canonical key names, as keyName() produces them. */
  keys: readonly string[];
  scope: Scope;
  /** The help overlay's text. */
  description: string;
  /** The footer's short text; bindings without it appear only in the help overlay. */
  hint?: string;
  /** How the keys are written when listing them all would be long (e.g. "1-9"). */
  label?: string;
  /** The footer's key label when one hint stands for several bindings (e.g. "↑↓"). */
  hintKeys?: string;
  /** Only in a live session: a replay has no run to stop or start. */
  live?: true;
}

const DIGITS = ['1', '2', '3', '4', '5', '6', '7', '8', '9'];

/** The one key table: handlers, the footer and the help overlay all read it. */
export const KEYMAP: readonly Binding[] = [
  { command: 'app.quit', keys: ['q', 'ctrl+c'], scope: 'global', description: 'stop every run and quit (press again to force)', hint: 'quit' },
  { command: 'app.help', keys: ['?'], scope: 'global', description: 'show every key', hint: 'help' },
  { command: 'help.close', keys: ['escape', '?', 'return'], scope: 'help', description: 'close this help', hint: 'close' },

  { command: 'choose.up', keys: ['up'], scope: 'choose', description: 'move up', hint: 'move', hintKeys: '↑↓' },
  { command: 'choose.down', keys: ['down'], scope: 'choose', description: 'move down' },
  { command: 'choose.toggle', keys: ['space'], scope: 'choose', description: 'choose or drop the mode; next value of the row', hint: 'toggle' },
  { command: 'choose.previous', keys: ['left'], scope: 'choose', description: 'previous workload / fewer runs', hint: 'change', hintKeys: '←→' },
  { command: 'choose.next', keys: ['right'], scope: 'choose', description: 'next workload / more runs' },
  { command: 'choose.prompt', keys: ['p'], scope: 'choose', description: 'edit the prompt (paste keeps several lines)', hint: 'prompt' },
  { command: 'choose.start', keys: ['return'], scope: 'choose', description: 'start the chosen modes', hint: 'start' },

  { command: 'prompt.done', keys: ['return'], scope: 'prompt', description: 'keep the prompt', hint: 'keep' },
  { command: 'prompt.cancel', keys: ['escape'], scope: 'prompt', description: 'drop the changes', hint: 'cancel' },
  { command: 'prompt.clear', keys: ['ctrl+u'], scope: 'prompt', description: 'clear the prompt', hint: 'clear' },
  { command: 'prompt.backspace', keys: ['backspace'], scope: 'prompt', description: 'delete the last character' },
  { command: 'app.quit', keys: ['ctrl+c'], scope: 'prompt', description: 'quit' },

  { command: 'pane.next', keys: ['tab'], scope: 'run', description: 'focus the next pane', hint: 'focus' },
  { command: 'pane.previous', keys: ['shift+tab'], scope: 'run', description: 'focus the previous pane' },
  { command: 'pane.focus', keys: DIGITS, scope: 'run', description: 'focus pane 1–9', hint: 'pane', label: '1-9' },
  { command: 'pane.zoom', keys: ['z'], scope: 'run', description: 'zoom the focused pane to the full screen and back', hint: 'zoom' },
  { command: 'scroll.up', keys: ['up'], scope: 'run', description: 'scroll the focused pane up a line', hint: 'scroll', hintKeys: '↑↓' },
  { command: 'scroll.down', keys: ['down'], scope: 'run', description: 'scroll down a line' },
  { command: 'scroll.pageUp', keys: ['pageup'], scope: 'run', description: 'scroll up a page' },
  { command: 'scroll.pageDown', keys: ['pagedown'], scope: 'run', description: 'scroll down a page' },
  { command: 'scroll.end', keys: ['end'], scope: 'run', description: 'follow the newest output again' },
  { command: 'run.stop', keys: ['k'], scope: 'run', description: 'stop the focused run', hint: 'stop', live: true },
  { command: 'run.rerun', keys: ['r'], scope: 'run', description: 'run the focused mode again (once it has ended)', hint: 'rerun', live: true },

  { command: 'results.markdown', keys: ['e'], scope: 'results', description: 'write RESULTS.md or the --markdown file', hint: 'RESULTS.md' },
  { command: 'results.json', keys: ['j'], scope: 'results', description: 'write results.json or the --json file', hint: 'JSON' },
  { command: 'results.timeline', keys: ['t'], scope: 'results', description: 'show each run\'s phases on a time axis, and back', hint: 'timeline' },
  { command: 'results.recording', keys: ['s'], scope: 'results', description: 'save this session\'s recording here (cc-iso replay plays it)', hint: 'save recording', live: true },
  { command: 'results.again', keys: ['return', 'n'], scope: 'results', description: 'choose and start again', hint: 'again', live: true },

  { command: 'replay.toggle', keys: ['space'], scope: 'replay', description: 'pause the replay, or go on', hint: 'pause' },
  { command: 'replay.back', keys: ['left'], scope: 'replay', description: 'go back in the replay', hint: 'seek', hintKeys: '←→' },
  { command: 'replay.forward', keys: ['right'], scope: 'replay', description: 'go forward in the replay' },
];

/** The bindings that apply: a replay has no live-session keys; a live session has no replay keys. */
export function keymapFor(replaying: boolean): readonly Binding[] {
  return KEYMAP.filter((binding) => (replaying ? binding.live !== true : binding.scope !== 'replay'));
}

/** The canonical name of a key press, or null for input that names no key (typed text). */
export function keyName(input: string, key: Key): string | null {
  if (key.upArrow) return 'up';
  if (key.downArrow) return 'down';
  if (key.leftArrow) return 'left';
  if (key.rightArrow) return 'right';
  if (key.pageUp) return 'pageup';
  if (key.pageDown) return 'pagedown';
  if (key.home) return 'home';
  if (key.end) return 'end';
  if (key.return) return 'return';
  if (key.escape) return 'escape';
  if (key.tab) return key.shift ? 'shift+tab' : 'tab';
  if (key.backspace || key.delete) return 'backspace';
  if (key.ctrl && input) return `ctrl+${input.toLowerCase()}`;
  if (input === ' ') return 'space';
  return input.length === 1 ? input : null;
}

export interface Match {
  command: Command;
  /** The key that matched: pane.focus reads its digit. */
  name: string;
}

/** The first binding of the active scopes (in the order given) that the key press names. */
export function matchKey(
  scopes: readonly Scope[],
  input: string,
  key: Key,
  keymap: readonly Binding[] = KEYMAP,
): Match | null {
  const name = keyName(input, key);
  if (name === null) return null;
  for (const scope of scopes) {
    const binding = keymap.find((candidate) => candidate.scope === scope && candidate.keys.includes(name));
    if (binding) return { command: binding.command, name };
  }
  return null;
}

const KEY_LABELS: Record<string, string> = {
  up: '↑', down: '↓', left: '←', right: '→', pageup: 'PgUp', pagedown: 'PgDn', return: 'enter',
  escape: 'esc', 'shift+tab': 'shift-tab', backspace: '⌫',
};

export function keyLabel(name: string): string {
  return KEY_LABELS[name] ?? name.replace(/^ctrl\+/, 'ctrl-');
}

function keysOf(binding: Binding): string {
  return binding.label ?? binding.keys.map(keyLabel).join('/');
}

export interface Hint {
  keys: string;
  text: string;
}

/** The footer for the active scopes, generated from the table. */
export function hintsFor(scopes: readonly Scope[], keymap: readonly Binding[] = KEYMAP): Hint[] {
  return scopes.flatMap((scope) =>
    keymap
      .filter((binding) => binding.scope === scope && binding.hint !== undefined)
      .map((binding) => ({
        keys: binding.hintKeys ?? keysOf(binding),
        text: binding.hint ?? '',
      })),
  );
}

export interface HelpGroup {
  title: string;
  entries: Hint[];
}

const SCOPE_TITLES: Record<Scope, string> = {
  global: 'everywhere',
  choose: 'choose',
  prompt: 'editing the prompt',
  run: 'running',
  results: 'results',
  replay: 'replay',
  help: 'this help',
};

/** Every binding, grouped by scope, in the order given (the active scopes first). */
export function helpGroups(scopes: readonly Scope[], keymap: readonly Binding[] = KEYMAP): HelpGroup[] {
  return scopes
    .map((scope) => ({
      title: SCOPE_TITLES[scope],
      entries: keymap
        .filter((binding) => binding.scope === scope)
        .map((binding) => ({
          keys: keysOf(binding),
          text: binding.description,
        })),
    }))
    .filter((group) => group.entries.length > 0);
}

export const ALL_SCOPES: readonly Scope[] = ['global', 'choose', 'prompt', 'run', 'results', 'replay', 'help'];
