// The TLS files a command line names (--ca-file, --cert-file, --key-file, each side's too, and the caFile, certFile
// and keyFile of --hosts-config entries), checked as the options are read: one missing or unreadable was found only
// at the first TLS connection, after a backup or a copy had started its work.
import { open, stat } from 'node:fs/promises';
import type { RegistryConfig } from '../core/registry';
import { UsageError, type ParsedArgs } from './args';
import { unreadable } from './fileArgs';

const FLAGS = ['ca-file', 'cert-file', 'key-file'] as const;
const SIDES = ['', 'from-', 'to-'] as const;
const ENTRY_FIELDS = ['caFile', 'certFile', 'keyFile'] as const;

/** A usage error (exit 2) naming the flag, or the --hosts-config entry, and the file that cannot be read. */
export async function checkTlsFiles(args: ParsedArgs, hostsConfig: readonly RegistryConfig[]): Promise<void> {
  for (const side of SIDES)
    for (const flag of FLAGS) {
      const file = args.options[`${side}${flag}`];
      if (typeof file === 'string') await assertReadable(file, `--${side}${flag} ${file}`);
    }
  const config = args.options['hosts-config'] as string | undefined;
  for (const entry of hostsConfig)
    for (const field of ENTRY_FIELDS) {
      const file = entry[field];
      if (typeof file === 'string')
        await assertReadable(file, `--hosts-config ${config}: "${field}" of ${entry.host}: ${file}`);
    }
}

/**
 * Opened and a byte read: only what the file system refuses (an error with a syscall) is the user's to fix. A pipe
 * (`--key-file <(pass show registry-key)`, which keeps a key off the disk) or a device is neither opened nor read
 * here: opening a named pipe waits for its writer, and its bytes are there once, for the connection that reads them.
 */
async function assertReadable(file: string, what: string): Promise<void> {
  try {
    const info = await stat(file);
    if (info.isDirectory()) throw new UsageError(`${what}: ${unreadable({ code: 'EISDIR' })}`);
    if (!info.isFile()) return;
    const handle = await open(file, 'r');
    try {
      await handle.read(Buffer.alloc(1), 0, 1, 0);
    } finally {
      await handle.close();
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).syscall) throw new UsageError(`${what}: ${unreadable(err)}`);
    throw err;
  }
}
