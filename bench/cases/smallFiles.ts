// Many small blobs: where round trips, not bandwidth, decide. 4 KiB files pushed one layer each at
// concurrency 1 and the default, and the folder as one tar+gzip. (skopeo copying a layout of the same 2,000
// layers took minutes per run here, so it is left out.)
import * as path from 'node:path';
import { randomFiles, removeAll } from '../data';
import { runAlone, runPairs } from '../pairs';
import { registryCpuSeconds, withRegistry } from '../registry';
import type { Row } from '../stats';
import { stowage } from '../tools';
import type { BenchContext } from './context';

export async function smallFileCases(ctx: BenchContext): Promise<Row[]> {
  const count = ctx.options.smallFiles;
  const dir = path.join(ctx.work, 'small');
  const folder = path.join(dir, 'files');
  const files = await randomFiles(folder, count, 4096);
  // The registry's CPU time is recorded too: with one-layer-per-file pushes it, not Stowage, sets the pace.
  const push = (extra: string[]) =>
    withRegistry(async (r) => {
      const before = await registryCpuSeconds(r);
      const measured = await stowage(['push', ...extra, `${r.host}/small:v1`, ...files]);
      return { ...measured, serverCpuSeconds: (await registryCpuSeconds(r)) - before };
    });
  const rows: Row[] = [];
  try {
    rows.push(
      await runPairs(
        `${count} × 4 KiB files, concurrency 1 vs default`,
        ctx.plan,
        { label: 'stowage -c 1', run: () => push(['--concurrency', '1']) },
        { label: 'stowage default', run: () => push([]) },
      ),
    );
    rows.push(
      await runAlone(
        `${count} × 4 KiB files as one folder (tar+gzip)`,
        ctx.plan,
        { label: 'stowage', run: () => withRegistry((r) => stowage(['push', `${r.host}/folder:v1`, folder])) },
        'skopeo cannot pack a folder',
      ),
    );
  } finally {
    await removeAll(dir);
  }
  return rows;
}
