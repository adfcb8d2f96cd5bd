import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { execa } from 'execa';

/** What one direction of shipping the workspace cost. */
export interface Transfer {
  bytes: number;
  ms: number;
}

/** Counts the bytes that stream through, without holding any of them. */
function byteCounter(): Transform & { bytes: number } {
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      counter.bytes += chunk.length;
      callback(null, chunk);
    },
  }) as Transform & { bytes: number };
  counter.bytes = 0;
  return counter;
}

/**
 * Copies a folder on this machine into `container:path` on the target as a tar stream (local
 * `tar` → engine `cp -`), owned by `owner` inside (Docker keeps the archive's owners; Podman's
 * default `--archive` hands them to the container's user, the same `node`). Streamed end to end: a large workspace costs
 * no memory here. Throws with the engine's message when the copy fails.
 */
export async function uploadFolder(
  engine: string,
  engineArgs: string[],
  folder: string,
  container: string,
  path: string,
  owner: { uid: number; gid: number },
  signal: AbortSignal,
): Promise<Transfer> {
  const started = performance.now();
  const tar = execa('tar', ['-C', folder, `--owner=${owner.uid}`, `--group=${owner.gid}`, '--numeric-owner', '-cf', '-', '.'], {
    buffer: { stdout: false }, stdin: 'ignore', reject: false, cancelSignal: signal,
  });
  const copy = execa(engine, [...engineArgs, 'cp', '-', `${container}:${path}`], {
    stdin: 'pipe', reject: false, cancelSignal: signal,
  });
  const counter = byteCounter();
  await pipeline(tar.stdout, counter, copy.stdin).catch(() => {});
  const [packed, copied] = await Promise.all([tar, copy]);
  if (packed.exitCode !== 0) throw new Error(`packing the workspace failed: ${String(packed.stderr).trim()}`);
  if (copied.exitCode !== 0) throw new Error(`uploading the workspace failed: ${String(copied.stderr).trim() || copied.shortMessage}`);
  return { bytes: counter.bytes, ms: performance.now() - started };
}

/**
 * Brings `container:path` back into the folder on this machine (engine `cp … -` → local `tar`),
 * files owned by whoever runs cc-iso. Streamed like the upload.
 */
export async function downloadFolder(
  engine: string,
  engineArgs: string[],
  container: string,
  path: string,
  folder: string,
  signal: AbortSignal,
): Promise<Transfer> {
  const started = performance.now();
  const copy = execa(engine, [...engineArgs, 'cp', `${container}:${path}/.`, '-'], {
    buffer: { stdout: false }, stdin: 'ignore', reject: false, cancelSignal: signal,
  });
  const tar = execa('tar', ['-C', folder, '-xf', '-', '--no-same-owner', '--no-same-permissions'], {
    stdin: 'pipe', reject: false, cancelSignal: signal,
  });
  const counter = byteCounter();
  await pipeline(copy.stdout, counter, tar.stdin).catch(() => {});
  const [copied, unpacked] = await Promise.all([copy, tar]);
  if (copied.exitCode !== 0) throw new Error(`downloading the workspace failed: ${String(copied.stderr).trim() || copied.shortMessage}`);
  if (unpacked.exitCode !== 0) throw new Error(`unpacking the workspace failed: ${String(unpacked.stderr).trim()}`);
  return { bytes: counter.bytes, ms: performance.now() - started };
}
