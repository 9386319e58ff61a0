// How far a compressed layer may run ahead of what it unpacks to. Every compressor in use (gzip, zlib, Go's
// compress/gzip, pigz, bgzip) writes data it cannot shrink as stored blocks, which grow it by well under 1%; a
// stream that reads on while unpacking to (almost) nothing is made of empty blocks, which no compressor writes and
// which could run to the layer's declared size, gigabytes, without a byte to count against the pull's caps. Such a
// stream is refused once it is past what any honest one could be, and a layer declared larger than anything within
// the caps could be packed into is refused before its download starts.
import { Transform } from 'node:stream';
import { OciError } from '../oci';

/** Compressed bytes an honest stream may hold per byte it unpacks to, and what it may run ahead by (buffers, headers). */
const RATIO = 1.01;
const SLACK = 1024 * 1024;

/** The most bytes a compressed stream that unpacks to at most `unpackedCap` bytes can hold. */
export function packedCap(unpackedCap: number): number {
  return Math.floor(unpackedCap * RATIO) + SLACK;
}

/**
 * Two stages around a decompressor: `packed` before it counts what is read, `unpacked` after it what comes out;
 * `packed` fails, naming `what`, as soon as the bytes read are past what an honest stream of that output holds.
 */
export function packedRatioGuard(what: string): { packed: Transform; unpacked: Transform } {
  let [read, out] = [0, 0];
  const packed = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      read += chunk.length;
      if (read > packedCap(out))
        callback(
          new OciError(
            'INVALID_CONTENT',
            `${what}: ${read} bytes of it unpack to ${out} bytes: no compressor writes that (a stream of empty blocks), refused without reading the rest`,
          ),
        );
      else callback(null, chunk);
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
