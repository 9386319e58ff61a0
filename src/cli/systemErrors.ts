// A file-system error that reached the command line (a key, a certificate, a manifest file, an output path) in
// words with the path it is about: "nokey.pem: no such file or folder", not Node's
// "ENOENT: no such file or directory, open 'nokey.pem'".

const WORDS: Record<string, string> = {
  ENOENT: 'no such file or folder',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'it is a folder, not a file',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EEXIST: 'it already exists',
  ENOSPC: 'no space left on the device',
  EROFS: 'the file system is read-only',
  EDQUOT: 'the disk quota is used up',
  EFBIG: 'the file would pass the largest size this system or process allows',
};

/** The words for a Node file-system error with a path, or undefined for any other error. */
export function describeSystemError(err: unknown): string | undefined {
  const { code, path, syscall } = (err ?? {}) as NodeJS.ErrnoException;
  if (typeof code !== 'string' || typeof syscall !== 'string') return undefined;
  const words = WORDS[code];
  if (!words) return undefined;
  // A write to an open file names no path ("ENOSPC: …, write"): the words still say what happened, and the
  // caller says where (the staging folder kept for a rerun).
  return typeof path === 'string'
    ? `${path}: ${words}`
    : `${words} (while ${syscall === 'write' ? 'writing' : syscall})`;
}

/** Any error in the words the command line prints it with: a file-system error named, anything else as it says. */
export function errorWords(err: unknown): string {
  return describeSystemError(err) ?? (err instanceof Error ? err.message : String(err));
}
