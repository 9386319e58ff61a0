// Peak RSS of the commands that walk many tags (the quality bar: ≤ 120 MiB at any size), each run once under GNU
// time against the scripted many-tag registry (manyTagsRegistry.ts): `tags` of a long list, `verify --all-tags`
// (text and JSON) over signed tags, `copy --all-tags -r` and `backup --include-referrers` into a folder, the same
// backup of as many tags as verify's into a `.tar` (its staged-blob list grows with them), and `restore` of some of
// that archive's tags into a real docker-registry. The folder copies take fewer tags: each tag costs tens of file
// operations (2,000 signed tags into a folder: about a minute) and a registry's fallback tag waits to settle for
// every referrer, so their time grows fastest, not their memory. About 3 minutes in all (--quick: under a minute).
// Written under /dev/shm where there is one: the disk's fsyncs are not what is measured here.
import { existsSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { createSigningKey } from '../../src/core/sign';
import { removeAll } from '../data';
import { signedTag, startManyTagsRegistry, type ManyTagsRegistry } from '../manyTagsRegistry';
import type { Measured } from '../measure';
import { log } from '../pairs';
import { withRegistry } from '../registry';
import type { Row } from '../stats';
import { stowage } from '../tools';
import type { BenchContext } from './context';

const SIGNATURES = 3;
const RESTORED = 30;
const RAM_FOLDER = '/dev/shm';

export async function manyTagsCases(ctx: BenchContext): Promise<Row[]> {
  const { verified, copied, listed } = ctx.options.manyTags;
  const started = Date.now();
  const parent = existsSync(RAM_FOLDER) ? RAM_FOLDER : ctx.work;
  const dir = await fs.mkdtemp(path.join(parent, 'stowage-bench-manytags-'));
  const key = await createSigningKey({ algorithm: 'ecdsa-p256', subject: 'CN=Stowage bench', validDays: 1 });
  const certFile = path.join(dir, 'signer.pem');
  await fs.writeFile(certFile, key.certificatePem);
  const big = await startManyTagsRegistry({ tags: verified, signatures: SIGNATURES, listedTags: listed }, key);
  const small = await startManyTagsRegistry({ tags: copied, signatures: SIGNATURES, listedTags: 0 }, key);
  const rows: Row[] = [];
  const run = async (what: string, args: string[]): Promise<Measured> => {
    const measured = await stowage(args);
    log(`many tags: ${what}: peak RSS ${measured.rssMiB.toFixed(0)} MiB, ${measured.seconds.toFixed(1)} s`);
    rows.push({
      case: `peak RSS over many tags: ${what}`,
      id: `manytags-${rows.length}`,
      a: { label: 'stowage', samples: [{ seconds: measured.seconds, rssMiB: measured.rssMiB, tool: 'stowage' }] },
      note: 'one run',
    });
    return measured;
  };
  const signed = (r: ManyTagsRegistry) => `${r.host}/${r.signedRepository}`;
  const each = `× ${SIGNATURES} Notary signatures`;
  try {
    await run(`tags, ${count(listed)} tags`, ['tags', `${big.host}/${big.listedRepository}`]);
    const verify = ['verify', '--all-tags', signed(big), '--trust-cert', certFile];
    await run(`verify --all-tags, ${count(verified)} tags ${each}, text`, verify);
    await run(`verify --all-tags, ${count(verified)} tags ${each}, JSON`, [...verify, '--format', 'json']);
    const from = `${count(copied)} tags ${each}`;
    const folder = path.join(dir, 'copy');
    await run(`copy --all-tags -r, ${from} → folder`, [
      'copy',
      '--all-tags',
      '-r',
      signed(small),
      '--to-oci-layout',
      folder,
    ]);
    await removeAll(folder);
    const backup = ['backup', '--include-referrers', signed(small), '--output'];
    await run(`backup --include-referrers, ${from} → folder`, [...backup, path.join(dir, 'backup')]);
    await removeAll(path.join(dir, 'backup'));
    const archive = path.join(dir, 'backup.tar');
    await run(`backup --include-referrers, ${count(verified)} tags ${each} → .tar`, [
      'backup',
      '--include-referrers',
      signed(big),
      '--output',
      archive,
    ]);
    // Every referrer waits for docker-registry's fallback tag to settle (about a second a signed tag): a few tags.
    const restored = Array.from({ length: Math.min(verified, RESTORED) }, (_, i) => signedTag(i));
    await withRegistry((registry) =>
      run(`restore, ${restored.length} of those tags from the .tar → docker-registry`, [
        'restore',
        '--input',
        archive,
        `${registry.host}/restored:${restored.join(',')}`,
      ]),
    );
  } finally {
    await Promise.all([big.close(), small.close()]);
    await removeAll(dir);
  }
  log(`many tags: ${((Date.now() - started) / 1000).toFixed(0)} s in all`);
  return rows;
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}
