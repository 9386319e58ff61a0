// A 4-layer artifact of the large size (a quarter each), copied registry → layout and layout → registry, and a
// 1-layer one of the same size registry → layout (one large blob: the shape of a pull).
import * as path from 'node:path';
import { MiB, randomFile, randomFiles, removeAll } from '../data';
import { runPairs } from '../pairs';
import { withRegistry } from '../registry';
import type { Row } from '../stats';
import { skopeoCopy, stowage } from '../tools';
import { sizeLabel, type BenchContext } from './context';

export async function copyCases(ctx: BenchContext): Promise<Row[]> {
  const dir = path.join(ctx.work, 'copy');
  const files = await randomFiles(path.join(dir, 'files'), 4, (ctx.options.sizeMiB * MiB) / 4, 'layer');
  const source = path.join(dir, 'source');
  const label = `4 layers, ${sizeLabel(ctx.options.sizeMiB)}`;
  const out = (name: string) => path.join(dir, name);
  await stowage(['push', `oci:${source}:v1`, ...files]);
  const rows: Row[] = [];
  const toLayout = (id: string, name: string, layers: string[]) =>
    withRegistry(async (r) => {
      await stowage(['push', `${r.host}/bench:v1`, ...layers]);
      return runPairs(
        { case: `copy registry → layout (${name})`, id },
        ctx.plan,
        {
          label: 'stowage',
          run: async (i) => {
            try {
              return await stowage(['copy', `${r.host}/bench:v1`, `oci:${out(`s-${i}`)}:v1`]);
            } finally {
              await removeAll(out(`s-${i}`));
            }
          },
        },
        {
          label: 'skopeo',
          run: async (i) => {
            try {
              return await skopeoCopy(`docker://${r.host}/bench:v1`, `oci:${out(`k-${i}`)}:v1`);
            } finally {
              await removeAll(out(`k-${i}`));
            }
          },
        },
      );
    });
  try {
    rows.push(await toLayout('copy-to-layout-layers', label, files));
    const single = await randomFile(path.join(dir, 'files', 'single.bin'), ctx.options.sizeMiB * MiB);
    rows.push(await toLayout('copy-to-layout-one', `1 layer, ${sizeLabel(ctx.options.sizeMiB)}`, [single]));
    await removeAll(single);
    rows.push(
      await runPairs(
        `copy layout → registry (${label})`,
        ctx.plan,
        {
          label: 'stowage',
          run: () => withRegistry((r) => stowage(['copy', `oci:${source}:v1`, `${r.host}/bench:v1`])),
        },
        {
          label: 'skopeo',
          run: () => withRegistry((r) => skopeoCopy(`oci:${source}:v1`, `docker://${r.host}/bench:v1`)),
        },
      ),
    );
  } finally {
    await removeAll(dir);
  }
  return rows;
}
