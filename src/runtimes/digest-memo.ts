import { memoFile } from './file-memo.js';

/** Enough for the image recipes and host names of a machine; older entries make way. */
const KEPT = 32;

/**
 * SHA-256 (hex) of `text()`, remembered under `key` in the cache folder: loading node:crypto alone
 * costs ~10 ms of a start, more than the rest of a run's bookkeeping, and the same inputs come back
 * on every start. `key` must change whenever the text would (a file's identity, not its path):
 * `text` is read only for a key not seen before.
 */
export function rememberedDigest(key: string, text: () => string, env: NodeJS.ProcessEnv = process.env): string {
  const store = memoFile(env, 'digests.json');
  const known = store.read();
  const found = known[key];
  if (typeof found === 'string' && /^[0-9a-f]{64}$/.test(found)) return found;
  const digest = process.getBuiltinModule('node:crypto').createHash('sha256').update(text()).digest('hex');
  const kept = Object.entries(known).filter(([other]) => other !== key).slice(-(KEPT - 1));
  store.write({ ...Object.fromEntries(kept), [key]: digest });
  return digest;
}
