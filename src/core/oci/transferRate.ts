// How fast a transfer goes, over the last few seconds rather than since it began: a pull that sat behind a slow
// token service, or a link that speeds up, would otherwise show a rate and a time left that stay wrong for minutes.
// Shown by the CLI's progress line and the editor's progress notification alike.
import { formatBytes } from './formatBytes';

/** The rate is taken over at most this much of the recent past. */
const WINDOW_MS = 5000;
/** Below this much elapsed, a rate would only be noise: none is shown. */
const SETTLED_MS = 1000;
/** Samples closer than this replace the newest one: progress comes per chunk, thousands a second. */
const SAMPLE_EVERY_MS = 200;

export class TransferRate {
  private readonly samples: { at: number; bytes: number }[] = [];

  /** Records that `bytes` were done in all at time `at` (ms). */
  sample(at: number, bytes: number): void {
    const newest = this.samples.at(-1);
    if (newest && this.samples.length > 1 && at - this.samples.at(-2)!.at < SAMPLE_EVERY_MS) {
      newest.at = at;
      newest.bytes = bytes;
      return;
    }
    this.samples.push({ at, bytes });
    while (this.samples.length > 2 && at - this.samples[1]!.at >= WINDOW_MS) this.samples.shift();
  }

  /**
   * Bytes per second over the window, once it spans SETTLED_MS; undefined before, and while the count went back
   * within the window (a layer retried from its start, a count that lies), which no rate describes.
   */
  perSecond(): number | undefined {
    const first = this.samples[0];
    const last = this.samples.at(-1);
    if (!first || !last || last.at - first.at < SETTLED_MS) return undefined;
    const rate = ((last.bytes - first.bytes) * 1000) / (last.at - first.at);
    return rate >= 0 && Number.isFinite(rate) ? rate : undefined;
  }

  /** Seconds until `total` at the current rate; undefined while there is no rate or nothing moves. */
  secondsLeft(done: number, total: number): number | undefined {
    const rate = this.perSecond();
    if (!rate || rate <= 0 || done >= total) return undefined;
    return (total - done) / rate;
  }
}

/** "45 s", "3 min 20 s", "1 min", "2 h 5 min": a time left as a person reads it. */
export function formatDuration(seconds: number): string {
  const whole = Math.max(1, Math.round(seconds));
  if (whole < 60) return `${whole} s`;
  const [large, small, largeUnit, smallUnit] =
    whole < 3600
      ? [Math.floor(whole / 60), whole % 60, 'min', 's']
      : [Math.floor(whole / 3600), Math.floor((whole % 3600) / 60), 'h', 'min'];
  return small ? `${large} ${largeUnit} ${small} ${smallUnit}` : `${large} ${largeUnit}`;
}

/** "at 215 MiB/s, 3 s left" (or "at 215 MiB/s" near the end), '' while `rate` has no rate yet. */
export function describeRate(rate: TransferRate | undefined, done: number, total: number): string {
  const perSecond = rate?.perSecond();
  if (perSecond === undefined) return '';
  const left = rate!.secondsLeft(done, total);
  return `at ${formatBytes(perSecond)}/s${left !== undefined ? `, ${formatDuration(left)} left` : ''}`;
}
