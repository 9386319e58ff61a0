// The one capped reader of a CA, client certificate or key file, for the engine (certs.d, the system bundle, the
// editor's settings, read synchronously when a client is built) and the CLI (its flags, read as options are parsed).
// Only a regular file is read: a synchronous read of a terminal, a device or a named pipe blocks the thread for as
// long as nothing is typed or written, which in the editor is its extension host. The CLI reads a pipe itself,
// once and with a deadline, and hands the engine its bytes.
import * as fs from 'node:fs';
import { OciError } from '../oci';

/**
 * The most read of a certificate, key or CA file the user names: a CA bundle is a few hundred KiB. A wrong file
 * (--key-file of a disk image) would otherwise be read whole into memory.
 */
export const MAX_TRUST_FILE_BYTES = 8 * 1024 * 1024;

/** Why a file over MAX_TRUST_FILE_BYTES is refused. */
export const TOO_LARGE = `larger than ${MAX_TRUST_FILE_BYTES / 1024 / 1024} MiB: is it the right file?`;

/**
 * How a trust file is opened: without waiting (a named pipe's open waits for a writer) and without becoming the
 * controlling terminal; neither flag changes how a regular file reads. Windows has neither (0). What was opened is
 * then judged on its descriptor (readOpenTrustFile), never on a look at the path before, which a swap can outrun.
 */
export const TRUST_FILE_OPEN_FLAGS =
  fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0) | (fs.constants.O_NOCTTY ?? 0);

/**
 * The bytes of `file`, at most MAX_TRUST_FILE_BYTES. Anything else is a USAGE error "`what`: <why>": no such file,
 * permission denied, a folder, a device or a pipe (named as what it is), or too large.
 */
export function readTrustFile(file: string, what: string): Buffer {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, TRUST_FILE_OPEN_FLAGS);
    return readOpenTrustFile(fd, fs.fstatSync(fd), what);
  } catch (err) {
    if (OciError.is(err)) throw err;
    throw new OciError('USAGE', `${what}: ${unreadable(err)}`, { cause: err });
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/**
 * The bytes of the file open as `fd` (opened with TRUST_FILE_OPEN_FLAGS; `info`: its fstat), at most
 * MAX_TRUST_FILE_BYTES, when it is a regular file; else a USAGE error naming what it is. The caller closes `fd`.
 */
export function readOpenTrustFile(fd: number, info: fs.Stats, what: string): Buffer {
  if (!info.isFile()) throw new OciError('USAGE', `${what}: ${notRegular(info)}`);
  // One byte past the cap says it is too large; a file that grew since fstat is read up to it.
  const buffer = Buffer.alloc(Math.min(MAX_TRUST_FILE_BYTES, info.size) + 1);
  let length = 0;
  for (let n; length < buffer.length && (n = fs.readSync(fd, buffer, length, buffer.length - length, null)) > 0;)
    length += n;
  if (length > MAX_TRUST_FILE_BYTES) throw new OciError('USAGE', `${what}: ${TOO_LARGE}`);
  return buffer.subarray(0, length);
}

/** Why a named file cannot be read, in words ("no such file"), not Node's "ENOENT: …, open". */
export function unreadable(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'it is a folder, not a file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return (err as Error).message;
}

/** What a file that is not a regular file is, as an error says it. */
export function notRegular(info: fs.Stats): string {
  if (info.isDirectory()) return unreadable({ code: 'EISDIR' });
  const kind = info.isFIFO()
    ? 'a named pipe'
    : info.isCharacterDevice()
      ? 'a character device (a terminal, /dev/zero…)'
      : info.isBlockDevice()
        ? 'a block device'
        : info.isSocket()
          ? 'a socket'
          : 'not a file';
  return `it is ${kind}, not a regular file`;
}
