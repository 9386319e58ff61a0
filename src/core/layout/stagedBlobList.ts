// The blobs a staging layout holds, as an archive is written from them: a backup of 10,000 signed tags stages
// 120,000. An object each (name, size, source) with the array and its sort took about 36 MB of heap at once; here
// each blob is its digest's bytes (hex decoded: 32 for sha256) in one growing buffer, its algorithm as a small
// number and four numbers in typed arrays (about 70 bytes a blob, off the heap), and the writer gets one ArchiveFile
// at a time, in name order, made as it asks for it.
import type { ArchiveFile, SortedArchiveFiles } from './archiveWriter';

/** "blobs/<algorithm>/<lowercase hex>": what a valid digest's blob is named (archiveNames.ts checks it first). */
const BLOB_NAME = /^blobs\/([a-z0-9+._-]+)\/((?:[0-9a-f]{2})+)$/;

export class StagedBlobList implements SortedArchiveFiles {
  private encoded: Buffer = Buffer.allocUnsafe(64 * 1024);
  private encodedUsed = 0;
  /** Blob i's encoded digest is encoded[starts[i], starts[i + 1]). */
  private starts: Float64Array = new Float64Array(1024);
  private sizes: Float64Array = new Float64Array(1024);
  private devs: Float64Array = new Float64Array(1024);
  private inos: Float64Array = new Float64Array(1024);
  /** Blob i's algorithm: algorithms[algorithmOf[i]]. */
  private algorithmOf: Uint8Array = new Uint8Array(1024);
  private readonly algorithms: string[] = [];
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

  /** Adds the blob at `name` ("blobs/<alg>/<hex>"), of `size` bytes, as the file (dev, ino). */
  add(name: string, size: number, dev: number, ino: number): void {
    const [, algorithm, hex] = BLOB_NAME.exec(name) ?? [];
    if (!algorithm || !hex) throw new Error(`not a blob name: ${name}`);
    let code = this.algorithms.indexOf(algorithm);
    if (code < 0) {
      if (this.algorithms.length === 256) throw new Error(`too many digest algorithms: ${algorithm}`);
      code = this.algorithms.push(algorithm) - 1;
    }
    if (this.encodedUsed + hex.length / 2 > this.encoded.length)
      this.encoded = grown(this.encoded, this.encodedUsed + hex.length / 2);
    if (this.length + 1 >= this.starts.length) {
      this.starts = doubled(this.starts);
      this.sizes = doubled(this.sizes);
      this.devs = doubled(this.devs);
      this.inos = doubled(this.inos);
      const algorithmOf = new Uint8Array(this.starts.length);
      algorithmOf.set(this.algorithmOf);
      this.algorithmOf = algorithmOf;
    }
    this.starts[this.length] = this.encodedUsed;
    this.encodedUsed += this.encoded.write(hex, this.encodedUsed, 'hex');
    this.algorithmOf[this.length] = code;
    this.sizes[this.length] = size;
    this.devs[this.length] = dev;
    this.inos[this.length] = ino;
    this.length++;
    this.starts[this.length] = this.encodedUsed;
    this.bytes += size;
    this.order = undefined;
  }

  /** Whether a blob of this name is listed (a binary search over the sorted order). */
  has(name: string): boolean {
    const [, algorithm, hex] = BLOB_NAME.exec(name) ?? [];
    const code = algorithm ? this.algorithms.indexOf(algorithm) : -1;
    if (code < 0) return false;
    const wanted = Buffer.from(hex!, 'hex');
    const order = this.sortedOrder();
    let [low, high] = [0, order.length - 1];
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const i = order[middle]!;
      const c =
        this.compareAlgorithms(this.algorithmOf[i]!, code) ||
        this.encoded.compare(wanted, 0, wanted.length, this.starts[i], this.starts[i + 1]);
      if (c === 0) return true;
      if (c < 0) low = middle + 1;
      else high = middle - 1;
    }
    return false;
  }

  /** The blobs in name order, each made as it is asked for. */
  *sorted(): Iterable<ArchiveFile> {
    for (const i of this.sortedOrder()) {
      const hex = this.encoded.toString('hex', this.starts[i], this.starts[i + 1]);
      yield {
        name: `blobs/${this.algorithms[this.algorithmOf[i]!]}/${hex}`,
        size: this.sizes[i]!,
        source: { stagedIn: this.stagedIn, dev: this.devs[i]!, ino: this.inos[i]! },
        digestFromName: true,
      };
    }
  }

  /**
   * Blob indexes in name order, sorted once, with no string made: by algorithm, then by the digest's bytes (whose
   * order is that of their lowercase hex).
   */
  private sortedOrder(): Uint32Array {
    if (!this.order) {
      const order = new Uint32Array(this.length);
      for (let i = 0; i < order.length; i++) order[i] = i;
      this.order = order.sort((a, b) => this.compare(a, b));
    }
    return this.order;
  }

  private compare(a: number, b: number): number {
    const byAlgorithm = this.compareAlgorithms(this.algorithmOf[a]!, this.algorithmOf[b]!);
    if (byAlgorithm) return byAlgorithm;
    const encoded = this.encoded;
    const [aStart, aEnd, bStart, bEnd] = [this.starts[a]!, this.starts[a + 1]!, this.starts[b]!, this.starts[b + 1]!];
    const length = Math.min(aEnd - aStart, bEnd - bStart);
    for (let k = 0; k < length; k++) {
      const d = encoded[aStart + k]! - encoded[bStart + k]!;
      if (d) return d;
    }
    return aEnd - aStart - (bEnd - bStart);
  }

  /** As their names sort: "<algorithm>/" compared, the "/" included ("sha.x/" sorts before "sha/"). */
  private compareAlgorithms(a: number, b: number): number {
    if (a === b) return 0;
    const [x, y] = [`${this.algorithms[a]}/`, `${this.algorithms[b]}/`];
    return x < y ? -1 : 1;
  }
}

function doubled(numbers: Float64Array): Float64Array {
  const bigger = new Float64Array(numbers.length * 2);
  bigger.set(numbers);
  return bigger;
}

function grown(buffer: Buffer, atLeast: number): Buffer {
  const bigger = Buffer.allocUnsafe(Math.max(atLeast, buffer.length * 2));
  buffer.copy(bigger);
  return bigger;
}
