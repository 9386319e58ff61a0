// Where `blob fetch` and `manifest fetch-config` put a blob: streamed (never held in memory) to standard output, or
// to a file through a temporary file beside it and a rename. The store verifies size and digest as it streams, so
// a file is only ever replaced by the whole, verified blob.
import { rename } from 'node:fs/promises';
import * as path from 'node:path';
import { removeQuietly, streamToTempFile, type ReadOnlyTarget } from '../core/content';
import type { Descriptor } from '../core/oci';
import type { CliIO } from './command';
import { assertOutputFile } from './fileArgs';
import { printContent } from './terminalGuard';

/**
 * `output` is a file path, or "-" for standard output; `guarded` names the blob when standard output was chosen
 * by default rather than with "-o -": a terminal then gets it only up to a control character (terminalGuard.ts).
 */
export async function writeBlobTo(
  io: CliIO,
  target: ReadOnlyTarget,
  descriptor: Descriptor,
  output: string,
  signal: AbortSignal,
  guarded?: string,
): Promise<void> {
  // Checked before fetching: a missing folder is named as the user wrote it, not as the temporary file beside it.
  if (output !== '-') await assertOutputFile('--output', output);
  const blob = await target.fetchBlob(descriptor, { signal });
  if (output === '-') return printContent(io.out, blob, guarded ?? '', guarded === undefined);
  const destination = path.resolve(output);
  const temp = await streamToTempFile(blob, [], path.dirname(destination), signal);
  await rename(temp, destination).catch(async (err: unknown) => {
    await removeQuietly(temp);
    throw err;
  });
}
