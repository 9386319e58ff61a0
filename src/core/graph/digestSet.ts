// The digests a long walk has met, in 8 bytes a slot (16 to 32 a digest with the table's room to spare): an open-addressing table of 64-bit keys (the first 8 bytes of
// a SHA-256 of the digest string, so any algorithm and any text fit). copyTags counts each node once however many
// tags share it; a Set of digest strings cost about 200 bytes a node, over 100 MiB for a 50,000-tag mirror with
// referrers. Two digests sharing a key (odds about n²/2⁶⁵) would count as one: a count off by one, never a node
// left uncopied (the set decides only what a summary counts). It also keeps a source's referrer tags for a copy with
// referrers (referrers.ts TagNames), where a tag taken for another is asked for, never skipped.
import { createHash } from 'node:crypto';

const INITIAL_SLOTS = 1024;

export class DigestSet {
  /** Pairs of 32-bit words; (0, 0) marks an empty slot (a key that hashes to it is stored as (0, 1)). */
  private slots = new Uint32Array(INITIAL_SLOTS * 2);
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** The memory the table holds: at most 32 bytes a digest (half its slots free at most, a quarter at least). */
  get byteLength(): number {
    return this.slots.byteLength;
  }

  /** Adds `digest`; true when it was not there yet. */
  add(digest: string): boolean {
    const [hi, lo] = keyOf(digest);
    if (!this.insert(hi, lo)) return false;
    this.count++;
    if (this.count * 2 > this.slots.length / 2) this.grow();
    return true;
  }

  /** Whether `digest` was added (or another sharing its key: see above). */
  has(digest: string): boolean {
    const [hi, lo] = keyOf(digest);
    const mask = this.slots.length / 2 - 1;
    for (let i = lo & mask; ; i = (i + 1) & mask) {
      const at = i * 2;
      if (this.slots[at] === hi && this.slots[at + 1] === lo) return true;
      if (this.slots[at] === 0 && this.slots[at + 1] === 0) return false;
    }
  }

  private insert(hi: number, lo: number): boolean {
    const mask = this.slots.length / 2 - 1;
    for (let i = lo & mask; ; i = (i + 1) & mask) {
      const at = i * 2;
      if (this.slots[at] === 0 && this.slots[at + 1] === 0) {
        this.slots[at] = hi;
        this.slots[at + 1] = lo;
        return true;
      }
      if (this.slots[at] === hi && this.slots[at + 1] === lo) return false;
    }
  }

  /** Twice the slots, once half of them are taken (probes stay short). */
  private grow(): void {
    const old = this.slots;
    this.slots = new Uint32Array(old.length * 2);
    for (let at = 0; at < old.length; at += 2)
      if (old[at] !== 0 || old[at + 1] !== 0) this.insert(old[at]!, old[at + 1]!);
  }
}

/** The first 8 bytes of SHA-256(text) as two words; (0, 0) is the empty slot's, so such a key becomes (0, 1). */
function keyOf(text: string): [number, number] {
  const key = createHash('sha256').update(text).digest();
  const hi = key.readUInt32LE(0);
  return [hi, key.readUInt32LE(4) || (hi === 0 ? 1 : 0)];
}
