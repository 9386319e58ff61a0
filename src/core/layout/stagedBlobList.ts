// The blobs a staging layout holds, as an archive is written from them: a backup of 10,000 signed tags stages
// 120,000. An object each (name, size, source) with the array and its sort took about 36 MB of heap at once; here
// each blob is its name's bytes in one growing buffer and four numbers in typed arrays (about 100 bytes a blob, off
// the heap), and the writer gets one ArchiveFile at a time, in name order, made as it asks for it.
import type { ArchiveFile, SortedArchiveFiles } from './archiveWriter';

const PREFIX = 'blobs/';

export class StagedBlobList implements SortedArchiveFiles {
  private names: Buffer = Buffer.allocUnsafe(64 * 1024);
  private namesUsed = 0;
  /** Blob i's name is names[starts[i], starts[i + 1]). */
  private starts: Float64Array = new Float64Array(1024);
  private sizes: Float64Array = new Float64Array(1024);
  private devs: Float64Array = new Float64Array(1024);
  private inos: Float64Array = new Float64Array(1024);
  private length = 0;
  private order: Uint32Array | undefined;
  private bytes = 0;

  /** `stagedIn`: the staging root every blob is opened under (one string shared by all). */
  constructor(readonly stagedIn: string) {}

  get count(): number {
    return this.length;
  }

  get totalBytes(): number {
    return this.bytes;
  }

  /** Adds the blob at `name` ("blobs/<alg>/<encoded>", ASCII: a valid digest's), of `size` bytes, as the file (dev, ino). */
  add(name: string, size: number, dev: number, ino: number): void {
    if (!name.startsWith(PREFIX)) throw new Error(`not a blob name: ${name}`);
    const rest = name.length - PREFIX.length;
    if (this.namesUsed + rest > this.names.length) this.names = grow(this.names, this.namesUsed + rest);
    if (this.length + 1 >= this.starts.length) {
      this.starts = doubled(this.starts);
      this.sizes = doubled(this.sizes);
      this.devs = doubled(this.devs);
      this.inos = doubled(this.inos);
    }
    this.starts[this.length] = this.namesUsed;
    this.namesUsed += this.names.write(name.slice(PREFIX.length), this.namesUsed, 'latin1');
    this.sizes[this.length] = size;
    this.devs[this.length] = dev;
    this.inos[this.length] = ino;
    this.length++;
    this.starts[this.length] = this.namesUsed;
    this.bytes += size;
    this.order = undefined;
  }

  /** Whether a blob of this name is listed (a binary search over the sorted order). */
  has(name: string): boolean {
    if (!name.startsWith(PREFIX)) return false;
    const wanted = Buffer.from(name.slice(PREFIX.length), 'latin1');
    const order = this.sortedOrder();
    let [low, high] = [0, order.length - 1];
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const c = this.compareWith(order[middle]!, wanted);
      if (c === 0) return true;
      if (c < 0) low = middle + 1;
      else high = middle - 1;
    }
    return false;
  }

  /** The blobs in name order, each made as it is asked for. */
  *sorted(): Iterable<ArchiveFile> {
    for (const i of this.sortedOrder()) {
      yield {
        name: PREFIX + this.names.toString('latin1', this.starts[i], this.starts[i + 1]),
        size: this.sizes[i]!,
        source: { stagedIn: this.stagedIn, dev: this.devs[i]!, ino: this.inos[i]! },
        digestFromName: true,
      };
    }
  }

  /** Blob indexes by name, sorted once (the names' bytes compared in place: no string made for the sort). */
  private sortedOrder(): Uint32Array {
    if (!this.order) {
      const order = new Uint32Array(this.length);
      for (let i = 0; i < order.length; i++) order[i] = i;
      this.order = order.sort((a, b) => this.compare(a, b));
    }
    return this.order;
  }

  private compare(a: number, b: number): number {
    const names = this.names;
    const [aStart, aEnd, bStart, bEnd] = [this.starts[a]!, this.starts[a + 1]!, this.starts[b]!, this.starts[b + 1]!];
    const length = Math.min(aEnd - aStart, bEnd - bStart);
    for (let k = 0; k < length; k++) {
      const d = names[aStart + k]! - names[bStart + k]!;
      if (d) return d;
    }
    return aEnd - aStart - (bEnd - bStart);
  }

  /** Blob i's name against `wanted` ("<alg>/<encoded>" bytes). */
  private compareWith(i: number, wanted: Buffer): number {
    return this.names.compare(wanted, 0, wanted.length, this.starts[i], this.starts[i + 1]);
  }
}

function doubled(numbers: Float64Array): Float64Array {
  const bigger = new Float64Array(numbers.length * 2);
  bigger.set(numbers);
  return bigger;
}

function grow(buffer: Buffer, atLeast: number): Buffer {
  const bigger = Buffer.allocUnsafe(Math.max(atLeast, buffer.length * 2));
  buffer.copy(bigger);
  return bigger;
}
