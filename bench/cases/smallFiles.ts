// Many small blobs: where round trips, not bandwidth, decide. 4 KiB files pushed one layer each at
// concurrency 1 and the default; skopeo copies a layout of the same layers; and the folder as one tar+gzip.
import * as path from 'node:path';
import { randomFiles, removeAll } from '../data';
import { runAlone, runPairs } from '../pairs';
import { withRegistry } from '../registry';
import type { Row } from '../stats';
import { skopeoCopy, stowage } from '../tools';
import type { BenchContext } from './context';

export async function smallFileCases(ctx: BenchContext): Promise<Row[]> {
  const count = ctx.options.smallFiles;
  const dir = path.join(ctx.work, 'small');
  const folder = path.join(dir, 'files');
  const files = await randomFiles(folder, count, 4096);
  const layout = path.join(dir, 'layout');
  await stowage(['push', `oci:${layout}:v1`, ...files]);
  const push = (extra: string[]) => withRegistry((r) => stowage(['push', ...extra, `${r.host}/small:v1`, ...files]));
  const rows: Row[] = [];
  try {
    rows.push(await runPairs(`${count} × 4 KiB files, concurrency 1 vs default`, ctx.plan,
      { label: 'stowage -c 1', run: () => push(['--concurrency', '1']) },
      { label: 'stowage default', run: () => push([]) }));
    rows.push(await runPairs(`${count} × 4 KiB files (layers)`, ctx.plan,
      { label: 'stowage', run: () => push([]) },
      { label: 'skopeo', run: () => withRegistry((r) => skopeoCopy(`oci:${layout}:v1`, `docker://${r.host}/small:v1`)) }));
    rows.push(await runAlone(`${count} × 4 KiB files as one folder (tar+gzip)`, ctx.plan,
      { label: 'stowage', run: () => withRegistry((r) => stowage(['push', `${r.host}/folder:v1`, folder])) }, 'skopeo cannot pack a folder'));
  } finally {
    await removeAll(dir);
  }
  return rows;
}
