import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * ARCHITECTURE.md "Who may import whom", as a table. A target is a layer (`engine`) or one module
 * of it (`config/paths`); a layer may always import itself; `types` are allowed as `import type`
 * only. Keep this table and the document saying the same thing.
 */
interface Rule {
  may: string[];
  types?: string[];
}

const RULES: Record<string, Rule> = {
  domain: { may: [] },
  config: { may: ['domain'] },
  credentials: { may: ['domain'] },
  runtimes: { may: ['domain', 'config/paths'] },
  workloads: { may: ['domain', 'runtimes/types'] },
  engine: { may: ['domain', 'config', 'credentials', 'runtimes', 'workloads'] },
  export: { may: ['domain', 'config/version'], types: ['runtimes/types'] },
  components: { may: ['domain'], types: ['engine/events', 'runtimes/types'] },
  recording: { may: ['domain', 'engine', 'export', 'credentials', 'config/version'] },
  state: { may: ['domain', 'export', 'recording'], types: ['engine', 'config/options', 'app/keymap'] },
  app: { may: ['domain', 'config', 'state', 'components', 'export'] },
  cli: { may: ['domain', 'config', 'credentials', 'runtimes', 'engine', 'recording', 'export', 'app'], types: ['state/engine'] },
  bench: { may: ['domain', 'config', 'credentials', 'runtimes', 'workloads', 'engine', 'recording', 'export', 'components', 'state', 'app'] },
};

/** Packages only some layers may use: processes are spawned behind the runtimes (and the Keychain lookup). */
const PACKAGES: Record<string, string[]> = {
  execa: ['runtimes', 'credentials', 'bench'],
  'node:child_process': ['runtimes'],
  zustand: ['state', 'app'],
};

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');

interface Import {
  specifier: string;
  typeOnly: boolean;
}

/** Static imports and re-exports (multi-line too), side-effect imports and dynamic import(). */
export function importsOf(source: string): Import[] {
  const found: Import[] = [];
  const statement = /^\s*(?:import|export)\s+(type\s+)?([\w\s{},*$]+?)\s+from\s+['"]([^'"]+)['"]/gm;
  for (const [, typeKeyword, clause = '', specifier = ''] of source.matchAll(statement)) {
    const named = /^\{([^}]*)\}$/.exec(clause.trim())?.[1];
    const specifiers = named?.split(',').map((s) => s.trim()).filter(Boolean) ?? [];
    const allTypes = specifiers.length > 0 && specifiers.every((s) => s.startsWith('type '));
    found.push({ specifier, typeOnly: typeKeyword !== undefined || allTypes });
  }
  for (const [, specifier = ''] of source.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm)) found.push({ specifier, typeOnly: false });
  for (const [, specifier = ''] of source.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) found.push({ specifier, typeOnly: false });
  return found;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

/** `engine/session` for src/engine/session.ts. */
function moduleOf(path: string): string {
  return relative(SRC, path).replace(/\.tsx?$/, '');
}

function resolveRelative(from: string, specifier: string): string {
  const base = resolve(dirname(from), specifier).replace(/\.js$/, '');
  return [`${base}.ts`, `${base}.tsx`].find((candidate) => existsSync(candidate)) ?? `${base}.ts`;
}

const covers = (targets: string[] | undefined, module: string) =>
  (targets ?? []).some((target) => module === target || module.startsWith(`${target}/`));

/** What bin.ts starts, each a bundle of its own (scripts/bundle.mjs): nothing else may load them. */
const ENTRIES = ['cli/main', 'cli/run-entry', 'cli/detect-entry'];

/** Every import of `file` (its text `source`) that the rules forbid, as "from → to" lines. */
export function violations(file: string, source: string): string[] {
  const from = moduleOf(file);
  const layer = from.split('/')[0] ?? '';
  const rule = RULES[layer];
  if (!rule) return [`${from}: the layer "${layer}" has no rule`];
  const found: string[] = [];
  for (const { specifier, typeOnly } of importsOf(source)) {
    if (!specifier.startsWith('.')) {
      const allowed = PACKAGES[specifier.split('/')[0] ?? ''];
      if (allowed && !allowed.includes(layer)) found.push(`${from} → ${specifier}`);
      continue;
    }
    const target = resolveRelative(file, specifier);
    if (!target.startsWith(`${SRC}/`)) {
      found.push(`${from} → ${relative(SRC, target)} (outside src/)`);
      continue;
    }
    const to = moduleOf(target);
    if (ENTRIES.includes(to) && from !== 'cli/bin') found.push(`${from} → ${to} (only bin.ts loads it)`);
    const toLayer = to.split('/')[0];
    if (toLayer === layer || covers(rule.may, to) || (typeOnly && covers(rule.types, to))) continue;
    found.push(`${from} → ${to}${covers(rule.types, to) ? ' (allowed as `import type` only)' : ''}`);
  }
  return found;
}

describe('import rules (ARCHITECTURE.md "Who may import whom")', () => {
  const files = sourceFiles(SRC);

  it('has a rule for every folder under src/', () => {
    const layers = [...new Set(files.map((file) => moduleOf(file).split('/')[0]))].sort();
    expect(layers).toEqual(Object.keys(RULES).sort());
  });

  it('holds for every import in src/', () => {
    expect(files.flatMap((file) => violations(file, readFileSync(file, 'utf8')))).toEqual([]);
  });

  it('catches an import against the rules', () => {
    const probe = join(SRC, 'workloads/probe.ts');
    expect(violations(probe, "import { assetPath } from '../config/paths.js';")).toEqual(['workloads/probe → config/paths']);
    const title = join(SRC, 'app/screens/TitleBar.tsx');
    expect(violations(title, "import {\n  isFinal,\n} from '../../engine/events.js';")).toEqual(['app/screens/TitleBar → engine/events']);
    const badge = join(SRC, 'components/StatusBadge.tsx');
    expect(violations(badge, "import { isFinal } from '../engine/events.js';")).toEqual([
      'components/StatusBadge → engine/events (allowed as `import type` only)',
    ]);
    expect(violations(badge, "import { type LiveStatus } from '../engine/events.js';\nimport type { X } from '../runtimes/types.js';")).toEqual([]);
    expect(violations(badge, "import { useStore } from 'zustand';")).toEqual(['components/StatusBadge → zustand']);
    expect(violations(join(SRC, 'app/launch.tsx'), "const m = await import('../cli/main.js');")).toContain('app/launch → cli/main (only bin.ts loads it)');
    expect(violations(join(SRC, 'cli/main.ts'), "await import('./run-entry.js');")).toEqual(['cli/main → cli/run-entry (only bin.ts loads it)']);
    expect(violations(join(SRC, 'engine/session.ts'), "import { helper } from '../../test/helpers/session.js';")).toEqual([
      'engine/session → ../test/helpers/session.ts (outside src/)',
    ]);
  });
});
