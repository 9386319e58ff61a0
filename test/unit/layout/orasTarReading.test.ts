// What ORAS needs of a layout archive Stowage writes (`oras … --oci-layout x.tar`; ORAS cannot be installed here,
// so its reader's rules are checked instead): oras-go's tar file system indexes entries by their exact header name
// (so "index.json", not "./index.json"), opens regular files only, and finds a file's bytes by seeking to the
// 512-byte header right before them and reading one header there. Read with a ustar walker of this test's own.
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { copy } from '../../../src/core/graph';
import { ArchiveTarget } from '../../../src/core/layout';
import { MemoryTarget } from '../../../src/core/memory';
import { digestOf } from '../../../src/core/content';
import { pushReferrerTree } from '../../helpers/referrerTree';
import { bytesContent } from '../../helpers/sampleArtifact';

interface Entry {
  name: string;
  type: string;
  size: number;
  dataAt: number;
}

const text = (block: Buffer, from: number, length: number) =>
  block.toString('latin1', from, from + length).replace(/\0.*$/s, '');
const octal = (block: Buffer, from: number, length: number) => parseInt(text(block, from, length).trim() || '0', 8);

/** Every entry of a tar: its name (pax path records applied), type, size and where its bytes start. */
function walk(tar: Buffer): Entry[] {
  const entries: Entry[] = [];
  let paxPath: string | undefined;
  for (let at = 0; at + 512 <= tar.length;) {
    const header = tar.subarray(at, at + 512);
    if (header.every((b) => b === 0)) break;
    const type = text(header, 156, 1) || '0';
    const size = octal(header, 124, 12);
    const prefix = text(header, 345, 155);
    const dataAt = at + 512;
    if (type === 'x') {
      const records = tar.toString('utf8', dataAt, dataAt + size);
      paxPath = /\d+ path=([^\n]*)\n/.exec(records)?.[1];
    } else {
      const name = paxPath ?? (prefix ? `${prefix}/${text(header, 0, 100)}` : text(header, 0, 100));
      entries.push({ name, type, size, dataAt });
      paxPath = undefined;
    }
    at = dataAt + Math.ceil(size / 512) * 512;
  }
  return entries;
}

describe('layout archives as ORAS reads them (oras-go tarfs rules)', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-oras-tar-'));
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('names entries exactly as ORAS looks them up and has every file readable from the header before its bytes', async () => {
    const src = new MemoryTarget();
    await pushReferrerTree(src);
    const file = path.join(dir, 'for-oras.tar');
    const archive = await ArchiveTarget.open(file, { create: true });
    await copy(src, 'v1', archive, { referrers: true, tag: 'v1' });
    // A sha512 blob's name does not fit ustar: a pax record names it, and the header before its bytes still works.
    const long = Buffer.from('named by sha512');
    await archive.pushBlob(
      { mediaType: 'application/octet-stream', digest: digestOf(long, 'sha512'), size: long.length },
      bytesContent(long),
    );
    await archive.finish();

    const tar = await fs.readFile(file);
    const entries = walk(tar);
    const files = entries.filter((e) => e.type === '0');
    assert.ok(files.some((e) => e.name === 'oci-layout'));
    assert.ok(files.some((e) => e.name === 'index.json'));
    for (const entry of entries) {
      assert.ok(!entry.name.startsWith('./') && !entry.name.startsWith('/'), `${entry.name}: ORAS looks up bare names`);
      assert.ok(['0', '5'].includes(entry.type), `${entry.name}: type ${entry.type} (ORAS opens regular files only)`);
    }
    const index = JSON.parse(tar.toString('utf8', ...span(files, 'index.json'))) as { manifests: { digest: string }[] };
    const blobs = files.filter((e) => e.name.startsWith('blobs/'));
    assert.ok(blobs.length >= index.manifests.length + 2);
    assert.ok(
      blobs.some((b) => b.name.startsWith('blobs/sha512/')),
      'the sha512 blob was found by its pax name',
    );
    for (const blob of blobs) {
      // oras-go: seek to (offset after the header it read) − 512, read one header, then the bytes.
      const header = tar.subarray(blob.dataAt - 512, blob.dataAt);
      assert.equal(text(header, 156, 1) || '0', '0', `${blob.name}: a regular file header right before its bytes`);
      assert.equal(octal(header, 124, 12), blob.size, `${blob.name}: that header carries the size`);
      const [, algorithm, hex] = /^blobs\/(sha256|sha512)\/([0-9a-f]+)$/.exec(blob.name)!;
      const digest = createHash(algorithm!)
        .update(tar.subarray(blob.dataAt, blob.dataAt + blob.size))
        .digest('hex');
      assert.equal(digest, hex, `${blob.name}: its bytes`);
    }
  });
});

function span(entries: Entry[], name: string): [number, number] {
  const entry = entries.find((e) => e.name === name)!;
  return [entry.dataAt, entry.dataAt + entry.size];
}
