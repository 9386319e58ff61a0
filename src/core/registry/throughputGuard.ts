// Fails a blob download that keeps a connection alive without making progress (see MinimumThroughput). Only
// time spent waiting for the registry counts: time the consumer holds a chunk (a slow disk, a destination
// registry) is not the source's fault.
import { NetworkError } from '../oci';
import type { MinimumThroughput } from './limits';

export interface ThroughputGuard {
  /** Bytes arrived; throws when the window closed with too few. */
  received(bytes: number): void;
  /** Time (ms) the consumer held the stream, left out of the rate. */
  consumerHeld(ms: number): void;
}

export function throughputGuard(
  rule: MinimumThroughput,
  host: string,
  what: string,
  now: () => number = Date.now,
): ThroughputGuard {
  let windowStart = now();
  let bytes = 0;
  return {
    received(count) {
      bytes += count;
      const elapsed = now() - windowStart;
      if (elapsed < rule.windowMs) return;
      if (bytes < (rule.bytesPerSecond * elapsed) / 1000) {
        throw new NetworkError(
          host,
          `${host} sent ${what} at ${Math.round((bytes * 1000) / elapsed)} bytes/s over ${Math.round(elapsed / 1000)} s, below the minimum of ${rule.bytesPerSecond} bytes/s: the transfer is stalled`,
        );
      }
      windowStart = now();
      bytes = 0;
    },
    consumerHeld(ms) {
      windowStart += ms;
    },
  };
}
