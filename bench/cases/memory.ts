// Peak RSS of push and pull at growing sizes: streaming means it must not grow with the blob.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { MiB, randomFile, removeAll } from '../data';
import { log } from '../pairs';
import { withRegistry } from '../registry';
import type { Row } from '../stats';
import { stowage } from '../tools';
import { sizeLabel, type BenchContext } from './context';

export async function memoryCases(ctx: BenchContext): Promise<Row[]> {
  const rows: Row[] = [];
  for (const mib of ctx.options.memorySizesMiB) {
    const dir = path.join(ctx.work, `memory-${mib}`);
    await fs.mkdir(dir, { recursive: true });
    try {
      const file = await randomFile(path.join(dir, 'big.bin'), mib * MiB);
      const [push, pull] = await withRegistry(async (r) => {
        const pushed = await stowage(['push', `${r.host}/bench:v1`, file]);
        const pulled = await stowage([
          'pull',
          `${r.host}/bench:v1`,
          '-o',
          path.join(dir, 'out'),
          '--max-size',
          String(mib * MiB * 2),
        ]);
        return [pushed, pulled];
      });
      log(`memory ${sizeLabel(mib)}: push ${push.rssMiB.toFixed(0)} MiB, pull ${pull.rssMiB.toFixed(0)} MiB`);
      rows.push({
        case: `peak RSS, ${sizeLabel(mib)}`,
        a: { label: 'push', samples: [{ seconds: push.seconds, rssMiB: push.rssMiB, tool: 'stowage' }] },
        b: { label: 'pull', samples: [{ seconds: pull.seconds, rssMiB: pull.rssMiB, tool: 'stowage' }] },
        note: 'one run each',
      });
    } finally {
      await removeAll(dir);
    }
  }
  return rows;
}
