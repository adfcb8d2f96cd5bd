import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { expect, test } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SETUP = join(ROOT, 'dist/app/process-setup.js');

function jsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? jsFiles(join(dir, entry.name)) : entry.name.endsWith('.js') ? [join(dir, entry.name)] : [],
  );
}

test('Ink takes nothing but throttle from es-toolkit/compat, the one function the app start hands it alone', () => {
  const sources = jsFiles(join(ROOT, 'node_modules/ink/build')).map((file) => readFileSync(file, 'utf8'));
  const imports = sources.flatMap((source) => [...source.matchAll(/import\s*([^;]*?)\s*from\s*'es-toolkit\/compat'/g)]);
  expect(imports.map((match) => match[1])).toEqual(['{ throttle }']);
});

// What the app loads before its first frame, seen from a fresh Node (the same one `cc-iso` runs).
const CHILD = `
import module from 'node:module';
const loaded = [];
module.registerHooks({ load(url, context, next) { loaded.push(url); return next(url, context); } });
const setup = await import(${JSON.stringify(SETUP)});
const ink = await import('ink');
const httpClient = process.moduleLoadList.some((name) => name.includes('undici'));
setup.restoreEnvironment();
const decoded = await (await fetch('data:text/plain,fetch%20works')).text();
console.log(JSON.stringify({
  render: typeof ink.render,
  esToolkit: loaded.filter((url) => url.includes('/es-toolkit/')).map((url) => url.replace(/.*\\/es-toolkit\\//, '')),
  httpClient,
  decoded,
}));
`;

test('the app loads Ink without es-toolkit’s 415-module barrel or Node’s HTTP client, and fetch works again after', async () => {
  const child = await execa('node', ['--input-type=module', '--eval', CHILD], { cwd: ROOT, reject: false });
  expect(child.stderr).toBe('');
  const seen = JSON.parse(child.stdout) as { render: string; esToolkit: string[]; httpClient: boolean; decoded: string };
  expect(seen).toMatchObject({ render: 'function', httpClient: false, decoded: 'fetch works' });
  // throttle and the few modules it imports, not the barrel.
  expect(seen.esToolkit).toContain('dist/compat/function/throttle.mjs');
  expect(seen.esToolkit).not.toContain('dist/compat/index.mjs');
  expect(seen.esToolkit.length).toBeLessThan(10);
});
