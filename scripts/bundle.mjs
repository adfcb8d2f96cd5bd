// Bundles the CLI that users run (dist/bin/cc-iso.js) from tsc's output. Node spends most of a
// short command's start resolving and reading ~80 modules one by one; a few files of one command
// each (the app's Ink and React in chunks of their own, loaded only by the app) start faster.
// The files stay two folders below the package root, as tsc's are, so `../../assets` and the
// search for package.json find the same places.
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

// Chunks are named by their content: without this, every build would leave the last one's behind.
rmSync('dist/bin', { recursive: true, force: true });
await build({
  entryPoints: { 'cc-iso': 'dist/cli/bin.js' },
  outdir: 'dist/bin',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  chunkNames: 'chunk-[hash]',
  entryNames: '[name]',
  // srt finds its own files through its package (import.meta.resolve); Ink imports the React
  // devtools only when DEV=true, and they are not installed.
  external: ['@anthropic-ai/sandbox-runtime', '@anthropic-ai/sandbox-runtime/*', 'react-devtools-core'],
  // Bundled CommonJS (React, parts of Ink's dependencies) calls require for Node's own modules.
  banner: { js: "import { createRequire as ccIsoRequire } from 'node:module'; const require = ccIsoRequire(import.meta.url);" },
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
});
