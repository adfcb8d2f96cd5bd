import { closeSync, openSync, readSync } from 'node:fs';

/**
 * `bytes` bytes from the kernel's random source, as hex: for ids and keys no one may guess. Read
 * from /dev/urandom because loading node:crypto alone costs ~10 ms of a run's start (traced);
 * where there is no /dev/urandom (Windows), or it ends, node:crypto's.
 */
export function randomHex(bytes: number): string {
  const buffer = Buffer.alloc(bytes);
  let fd: number | null = null;
  try {
    fd = openSync('/dev/urandom', 'r');
    for (let filled = 0; filled < bytes; ) {
      const read = readSync(fd, buffer, filled, bytes - filled, null);
      if (read === 0) throw new Error('/dev/urandom ended');
      filled += read;
    }
    return buffer.toString('hex');
  } catch {
    return process.getBuiltinModule('node:crypto').randomBytes(bytes).toString('hex');
  } finally {
    if (fd !== null) closeSync(fd);
  }
}
