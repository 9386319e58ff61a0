// What tells one version of a file from the next without reading it: device, inode, size and the modification and
// change times in whole nanoseconds. The times are compared as the integers the kernel keeps (bigint stats): a
// float of milliseconds since 1970 holds about a quarter of a microsecond, so two changes that close apart read as
// one time (the change time cannot be set by a user, but two writes can land that close together).
import { promises as fs, type BigIntStats } from 'node:fs';

/** The version of the file these stats are of (fs.stat/lstat/FileHandle.stat with `{ bigint: true }`). */
export function fileVersion(stats: BigIntStats): string {
  return [stats.dev, stats.ino, stats.size, stats.mtimeNs, stats.ctimeNs].join(':');
}

/** The version of `file` now (links followed), or undefined when it cannot be looked at. */
export async function fileVersionNow(file: string): Promise<string | undefined> {
  const stats = await fs.stat(file, { bigint: true }).catch(() => undefined);
  return stats && fileVersion(stats);
}
