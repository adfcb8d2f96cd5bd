#!/usr/bin/env node
import module from 'node:module';

// The entry point checks the Node version before anything else loads: on an older Node the
// dependencies fail with errors that say nothing about the cause.
// 22.3 brought process.getBuiltinModule, which loads Node's heavier modules only when needed.
const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 3)) {
  process.stderr.write(`cc-iso needs Node.js 22.3 or newer; this is ${process.version}. Install a current Node (https://nodejs.org).\n`);
  process.exit(1);
}
// Node keeps the compiled modules on disk (its temporary folder), so later starts skip compiling
// them; NODE_DISABLE_COMPILE_CACHE=1 turns it off.
module.enableCompileCache();
// `run` and `detect` are bundles of their own (scripts/bundle.mjs): a run loads one file, nothing of
// the app or the other commands.
const command = process.argv[2];
await import(command === 'run' ? './run-entry.js' : command === 'detect' ? './detect-entry.js' : './main.js');
