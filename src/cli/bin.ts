#!/usr/bin/env node
// The entry point checks the Node version before anything else loads: on an older Node the
// dependencies fail with errors that say nothing about the cause.
const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  process.stderr.write(`cc-iso needs Node.js 22 or newer; this is ${process.version}. Install a current Node (https://nodejs.org).\n`);
  process.exit(1);
}
await import('./main.js');
