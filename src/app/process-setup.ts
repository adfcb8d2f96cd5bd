import { existsSync } from 'node:fs';
import module from 'node:module';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';

/*
 * Imported before Ink and React. React picks its development or production build by NODE_ENV
 * when it is first loaded, and the development build does several times the work per render.
 * The runs the app starts must not inherit the change, so restoreEnvironment() undoes it once
 * React is loaded.
 */
const previous = process.env.NODE_ENV;
process.env.NODE_ENV ??= 'production';

/*
 * Ink imports one function, `throttle`, from es-toolkit's `compat` entry, which loads all 415 of
 * its modules: two thirds of the app's modules and the largest part of its start. Ink gets the
 * module that defines `throttle` instead (test/unit/process-setup.test.ts checks that this is all
 * Ink takes from it). Left as it is when that module is not where this version keeps it.
 */
const throttleOnly = module.registerHooks?.({
  resolve(specifier, context, nextResolve) {
    const resolved = nextResolve(specifier, context);
    if (specifier !== 'es-toolkit/compat' || !context.parentURL?.includes('/node_modules/ink/')) return resolved;
    const throttle = new URL('function/throttle.mjs', resolved.url);
    return existsSync(fileURLToPath(throttle)) ? { ...resolved, url: throttle.href } : resolved;
  },
});

/*
 * Yoga, Ink's layout engine, fetches its inline WebAssembly (a data: URL) when `fetch` exists, and
 * the first read of the global `fetch` loads Node's HTTP client. Until restoreEnvironment(), a
 * data: URL is refused, so Yoga decodes the same bytes itself; any other fetch is Node's own.
 */
const fetchProperty = Object.getOwnPropertyDescriptor(globalThis, 'fetch');
if (fetchProperty?.configurable) {
  const nodeFetch: typeof fetch = (input, init) => {
    restoreFetch();
    return fetch(input, init);
  };
  const noDataUrls: typeof fetch = (input, init) =>
    typeof input === 'string' && input.startsWith('data:') ? Promise.reject(new Error('decoded without fetch')) : nodeFetch(input, init);
  Object.defineProperty(globalThis, 'fetch', { value: noDataUrls, configurable: true, writable: true });
}

function restoreFetch(): void {
  if (fetchProperty?.configurable) Object.defineProperty(globalThis, 'fetch', fetchProperty);
}

/** Once Ink and React are loaded: the environment the runs inherit, and module loading, as they were. */
export function restoreEnvironment(): void {
  if (previous === undefined) delete process.env.NODE_ENV;
  else process.env.NODE_ENV = previous;
  restoreFetch();
  throttleOnly?.deregister();
}

/**
 * A busy UI makes V8 trade memory for fewer collections. It doubles its young generation again and
 * again (to 134 MB here): at its start size, minor collections stay well under a millisecond. And
 * after each full collection it lets the old generation grow to up to four times what survived (a
 * 30 MB app became a 115 MB heap under six flooding panes): growing it by half instead keeps that
 * flood's peak RSS at ~150 MB instead of ~200 MB, for a full collection (mostly incremental, a few
 * ms) about once a second, with key presses handled as fast (`npm run bench`, flood). V8 reads both
 * flags each time it sizes a space, so setting them late works.
 */
export function boundHeapGrowth(): void {
  setFlagsFromString('--semi-space-growth-factor=1');
  setFlagsFromString('--heap-growing-percent=50');
}
