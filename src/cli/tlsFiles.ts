// The TLS files a command line names (--ca-file, --cert-file, --key-file, each side's too, and the caFile, certFile
// and keyFile of --hosts-config entries), read and checked as the options are read: one missing, unreadable or of
// the wrong kind (a certificate given as the key, a key that is not the certificate's) was found only at the first
// TLS connection, after a backup or a copy had started its work, as OpenSSL's words naming neither flag nor file.
// Each path is read once and its text handed to the connections (Session): a pipe's bytes are there once, and
// `--from-ca-file <(…) --to-ca-file` of the same pipe read it twice, the second time empty.
import * as fs from 'node:fs';
import * as net from 'node:net';
import {
  keyMatchesCertificate,
  MAX_TRUST_FILE_BYTES,
  readOpenTrustFile,
  tlsMaterialProblem,
  TOO_LARGE,
  TRUST_FILE_OPEN_FLAGS,
  unreadable,
  type RegistryConfig,
  type TlsFileRole,
} from '../core/registry';
import { OciError } from '../core/oci';
import { UsageError, type ParsedArgs } from './args';

const SIDES = ['', 'from-', 'to-'] as const;

/** How long a named pipe may stay without a writer, or unfinished, before its flag is an error. */
export const DEFAULT_PIPE_DEADLINE_MS = 30_000;

interface NamedFile {
  file: string;
  role: TlsFileRole;
  /** How an error names it: the flag, or the --hosts-config entry, and the file. */
  what: string;
}

/**
 * Reads every TLS file named and checks each for its role, and each certificate with its key: a usage error (exit
 * 2) naming the flag, or the --hosts-config entry, and the file. Returns the text read, by path, which the
 * connections use instead of reading the file again.
 */
export async function readTlsFiles(
  args: ParsedArgs,
  hostsConfig: readonly RegistryConfig[],
  pipeDeadlineMs = DEFAULT_PIPE_DEADLINE_MS,
): Promise<Map<string, string>> {
  const texts = new Map<string, string>();
  const check = async (named: NamedFile | undefined): Promise<string | undefined> => {
    if (!named) return undefined;
    if (!texts.has(named.file)) {
      texts.set(named.file, await readTlsFile(named, pipeDeadlineMs));
    }
    const text = texts.get(named.file)!;
    const problem = tlsMaterialProblem(named.role, text);
    if (problem) throw new UsageError(`${named.what}: ${problem}`);
    return text;
  };
  /** A certificate and its key, each checked, then together (`certificate`: how the error names the first). */
  const pair = async (cert: NamedFile | undefined, key: NamedFile | undefined, certificate: string) => {
    const [certText, keyText] = [await check(cert), await check(key)];
    if (certText !== undefined && keyText !== undefined && !keyMatchesCertificate(certText, keyText))
      throw new UsageError(`${key!.what}: is not the private key of the certificate in ${certificate}`);
  };

  for (const side of SIDES) {
    const flag = (name: string, role: TlsFileRole): NamedFile | undefined => {
      const file = args.options[`${side}${name}`];
      return typeof file === 'string' ? { file, role, what: `--${side}${name} ${file}` } : undefined;
    };
    await check(flag('ca-file', 'ca'));
    const cert = flag('cert-file', 'certificate');
    await pair(cert, flag('key-file', 'key'), `--${side}cert-file ${cert?.file}`);
  }
  const config = args.options['hosts-config'] as string | undefined;
  for (const entry of hostsConfig) {
    const field = (name: 'caFile' | 'certFile' | 'keyFile', role: TlsFileRole): NamedFile | undefined => {
      const file = entry[name];
      return typeof file === 'string'
        ? { file, role, what: `--hosts-config ${config}: "${name}" of ${entry.host}: ${file}` }
        : undefined;
    };
    await check(field('caFile', 'ca'));
    await pair(field('certFile', 'certificate'), field('keyFile', 'key'), `its "certFile" ${entry.certFile}`);
  }
  return texts;
}

/**
 * A regular file, or a named pipe (`--key-file <(pass show registry-key)`, which keeps a key off the disk), read
 * whole up to MAX_TRUST_FILE_BYTES. The path is opened once, without waiting for a pipe's writer, and what was opened
 * is judged on its descriptor: a look at the path first (a stat) could be outrun by a swap, and a pipe that had
 * become a file or a link to /dev/zero by the open ended the process with Node's stack trace. A pipe is read
 * without blocking: one nobody writes to, or that never ends, is an error after `deadlineMs`, not a hang. Anything
 * else (a terminal, /dev/zero, a folder) is refused as the engine refuses it.
 */
async function readTlsFile({ file, what }: NamedFile, deadlineMs: number): Promise<string> {
  const unreadableFile = (err: unknown) => new UsageError(`${what}: ${unreadable(err)}`);
  let fd: number;
  try {
    fd = fs.openSync(file, TRUST_FILE_OPEN_FLAGS);
  } catch (err) {
    throw unreadableFile(err);
  }
  let pipe = false;
  try {
    const info = fs.fstatSync(fd);
    pipe = info.isFIFO();
    if (!pipe) return readOpenTrustFile(fd, info, what).toString('utf8');
  } catch (err) {
    throw OciError.is(err, 'USAGE') ? new UsageError(err.message) : unreadableFile(err);
  } finally {
    if (!pipe) fs.closeSync(fd);
  }
  const bytes = await readPipe(fd, deadlineMs).catch((err: unknown) => {
    throw unreadableFile(err);
  });
  if (bytes === 'deadline')
    throw new UsageError(
      `${what}: the pipe gave no end of its content in ${deadlineMs / 1000} s (is the command that writes it running?)`,
    );
  if (bytes.length > MAX_TRUST_FILE_BYTES) throw new UsageError(`${what}: ${TOO_LARGE}`);
  return bytes.toString('utf8');
}

/**
 * The bytes of the named pipe open as `fd` (non-blocking: a blocking open waits for a writer in a thread nothing
 * can end) until its writer closes it, read through the event loop, which waits for a writer to come without taking
 * the pipe's end for an empty file. The pipe's socket owns `fd` and closes it.
 */
function readPipe(fd: number, deadlineMs: number): Promise<Buffer | 'deadline'> {
  return new Promise((resolve, reject) => {
    const pipe = new net.Socket({ fd, readable: true, writable: false });
    const chunks: Buffer[] = [];
    let length = 0;
    const finish = (result: Buffer | 'deadline' | Error) => {
      clearTimeout(timer);
      pipe.destroy();
      if (result instanceof Error) reject(result);
      else resolve(result);
    };
    const timer = setTimeout(() => finish('deadline'), deadlineMs);
    pipe.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      length += chunk.length;
      // One byte past the cap says it is too large; the rest is not kept.
      if (length > MAX_TRUST_FILE_BYTES) finish(Buffer.concat(chunks));
    });
    pipe.on('end', () => finish(Buffer.concat(chunks)));
    pipe.on('error', finish);
  });
}
