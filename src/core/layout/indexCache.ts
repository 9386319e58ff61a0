// index.json parsed once per change of the file. A copy of many tags into a layout reads it for every manifest and
// tag it writes (resolving, tagging, looking for what names a blob), and parsing and checking every entry each time
// made the copy grow with the square of its tags (2,000 signed tags: 576 s). The parsed index is kept with the
// file's identity — device, inode, size and times: index.json is only ever replaced by a rename, so a change by
// this process or another shows — and handed out as a new object and array over frozen entries: callers replace
// entries in the array, none changes one in place. What this process writes is kept as written (it was built
// here, from checked entries), so a copy parses the file only when another writer changed it.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { INDEX_FILE, type Descriptor, type ImageIndex } from '../oci';
import { fileVersion } from '../content';

export class IndexCache {
  private kept: { identity: string; index: ImageIndex } | undefined;

  /**
   * The index of the layout at `root`, kept (frozen, and the same object until the file changes): `load` parses it
   * when the file is not the one parsed last. LayoutTarget.readIndex hands out copies of its array.
   */
  async current(root: string, load: () => Promise<ImageIndex>): Promise<ImageIndex> {
    // Taken before the read: a file replaced in between is kept under the old identity, so it is read again.
    const identity = await identityOf(path.join(root, INDEX_FILE));
    if (identity === undefined || this.kept?.identity !== identity) {
      const index = await load();
      if (identity === undefined) return frozen(index);
      this.kept = { identity, index: frozen(index) };
    }
    return this.kept.index;
  }

  /**
   * `index` was just written to the layout at `root` as `bytes` bytes into the file of inode `inode`: kept, unless
   * the file there now is not that one (another writer replaced it since; the next read parses theirs).
   */
  async wrote(root: string, index: ImageIndex, inode: bigint, bytes: number): Promise<void> {
    const stat = await fs.lstat(path.join(root, INDEX_FILE), { bigint: true }).catch(() => undefined);
    if (!stat?.isFile() || stat.ino !== inode || stat.size !== BigInt(bytes)) {
      this.kept = undefined;
      return;
    }
    this.kept = { identity: fileVersion(stat), index: frozen(index) };
  }
}

/** What changes whenever the file's content may have: undefined when it cannot be looked at (load then says why). */
async function identityOf(file: string): Promise<string | undefined> {
  const stat = await fs.lstat(file, { bigint: true }).catch(() => undefined);
  return stat?.isFile() ? fileVersion(stat) : undefined;
}

function frozen(index: ImageIndex): ImageIndex {
  for (const entry of index.manifests) deepFreeze(entry);
  if (index.annotations) Object.freeze(index.annotations);
  return Object.freeze({ ...index, manifests: Object.freeze([...index.manifests]) as Descriptor[] });
}

function deepFreeze(value: object): void {
  // Entries kept from an earlier read or write are frozen already: only new ones are walked.
  if (Object.isFrozen(value)) return;
  for (const inner of Object.values(value))
    if (inner !== null && typeof inner === 'object') deepFreeze(inner as object);
  Object.freeze(value);
}
