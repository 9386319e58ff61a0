// Tar unpacker: mutated archives (from the hostile corpus and from good ones, raw or gzip) either extract
// inside the staging folder or fail with a typed OciError; nothing appears beside the staging folder, the
// sentinel outside is untouched, and every extracted symlink resolves inside.
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { createGunzip, gzipSync } from 'node:zlib';
import { OciError } from '../../../src/core/oci/errors';
import { extractTarSafely } from '../../../src/core/files/safeTarExtract';
import { BENIGN_ARCHIVES, HOSTILE_ARCHIVES } from '../../fixtures/hostile/tarEntries';
import { buildTar } from '../../helpers/tarBuilder';
import { PropertyViolation, type FuzzTarget } from '../fuzzTarget';
import type { Prng } from '../prng';
import { mutateBytes } from '../mutate';

interface TarContext {
  root: string;
  seeds: Buffer[];
  outsideBefore: string[];
}

const PARALLEL = 8;

const SENTINEL = 'outside-sentinel';
const LIMITS = { maxBytes: 256 * 1024, maxEntries: 64 };
const TYPE_FLAGS = '01234567xgLKS';
/** Absolute names the mutations use: none may ever exist after a case. */
const ABSOLUTE_CANARIES = ['/abs', '/tmp/stowage-abs-escape', '/x'];

/** Rewrites one header field (name, linkname, type, size) of a random 512-byte header and fixes its checksum. */
function mutateHeader(rng: Prng, tar: Buffer): Buffer {
  const out = Buffer.from(tar);
  const headers = Math.floor(out.length / 512);
  if (headers === 0) return out;
  const at = rng.int(headers) * 512;
  const field = rng.int(4);
  if (field === 0 || field === 1) {
    const name = rng.pick([
      '../x',
      '/abs',
      'dir/../..',
      'dir/a/../../b',
      'dir/\u0000x',
      'C:\\x',
      'dir/' + 'z'.repeat(99),
      'dir',
      'dir/sub',
      '.',
      '',
    ]);
    const offset = field === 0 ? 0 : 157;
    out.fill(0, at + offset, at + offset + 100);
    out.write(name, at + offset, 100, 'latin1');
  } else if (field === 2) {
    out[at + 156] = TYPE_FLAGS.charCodeAt(rng.int(TYPE_FLAGS.length));
  } else {
    const size = rng.pick([0, 1, 511, 512, 513, 10 ** 6, 8 ** 11 - 1]);
    out.write(size.toString(8).padStart(11, '0') + '\0', at + 124, 12, 'latin1');
  }
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : out[at + i]!;
  out.write(sum.toString(8).padStart(6, '0') + '\0 ', at + 148, 8, 'latin1');
  return out;
}

/**
 * Every path under `dir`, relative, sorted; symlinks are listed, never followed (readdir's recursive mode can
 * follow them). Staging folders are listed but not entered: other slots create and remove them meanwhile.
 */
async function listAll(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await fs.readdir(path.join(dir, prefix), { withFileTypes: true })) {
    const rel = path.join(prefix, entry.name);
    out.push(rel);
    if (entry.isDirectory() && entry.name !== 'staging') out.push(...(await listAll(dir, rel)));
  }
  return out.sort();
}

/** A memory-backed temp folder where there is one: each case creates, lists and removes dozens of entries. */
async function fuzzTempBase(): Promise<string> {
  const shm = '/dev/shm';
  const usable = await fs.access(shm, fs.constants.W_OK).then(
    () => true,
    () => false,
  );
  return usable ? shm : os.tmpdir();
}

export const tarTarget: FuzzTarget<TarContext> = {
  name: 'tar unpacker',
  // Cases mostly wait on the disk: several at once, each in its own slot folder with its own sentinel.
  parallel: PARALLEL,
  async setup() {
    const root = await fs.mkdtemp(path.join(await fuzzTempBase(), 'stowage-fuzz-tar-'));
    for (let slot = 0; slot < PARALLEL; slot++) {
      await fs.mkdir(path.join(root, `slot${slot}`, 'deeper'), { recursive: true });
      await fs.writeFile(path.join(root, `slot${slot}`, SENTINEL), 'untouched');
    }
    const seeds = await Promise.all(
      [...HOSTILE_ARCHIVES.map((a) => a.entries), ...BENIGN_ARCHIVES].map((entries) => buildTar(entries)),
    );
    return { root, seeds, outsideBefore: await listAll(root) };
  },
  async check(rng, context, slot) {
    let tar = rng.pick(context.seeds);
    const rounds = 1 + rng.int(3);
    for (let i = 0; i < rounds; i++) tar = rng.bool(0.5) ? mutateHeader(rng, tar) : mutateBytes(rng, tar);
    const gzipped = rng.bool(0.3);
    const input = gzipped ? (rng.bool(0.3) ? mutateBytes(rng, gzipSync(tar)) : gzipSync(tar)) : tar;
    // Two levels below the slot, so that entries climbing one or two levels out still land where we look.
    const slotDir = path.join(context.root, `slot${slot}`);
    const staging = path.join(slotDir, 'deeper', 'staging');
    await fs.mkdir(staging);
    try {
      await extractTarSafely(
        Readable.from([input]),
        gzipped ? [createGunzip()] : [],
        staging,
        'dir',
        LIMITS,
        'fuzzed archive',
      );
      const top = await fs.realpath(path.join(staging, 'dir'));
      for (const name of await listAll(staging)) {
        const full = path.join(staging, name);
        if (!(await fs.lstat(full)).isSymbolicLink()) continue;
        const resolved = await fs.realpath(full);
        if (resolved !== top && !resolved.startsWith(top + path.sep))
          throw new PropertyViolation(`symlink ${name} resolves outside: ${resolved}`, tar);
      }
    } catch (err) {
      if (!(err instanceof OciError) && !(err instanceof PropertyViolation))
        throw new PropertyViolation(`untyped error ${(err as Error)?.name}: ${(err as Error)?.message}`, tar);
      if (err instanceof PropertyViolation) throw err;
    } finally {
      await fs.rm(staging, { recursive: true, force: true });
    }
    // Other slots may be mid-case: their staging folders are the only thing allowed besides the initial tree.
    const appeared = (await listAll(context.root)).filter(
      (n) => !context.outsideBefore.includes(n) && !/^slot\d+\/deeper\/staging$/.test(n),
    );
    if (appeared.length)
      throw new PropertyViolation(`files appeared beside the staging folder: ${appeared.join(', ')}`, tar);
    if ((await fs.readFile(path.join(slotDir, SENTINEL), 'utf8')) !== 'untouched')
      throw new PropertyViolation('the sentinel outside changed', tar);
    for (const canary of ABSOLUTE_CANARIES)
      if (
        await fs.lstat(canary).then(
          () => true,
          () => false,
        )
      )
        throw new PropertyViolation(`${canary} was written`, tar);
  },
  async teardown(context) {
    await fs.rm(context.root, { recursive: true, force: true });
  },
};
