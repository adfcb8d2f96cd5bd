import type { Key } from 'ink';
import { describe, expect, it } from 'vitest';
import { hintsFor, helpGroups, KEYMAP, keyName, matchKey, type Binding } from '../../src/app/keymap.js';

function key(overrides: Partial<Key> = {}): Key {
  return {
    upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false,
    home: false, end: false, return: false, escape: false, ctrl: false, shift: false, tab: false,
    backspace: false, delete: false, meta: false, super: false, hyper: false, capsLock: false, numLock: false,
    ...overrides,
  };
}

describe('the key table', () => {
  it('names key presses', () => {
    expect(keyName('', key({ tab: true }))).toBe('tab');
    expect(keyName('', key({ tab: true, shift: true }))).toBe('shift+tab');
    expect(keyName('c', key({ ctrl: true }))).toBe('ctrl+c');
    expect(keyName(' ', key())).toBe('space');
    expect(keyName('q', key())).toBe('q');
    expect(keyName('hello', key())).toBeNull();
  });

  it('matches in the order of the active scopes', () => {
    expect(matchKey(['run', 'global'], 'q', key())?.command).toBe('app.quit');
    expect(matchKey(['run', 'global'], '', key({ upArrow: true }))?.command).toBe('scroll.up');
    expect(matchKey(['choose', 'global'], '', key({ upArrow: true }))?.command).toBe('choose.up');
    expect(matchKey(['run', 'global'], '3', key())).toEqual({ command: 'pane.focus', name: '3' });
    // While typing a prompt, q is a letter, not quit; ctrl-c still quits.
    expect(matchKey(['prompt'], 'q', key())).toBeNull();
    expect(matchKey(['prompt'], 'c', key({ ctrl: true }))?.command).toBe('app.quit');
  });

  it('binds every key at most once per scope', () => {
    const seen = new Set<string>();
    for (const binding of KEYMAP) {
      for (const name of binding.keys) {
        const id = `${binding.scope} ${name}`;
        expect(seen.has(id), id).toBe(false);
        seen.add(id);
      }
    }
  });

  it('generates the footer from the table', () => {
    expect(hintsFor(['run', 'global']).map((hint) => `${hint.keys} ${hint.text}`)).toEqual([
      'tab focus', '1-9 pane', 'z zoom', '↑↓ scroll', 'k stop', 'r rerun', 'q/ctrl-c quit', '? help',
    ]);
    const table: Binding[] = [
      { command: 'run.stop', keys: ['x'], scope: 'run', description: 'stop', hint: 'halt' },
      { command: 'run.rerun', keys: ['y'], scope: 'run', description: 'again' },
    ];
    expect(hintsFor(['run'], table)).toEqual([{ keys: 'x', text: 'halt' }]);
  });

  it('lists every binding of a scope in the help, hinted or not', () => {
    const [run] = helpGroups(['run']);
    expect(run?.entries.length).toBe(KEYMAP.filter((binding) => binding.scope === 'run').length);
    expect(run?.entries).toContainEqual({ keys: 'shift-tab', text: 'focus the previous pane' });
    expect(run?.entries).toContainEqual({ keys: 'PgUp', text: 'scroll up a page' });
  });
});
