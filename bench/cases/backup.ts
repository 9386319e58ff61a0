// `stowage backup` of a repository whose 50 tags share their large layers: each distinct blob must be fetched
// once (the target), counted from the registry's own access log, and the time of the whole backup to a
// .tar. Nothing to compare with side by side (skopeo copies one image at a time), so it runs alone.
import * as path from 'node:path';
import { promises as fs } from 'node:fs';
import { runAlone } from '../pairs';
import { blobGets, withRegistry, seedSharedLayers } from '../registry';
import type { Row } from '../stats';
import { stowage } from '../tools';
import { removeAll } from '../data';
import type { BenchContext } from './context';

const TAGS = 50;
const SHARED_LAYERS = 3;

export async function backupCases(ctx: BenchContext): Promise<Row[]> {
  const dir = path.join(ctx.work, 'backup');
  await fs.mkdir(dir, { recursive: true });
  const sharedMiB = Math.max(1, Math.min(64, Math.round(ctx.options.sizeMiB / 16)));
  try {
    return [
      await withRegistry(async (registry) => {
        const seeded = await seedSharedLayers(registry, 'bench', { tags: TAGS, shared: SHARED_LAYERS, sharedMiB });
        const gets: number[] = [];
        const most: number[] = [];
        const row = await runAlone(
          `backup of ${TAGS} tags sharing ${SHARED_LAYERS} layers of ${sharedMiB} MiB → .tar`,
          ctx.plan,
          {
            label: 'stowage',
            run: async (i) => {
              const output = path.join(dir, `backup-${i}.tar`);
              const before = blobGets(registry);
              try {
                return await stowage(['backup', '--output', output, `${registry.host}/bench`]);
              } finally {
                const after = blobGets(registry);
                let total = 0;
                let max = 0;
                for (const [digest, count] of after) {
                  const run = count - (before.get(digest) ?? 0);
                  total += run;
                  max = Math.max(max, run);
                }
                gets.push(total);
                most.push(max);
                await removeAll(output);
              }
            },
          },
        );
        // The warm-up run counts as well: every run starts from an empty destination.
        row.observed = {
          distinctBlobs: seeded.distinctBlobs,
          blobGets: Math.max(...gets),
          mostGetsOfOneBlob: Math.max(...most),
        };
        row.note = `${Math.max(...gets)} blob GETs for ${seeded.distinctBlobs} distinct blobs (${(seeded.bytes / 2 ** 20).toFixed(0)} MiB); at most ${Math.max(...most)} GET(s) of any one blob`;
        return { ...row, id: 'backup-50-tags' };
      }, 'info'),
    ];
  } finally {
    await removeAll(dir);
  }
}
