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
};

/** The words for a Node file-system error with a path, or undefined for any other error. */
export function describeSystemError(err: unknown): string | undefined {
  const { code, path, syscall } = (err ?? {}) as NodeJS.ErrnoException;
  if (typeof code !== 'string' || typeof path !== 'string' || typeof syscall !== 'string') return undefined;
  const words = WORDS[code];
  return words ? `${path}: ${words}` : undefined;
}
