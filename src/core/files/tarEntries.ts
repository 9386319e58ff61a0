// Reads a tar stream entry by entry: `source` through `transforms` (a digest check, a decompressor, a size cap)
// into the tar parser, each entry handed to `onEntry` with its content stream, which it must consume. Whichever
// side fails first stops the other, so the error the caller sees is the first cause; resolves only once the source
// was read to its end (so a digest check on it has run), and settles only once `onEntry` did.
import type { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as tar from 'tar-stream';
import { AbortedError, OciError, printable } from '../oci';

export async function forEachTarEntry(
  source: Readable,
  transforms: Transform[],
  onEntry: (header: tar.Header, content: Readable) => Promise<void>,
  what: string,
  signal?: AbortSignal,
): Promise<void> {
  const extract = tar.extract();
  const feeding = pipeline([source, ...transforms, extract as unknown as NodeJS.WritableStream], { signal });
  const consuming = (async () => {
    for await (const entry of extract) {
      // tar-stream lets an unreadable size field through as null and then waits forever for the entry's bytes
      // (found by fuzzing): refuse it here, which also stops the parser.
      const { size, name } = entry.header;
      if (!Number.isSafeInteger(size) || size! < 0)
        throw new OciError(
          'INVALID_CONTENT',
          `${what}: entry "${printable(name)}" has an unreadable size in its header`,
        );
      await onEntry(entry.header, entry as unknown as Readable);
    }
  })();
  consuming.catch((err: unknown) => extract.destroy(err as Error));
  feeding.catch(() => undefined);
  try {
    await Promise.all([consuming, feeding]);
  } catch (err) {
    // The entry being handed out may still be opening its sink (files -o opens its temporary file there): the caller
    // cleans up once this throws, so it throws only after that entry settled (the parser is destroyed by now, so
    // the entry's stream fails at once). Else the file opened after the clean-up, left open and left behind.
    await consuming.catch(() => undefined);
    throw typedArchiveError(err, what, signal);
  }
}

/** The tar parser and gunzip fail with plain Errors on broken archives; callers get INVALID_CONTENT naming the layer. */
function typedArchiveError(err: unknown, what: string, signal?: AbortSignal): unknown {
  if (err instanceof OciError) return err;
  if (signal?.aborted || (err as Error)?.name === 'AbortError') return new AbortedError({ cause: err });
  const detail = (err as NodeJS.ErrnoException)?.code ?? (err as Error)?.message ?? String(err);
  return new OciError(
    'INVALID_CONTENT',
    `${what}: the archive is corrupt or not a tar (${printable(String(detail))})`,
    { cause: err },
  );
}

/**
 * Throws when the parser was destroyed while `onEntry` was busy (the source failed meanwhile): Node's pipeline waits
 * for ever on a tar-stream entry destroyed before it was piped. Call it after the last wait, before piping the entry
 * or making its sink; forEachTarEntry then reports the source's failure.
 */
export function throwIfEntryGone(content: Readable): void {
  if (content.destroyed) throw new Error('the archive stopped being read');
}
