// Standard output held back while a command's writes wait to be made durable. A layout archive is written as a
// whole only after the command's work succeeded (Session.finish): a "Copied …" or "backed up 3 tags" printed
// before that would stand above the error when the archive cannot be written (a full disk), and a script reading
// the JSON summary would take it for a success. Output is passed through until the first write is staged; from then
// on it waits, and is printed once the writes are durable, or dropped when they are not. A record that claims no
// success (where a run stopped) needs nothing durable and passes at once, in its turn among what was written.
import { Writable } from 'node:stream';

export class HeldOutput extends Writable {
  private readonly held: Buffer[] = [];
  private holding = false;
  /** Chunks written by writeUnheld, known by identity when they reach _write. */
  private readonly unheld = new WeakSet<Buffer>();
  /** Once released, later chunks (still queued in this stream) pass; once discarded, they go too. */
  private settled: 'released' | 'discarded' | undefined;

  /** `mustHold`: whether writes now wait for finishing (asked at each write until it first says yes). */
  constructor(
    private readonly out: Writable,
    private readonly mustHold: () => boolean,
  ) {
    super();
  }

  /** A terminal when what it holds output for is one (so a command can tell, as from `process.stdout`). */
  get isTTY(): boolean {
    return (this.out as Writable & { isTTY?: boolean }).isTTY === true;
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    const passes = this.unheld.has(chunk);
    if (this.settled === 'discarded' && !passes) return callback();
    this.holding ||= this.settled === undefined && this.mustHold();
    if (passes || !this.holding || this.settled === 'released') {
      // Straight through while the output keeps up (so nothing waits in this stream when the command returns),
      // else after it drained. The output reports its own errors (a closed pipe ends the process quietly).
      if (this.out.write(chunk)) callback();
      else this.out.once('drain', () => callback());
      return;
    }
    this.held.push(chunk);
    callback();
  }

  /** Writes `text`, which claims no result of the writes, without waiting for them (nor being dropped with them). */
  writeUnheld(text: string): void {
    const chunk = Buffer.from(text);
    this.unheld.add(chunk);
    this.write(chunk);
  }

  /** The writes are durable: what was held is printed. */
  release(): void {
    this.settled = 'released';
    if (this.held.length) this.out.write(Buffer.concat(this.held.splice(0)));
  }

  /** Resolves once every chunk written so far has reached the output (or been held or dropped). */
  flushed(): Promise<void> {
    return new Promise((resolve) => this.write(Buffer.alloc(0), () => resolve()));
  }

  /** The writes failed: what was held claimed a result that is not there, and goes. */
  discard(): void {
    this.settled = 'discarded';
    this.held.splice(0);
  }
}
