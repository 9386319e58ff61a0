// How far a compressed layer may run ahead of what it unpacks to. Every compressor in use (gzip, zlib, Go's
// compress/gzip, pigz, bgzip) writes data it cannot shrink as stored blocks, which grow it by well under 1%; a
// stream that reads on while unpacking to (almost) nothing is made of empty blocks, which no compressor writes and
// which could run to the layer's declared size, gigabytes, without a byte to count against the pull's caps. Such a
// stream is refused once it is past what any honest one could be, and a layer declared larger than anything within
// the caps could be packed into is refused before its download starts.
import { Transform } from 'node:stream';
import type { Gunzip } from 'node:zlib';
import { OciError } from '../oci';

/** Compressed bytes an honest stream may hold per byte it unpacks to, and what it may run ahead by (buffers, headers). */
const RATIO = 1.01;
const SLACK = 1024 * 1024;

/** The most bytes a compressed stream that unpacks to at most `unpackedCap` bytes can hold. */
export function packedCap(unpackedCap: number): number {
  return Math.floor(unpackedCap * RATIO) + SLACK;
}

/**
 * Two stages around `unpacker`: `packed` before it, `unpacked` after it counting what comes out; `packed` fails,
 * naming `what`, as soon as the bytes the decompressor is done with are past what an honest stream of that output
 * holds. Done with, not handed to it: a chunk still waiting in a buffer (a layout is read 1 MiB at a time) has not
 * been unpacked yet, and counting it refused honest layers. Nor what zlib says it consumed: the zeros it skips
 * after a gzip member count nothing there, and gigabytes of them would be read to the end.
 */
export function packedRatioGuard(what: string, unpacker: Gunzip): { packed: Transform; unpacked: Transform } {
  let [handed, out] = [0, 0];
  const packed: Transform = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      // Handed on, less what waits in this stage's buffer and in the decompressor's (until it has taken it all).
      const done = handed - packed.readableLength - unpacker.writableLength;
      // Output made but not read on yet counts too: a slow disk must not look like a bomb.
      const made = out + unpacker.readableLength;
      if (done > packedCap(made))
        return callback(
          new OciError(
            'INVALID_CONTENT',
            `${what}: ${done} bytes of it unpack to ${made} bytes: no compressor writes that (a stream of empty blocks), refused without reading the rest`,
          ),
        );
      handed += chunk.length;
      callback(null, chunk);
    },
  });
  const unpacked = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      out += chunk.length;
      callback(null, chunk);
    },
  });
  return { packed, unpacked };
}
