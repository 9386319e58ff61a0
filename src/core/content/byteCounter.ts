// A pass-through that reports how many bytes flowed, for progress bars (deltas, as TransferOptions.onBytes wants).
import { Transform } from 'node:stream';
import { STREAM_BUFFER } from './hashing';

export function byteCounter(onBytes: (delta: number) => void): Transform {
  return new Transform({
    highWaterMark: STREAM_BUFFER,
    transform(chunk: Buffer, _encoding, callback) {
      onBytes(chunk.length);
      callback(null, chunk);
    },
  });
}
