// Bundles the CLI that users run (dist/bin/cc-iso.js) from tsc's output. Node spends most of a
// short command's start on its modules: each file it resolves, reads and links costs a third of a
// millisecond here, whatever its size. So `run` and `detect` are one file each (plus chunks they
// load only when asked: execa for a remote target, conf) from builds of their own; the app and the
// other commands share a third build whose chunks split Ink and React from the rest. The builds
// share no chunk, so one process never holds two copies of a module. bin.ts picks the entry.
// The files stay two folders below the package root, as tsc's are, so `../../assets` and the
// search for package.json find the same places.
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

const common = {
  outdir: 'dist/bin',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  entryNames: '[name]',
  // srt finds its own files through its package (import.meta.resolve); Ink imports the React
  // devtools only when DEV=true, and they are not installed.
  external: ['@anthropic-ai/sandbox-runtime', '@anthropic-ai/sandbox-runtime/*', 'react-devtools-core'],
  // Bundled CommonJS (React, parts of Ink's dependencies) calls require for Node's own modules.
  banner: { js: "import { createRequire as ccIsoRequire } from 'node:module'; const require = ccIsoRequire(import.meta.url);" },
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
};

// Chunks are named by their content: without this, every build would leave the last one's behind.
rmSync('dist/bin', { recursive: true, force: true });
await Promise.all([
  build({ ...common, entryPoints: { main: 'dist/cli/main.js' }, chunkNames: 'chunk-[hash]' }),
  ...['run', 'detect'].map((command) =>
    build({ ...common, entryPoints: { [`${command}-entry`]: `dist/cli/${command}-entry.js` }, chunkNames: `${command}-[hash]` }),
  ),
  // The entry itself is not bundled: it only picks one of the bundles above, by the same names
  // tsc's files have next to it.
  build({ entryPoints: { 'cc-iso': 'dist/cli/bin.js' }, outdir: 'dist/bin', format: 'esm', platform: 'node', target: 'node22', sourcemap: 'linked', logLevel: 'warning' }),
]);
