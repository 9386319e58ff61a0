// One large file: push (skopeo copies a layout holding the same bytes as one layer) and pull, with curl moving
// the same bytes in the same rounds as the floor no client can beat on this registry. The pull also has Node's
// HTTP client reading the bytes (thrown away, then hashed) in the same rounds: where its time above curl's goes.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { fileDigest, MiB, randomFile, removeAll } from '../data';
import { runPairs } from '../pairs';
import { withRegistry } from '../registry';
import type { Row } from '../stats';
import { curlDownload, curlUpload, nodeDownload, skopeoCopy, stowage } from '../tools';
import { sizeLabel, type BenchContext } from './context';

export async function transferCases(ctx: BenchContext): Promise<Row[]> {
  const size = ctx.options.sizeMiB * MiB;
  const label = sizeLabel(ctx.options.sizeMiB);
  const dir = path.join(ctx.work, 'transfer');
  await fs.mkdir(dir, { recursive: true });
  const file = await randomFile(path.join(dir, 'big.bin'), size);
  const layout = path.join(dir, 'layout');
  await stowage(['push', `oci:${layout}:v1`, file]);
  const digest = await fileDigest(file);
  const rows: Row[] = [];
  try {
    rows.push(
      await runPairs(
        { case: `push ${label}`, id: 'push' },
        ctx.plan,
        { label: 'stowage', run: () => withRegistry((r) => stowage(['push', `${r.host}/bench:v1`, file])) },
        {
          label: 'skopeo',
          run: () => withRegistry((r) => skopeoCopy(`oci:${layout}:v1`, `docker://${r.host}/bench:v1`)),
        },
        {
          label: 'curl, raw bytes (no hashing)',
          run: () => withRegistry((r) => curlUpload(r.url, 'bench', file, digest)),
        },
      ),
    );
    rows.push(
      await withRegistry(async (r) => {
        await stowage(['push', `${r.host}/bench:v1`, file]);
        const out = (name: string) => path.join(dir, name);
        return runPairs(
          { case: `pull ${label}`, id: 'pull' },
          ctx.plan,
          {
            label: 'stowage',
            run: async (i) => {
              try {
                return await stowage(['pull', `${r.host}/bench:v1`, '-o', out(`pulled-${i}`)]);
              } finally {
                await removeAll(out(`pulled-${i}`));
              }
            },
          },
          {
            label: 'skopeo',
            run: async (i) => {
              try {
                return await skopeoCopy(`docker://${r.host}/bench:v1`, `oci:${out(`skopeo-${i}`)}:v1`);
              } finally {
                await removeAll(out(`skopeo-${i}`));
              }
            },
          },
          [
            {
              label: 'curl, raw bytes (no hashing)',
              run: async (i) => {
                try {
                  return await curlDownload(r.url, 'bench', digest, out(`curl-${i}.bin`));
                } finally {
                  await removeAll(out(`curl-${i}.bin`));
                }
              },
            },
            {
              label: "Node's HTTP client, bytes discarded",
              meaning: 'reading alone, no hashing and no writes (undici, as Stowage uses it)',
              run: () => nodeDownload(r.url, 'bench', digest, false),
            },
            {
              label: "Node's HTTP client + SHA-256, nothing written",
              meaning: 'reading and the digest check on one thread, no writes',
              run: () => nodeDownload(r.url, 'bench', digest, true),
            },
          ],
        );
      }),
    );
  } finally {
    await removeAll(dir);
  }
  return rows;
}
