// Layout archives (oci-archive:) of the large size: Stowage writing one from a layout folder and reading one back
// into a layout folder, beside skopeo doing the same, with `tar` as the floor (the same bytes, no work of its own:
// no hashing, no index). The issue's target is Stowage ≤ 1.2× tar: A/B over the floor's ratio. A second floor
// adds what Stowage does and tar does not: `sync` of what was written (Stowage fsyncs the archive it writes, and
// each blob it stores in a layout), so the two ratios bracket the cost of durability. Peak RSS shows whether
// memory stays flat at any size.
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { measure, type Measured } from '../measure';
import { randomFile, MiB, removeAll } from '../data';
import { runPairs } from '../pairs';
import type { Row } from '../stats';
import { hashAlone, skopeoCopy, stowage } from '../tools';
import { sizeLabel, type BenchContext } from './context';

const TAR = '/usr/bin/tar';
const SH = '/bin/sh';
/** coreutils `sync FILE…`: fsync of those files only, not of the whole machine's dirty pages. */
const SYNC = '/usr/bin/sync';

/**
 * Runs `work` writing into `output` (removed before and after, untimed). Every run starts with nothing waiting to be
 * written back (an untimed `sync`), so no contestant pays for the gigabyte the one before it wrote and removed.
 */
async function into(output: string, work: () => Promise<Measured>): Promise<Measured> {
  await removeAll(output);
  await new Promise<void>((resolve, reject) => execFile(SYNC, (err) => (err ? reject(err) : resolve())));
  try {
    return await work();
  } finally {
    await removeAll(output);
  }
}

/** The digest check of the same bytes alone (no reading of an archive, no writing): what tar skips. */
function hashFloor(file: string) {
  return {
    label: 'SHA-256 of the bytes alone (Node, no writes)',
    run: () => hashAlone(file),
    meaning: 'the digest check a verifying client makes and tar does not',
  };
}

export async function archiveCases(ctx: BenchContext): Promise<Row[]> {
  const dir = path.join(ctx.work, 'archive');
  await fs.mkdir(dir, { recursive: true });
  const file = await randomFile(path.join(dir, 'big.bin'), ctx.options.sizeMiB * MiB);
  const layout = path.join(dir, 'layout');
  const archive = path.join(dir, 'source.tar');
  const out = (name: string) => path.join(dir, name);
  const label = sizeLabel(ctx.options.sizeMiB);
  await stowage(['push', `oci:${layout}:v1`, file]);
  await stowage(['copy', `oci:${layout}:v1`, `oci-archive:${archive}:v1`]);
  const rows: Row[] = [];
  try {
    rows.push(
      await runPairs(
        { case: `archive write, layout → .tar (${label})`, id: 'archive-write' },
        ctx.plan,
        {
          label: 'stowage',
          run: (i) =>
            into(out(`s-${i}.tar`), () => stowage(['copy', `oci:${layout}:v1`, `oci-archive:${out(`s-${i}.tar`)}:v1`])),
        },
        {
          label: 'skopeo',
          run: (i) =>
            into(out(`k-${i}.tar`), () => skopeoCopy(`oci:${layout}:v1`, `oci-archive:${out(`k-${i}.tar`)}:v1`)),
        },
        [
          {
            label: 'tar -cf',
            run: (i) => into(out(`t-${i}.tar`), () => measure(TAR, ['-cf', out(`t-${i}.tar`), '-C', layout, '.'])),
          },
          {
            label: 'tar -cf, then sync of the .tar',
            run: (i) =>
              into(out(`u-${i}.tar`), () =>
                measure(SH, ['-c', `${TAR} -cf "$1" -C "$2" . && ${SYNC} "$1"`, 'sh', out(`u-${i}.tar`), layout]),
              ),
          },
          hashFloor(file),
        ],
      ),
    );
    rows.push(
      await runPairs(
        { case: `archive read, .tar → layout (${label})`, id: 'archive-read' },
        ctx.plan,
        {
          label: 'stowage',
          run: (i) =>
            into(out(`r-${i}`), () => stowage(['copy', `oci-archive:${archive}:v1`, `oci:${out(`r-${i}`)}:v1`])),
        },
        {
          label: 'skopeo',
          run: (i) => into(out(`q-${i}`), () => skopeoCopy(`oci-archive:${archive}:v1`, `oci:${out(`q-${i}`)}:v1`)),
        },
        [
          {
            label: 'tar -xf',
            run: (i) =>
              into(out(`x-${i}`), async () => {
                await fs.mkdir(out(`x-${i}`));
                return measure(TAR, ['-xf', archive, '-C', out(`x-${i}`)]);
              }),
          },
          {
            label: 'tar -xf, then sync of the extracted files',
            run: (i) =>
              into(out(`y-${i}`), async () => {
                await fs.mkdir(out(`y-${i}`));
                return measure(SH, [
                  '-c',
                  `${TAR} -xf "$1" -C "$2" && find "$2" -type f -exec ${SYNC} {} +`,
                  'sh',
                  archive,
                  out(`y-${i}`),
                ]);
              }),
          },
          hashFloor(file),
        ],
      ),
    );
  } finally {
    await removeAll(dir);
  }
  return rows;
}
