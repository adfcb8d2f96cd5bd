import { createRequire } from 'node:module';

/** cc-iso's version, from its package.json (two folders up, from src/config, dist/config or the bundle in dist/bin). */
export const TOOL_VERSION = (createRequire(import.meta.url)('../../package.json') as { version: string }).version;
