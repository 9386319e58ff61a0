// Pulls a files artifact into a folder, all or nothing.
//
// Every layer is downloaded (and folders unpacked) into a staging folder beside the target (or, when the
// target's parent is not writable, a hidden one inside the target: same file system either way), each blob and
// each folder's tar verified against its digests; only when everything verified are the outputs renamed into
// the target. Existing files are replaced only with `overwrite`, and then moved aside first so that a failure
// while moving puts them back: a failed pull leaves the target as it was. A pull that was killed cannot remove
// its staging folder: the next pull into the same target removes such leftovers (stagingFolder.ts says how a
// leftover is told from a folder another pull is still filling). A file already there with the layer's very bytes
// is left alone (unchangedFile.ts), and so is a folder that holds what its layer unpacks to (holdsTree.ts, compared
// after unpacking): pulling again into the same folder succeeds. With `overwrite` a folder already there is merged
// into, as ORAS unpacks over it: what the layer holds replaces what is there by the same name (moved aside first),
// and files the user added beside them stay.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { CopyProgress } from '../graph';
import {
  type Descriptor,
  type Manifest,
  digestProblem,
  AbortedError,
  OciError,
  OutputExistsError,
  SizeExceededError,
  throwIfAborted,
  Annotation,
  counted,
  printable,
} from '../oci';
import {
  Hasher,
  HashingStream,
  writeFileHashing,
  hashingStages,
  isUnverifiedBlobReader,
  createStagingFolder,
  removeLeftOverStagingFolders,
  type ReadOnlyTarget,
  type StagingFolder,
  makeFolders,
} from '../content';
import { planPull, type PlannedOutput } from './planPull';
import { extractTarSafely } from './safeTarExtract';
import { limitBytes } from './limitBytes';
import { differingNames, holdsTree, sameBytes } from './holdsTree';

/** How many differing names a refused Flux pull lists (for the user to agree to replacing them). */
export const MAX_NAMED_CLASHES = 1000;

/** Default cap on what a pull may write: 4 GiB, far above typical artifacts, far below a full disk. */
export const DEFAULT_MAX_PULL_BYTES = 4 * 1024 ** 3;
export const DEFAULT_MAX_PULL_ENTRIES = 100_000;

/** Where a pull reads its blobs: any Target fits (and is read unverified when it is an UnverifiedBlobReader). */
export type BlobSource = Pick<ReadOnlyTarget, 'fetchBlob'>;

export interface PullOptions {
  overwrite?: boolean;
  /**
   * For a Flux artifact (unpacked into the target), the names below the target that may be replaced: those the
   * user agreed to after a pull named them (OutputExistsError.names). Any other name whose contents differ is still
   * refused, so a file is never replaced unasked. Without effect when `overwrite` is set.
   */
  replaceOnly?: readonly string[];
  /** Cap on bytes written (files plus unpacked folders). */
  maxBytes?: number;
  /** Cap on entries in each folder archive. */
  maxEntries?: number;
  signal?: AbortSignal;
  onBytes?: (delta: number) => void;
  /** Bytes and items done of the plan's totals, after every chunk verified and every item staged. */
  onProgress?: (progress: Readonly<CopyProgress>) => void;
}

export interface PullResult {
  outputs: PlannedOutput[];
  bytesWritten: number;
  /** Layers without a file name (a container image's): not written. */
  untitled: Descriptor[];
}

interface Move {
  from: string;
  to: string;
}

export async function pullFiles(
  manifest: Manifest,
  source: BlobSource,
  targetDir: string,
  options: PullOptions = {},
): Promise<PullResult> {
  const {
    signal,
    overwrite = false,
    maxBytes = DEFAULT_MAX_PULL_BYTES,
    maxEntries = DEFAULT_MAX_PULL_ENTRIES,
  } = options;
  const plan = await planPull(manifest, targetDir, signal);
  // A folder already there may be the very tree its layer holds: unpacked first, then compared, and left alone when
  // equal (with overwrite too, as an unchanged file is).
  const folders = plan.conflicts.filter((o) => o.overFolder);
  // Refused before anything is fetched: the files that differ (the folders are compared only once unpacked).
  if (plan.conflicts.length > folders.length && !overwrite)
    throw outputsExist(
      plan.target,
      plan.conflicts.filter((o) => !o.overFolder),
    );
  const wanted = plan.outputs.filter((o) => !o.unchanged);
  const fileBytes = wanted.filter((o) => !o.unpack).reduce((sum, o) => sum + o.size, 0);
  if (fileBytes > maxBytes) throw new SizeExceededError(`the files of this artifact (${fileBytes} bytes)`, maxBytes);

  const progress: CopyProgress = {
    totalBytes: plan.totalBytes,
    doneBytes: 0,
    totalItems: plan.outputs.length,
    doneItems: plan.unchanged.length,
    skippedItems: plan.unchanged.length,
  };
  if (!wanted.length) return { outputs: plan.outputs, bytesWritten: 0, untitled: plan.untitled };
  const counting: PullOptions = {
    ...options,
    onBytes: (delta) => {
      options.onBytes?.(delta);
      progress.doneBytes += delta;
      options.onProgress?.(progress);
    },
  };
  const createdTarget = await makeFolders(plan.target);
  let stagingFolder: StagingFolder | undefined;
  const done: Move[] = [];
  const createdDirs: string[] = [];
  try {
    stagingFolder = await makeStaging(plan.target);
    const staging = stagingFolder.path;
    // Files are counted up front; folders share what is left of the cap.
    let folderBytes = 0;
    const unpackedBytes = new Map<PlannedOutput, number>();
    for (const output of wanted) {
      throwIfAborted(signal);
      const staged = stagedPath(staging, output);
      await makeFolders(path.dirname(staged));
      if (output.unpack) {
        const bytes = await stageFolder(
          output,
          source,
          path.join(staging, 'out'),
          { maxBytes: maxBytes - fileBytes - folderBytes, maxEntries },
          counting,
        );
        unpackedBytes.set(output, bytes);
        folderBytes += bytes;
      } else await stageFile(output, source, staged, counting);
      progress.doneItems++;
      options.onProgress?.(progress);
    }
    throwIfAborted(signal);
    const differing: PlannedOutput[] = [];
    for (const folder of folders) {
      if (await holdsTree(folder.path, stagedPath(staging, folder), signal)) {
        folder.unchanged = true;
        folder.conflict = false;
        progress.skippedItems++;
        folderBytes -= unpackedBytes.get(folder) ?? 0; // left as it was: nothing written
      } else differing.push(folder);
    }
    if (differing.length && !overwrite)
      throw outputsExist(plan.target, differing, 'they differ from what the artifact holds; ');
    let replaceInTarget = overwrite;
    for (const output of wanted.filter((o) => o.intoTarget)) {
      // A Flux artifact unpacks into the target: its files may meet the user's, known only now that it is unpacked.
      const staged = stagedPath(staging, output);
      if (await holdsTree(output.path, staged, signal)) {
        output.unchanged = true;
        progress.skippedItems++;
        folderBytes -= unpackedBytes.get(output) ?? 0;
        continue;
      }
      if (overwrite) continue;
      const agreed = new Set(options.replaceOnly ?? []);
      // One name more than agreed to is enough to tell that something unagreed differs.
      const clashes = await differingNames(output.path, staged, signal, agreed.size + MAX_NAMED_CLASHES);
      // A folder of the user's where the artifact has a file is never offered as one name to replace: replacing it
      // would delete every file inside it, which the question does not name.
      for (const name of clashes) {
        const [mine, theirs] = await Promise.all(
          [output.path, staged].map((root) => fs.lstat(path.join(root, ...name.split('/')))),
        );
        if (mine!.isDirectory() && !theirs!.isDirectory())
          throw new OutputExistsError(
            `"${printable(name)}" is a folder in ${plan.target} and a file in the artifact: replacing it would delete all it holds (nothing written; move it away first)`,
          );
      }
      const refused = clashes.filter((name) => !agreed.has(name)).slice(0, MAX_NAMED_CLASHES);
      if (refused.length)
        throw outputsExist(
          plan.target,
          refused.map((title) => ({ ...output, title })),
          'the artifact holds other contents under these names; ',
          refused,
        );
      if (clashes.length) replaceInTarget = true;
    }
    await moveIntoPlace(
      wanted.filter((o) => !o.unchanged),
      staging,
      { overwrite, replaceInTarget },
      done,
      createdDirs,
    );
    return { outputs: plan.outputs, bytesWritten: fileBytes + folderBytes, untitled: plan.untitled };
  } catch (err) {
    await rollBack(done, createdDirs);
    if (createdTarget) await fs.rm(createdTarget, { recursive: true, force: true });
    throw (err as Error).name === 'AbortError' ? new AbortedError({ cause: err }) : err;
  } finally {
    await stagingFolder?.remove();
  }
}

/** Where `output` is unpacked or written in the staging folder before it moves into place. */
function stagedPath(staging: string, output: PlannedOutput): string {
  return path.join(staging, 'out', ...output.title.split('/'));
}

function outputsExist(
  target: string,
  conflicts: readonly PlannedOutput[],
  why = '',
  names?: readonly string[],
): OutputExistsError {
  const shown = conflicts
    .slice(0, 5)
    .map((c) => `"${c.title}"`)
    .join(', ');
  return new OutputExistsError(
    `${counted(conflicts.length, 'output')} already ${conflicts.length === 1 ? 'exists' : 'exist'} in ${target}: ${shown}${conflicts.length > 5 ? ', …' : ''} (${why}nothing written)`,
    names,
  );
}

/**
 * A staging folder on the target's file system, so outputs move into place by rename. Beside the target
 * first (nothing of the pull shows in the target until it succeeded); inside it, hidden, when the parent is
 * not writable (`cd ~ && stowage pull …` as a normal user, a devcontainer's /workspaces/<project>).
 */
async function makeStaging(target: string): Promise<StagingFolder> {
  // Both places a pull into this target stages are swept of killed pulls' leftovers first.
  await removeLeftOverStagingFolders(path.dirname(target));
  await removeLeftOverStagingFolders(target);
  try {
    return await createStagingFolder(path.dirname(target));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EACCES' && code !== 'EPERM' && code !== 'EROFS') throw err;
    return createStagingFolder(target);
  }
}

/** Verifies the layer's digest and size on the way (unless the blob stream already does) and reports progress. */
function verifying(source: Readable, layer: Descriptor, what: string, options: PullOptions): Transform[] {
  return hashingStages(
    source,
    new Hasher({ expected: layer.digest, expectedSize: layer.size, what, onBytes: options.onBytes }),
  );
}

async function stageFile(
  output: PlannedOutput,
  source: BlobSource,
  staged: string,
  options: PullOptions,
): Promise<void> {
  const { signal } = options;
  const hasher = new Hasher({
    expected: output.layer.digest,
    expectedSize: output.layer.size,
    what: `layer "${output.title}" (${output.layer.digest})`,
    onBytes: options.onBytes,
  });
  // Raw bytes where the source offers them, hashed where they are written (another thread for large files).
  const content = isUnverifiedBlobReader(source)
    ? await source.fetchBlobUnverified(output.layer, { signal })
    : await source.fetchBlob(output.layer, { signal });
  await writeFileHashing(content, staged, hasher, { signal });
}

async function stageFolder(
  output: PlannedOutput,
  source: BlobSource,
  stagingOut: string,
  limits: { maxBytes: number; maxEntries: number },
  options: PullOptions,
): Promise<number> {
  const what = output.intoTarget
    ? `Flux content layer (${output.layer.digest})`
    : `folder layer "${output.title}" (${output.layer.digest})`;
  const tarDigest = output.layer.annotations?.[Annotation.orasContentDigest];
  if (tarDigest !== undefined) {
    const problem = digestProblem(tarDigest);
    if (problem)
      throw new OciError(
        'INVALID_CONTENT',
        `${what}: ${Annotation.orasContentDigest} "${tarDigest}" is invalid: ${problem}`,
      );
  }
  const mediaType = output.layer.mediaType;
  if (/zstd/.test(mediaType)) throw new OciError('UNSUPPORTED', `${what}: zstd-compressed folders are not supported`);
  const blob = await source.fetchBlob(output.layer, { signal: options.signal });
  const transforms = verifying(blob, output.layer, what, options);
  if (/gzip/.test(mediaType)) transforms.push(createGunzip());
  // Bound the decompressed stream too (a gzip bomb of tar headers holds no file bytes to count).
  transforms.push(
    limitBytes(limits.maxBytes + limits.maxEntries * 1024 + 1024 * 1024, `${what}: the uncompressed archive`),
  );
  transforms.push(new HashingStream({ expected: tarDigest, what: `${what}: uncompressed tar` }));
  // A Flux artifact's layer is the folder's content itself: Flux packs regular files and folders only.
  const result = output.intoTarget
    ? await extractTarSafely(blob, transforms, stagingOut, '', limits, what, options.signal, { links: false })
    : await extractTarSafely(blob, transforms, stagingOut, output.title, limits, what, options.signal);
  return result.bytes;
}

async function moveIntoPlace(
  outputs: PlannedOutput[],
  staging: string,
  /** `replaceInTarget`: a Flux artifact's entries replace what differs (overwrite, or names the user agreed to). */
  { overwrite, replaceInTarget }: { overwrite: boolean; replaceInTarget: boolean },
  done: Move[],
  createdDirs: string[],
): Promise<void> {
  const aside = path.join(staging, 'replaced');
  await fs.mkdir(aside);
  for (const output of outputs) {
    const first = await makeFolders(path.dirname(output.path));
    if (first) createdDirs.push(first);
    const from = stagedPath(staging, output);
    if (!output.intoTarget) {
      await place(from, output.path, overwrite ? aside : undefined, done);
      continue;
    }
    // A Flux artifact's entries join the target's, each in turn: the target itself is never replaced (it may be a
    // link to the folder the user pulls into). Without overwrite, a file already there is kept, never replaced.
    for (const name of await fs.readdir(from)) {
      const [entry, to] = [path.join(from, name), path.join(output.path, name)];
      if (replaceInTarget) await place(entry, to, aside, done);
      else await merge(entry, to, output.path, done);
    }
  }
}

/**
 * Merges the staged tree `from` into the folder `to` without replacing anything: a file the user already has with
 * the same bytes stays as it is (its mode, its inode, an editor holding it open), and anything else already there
 * is refused. differingNames refused such names before; this holds where it cannot see them: a case-insensitive
 * file system ("README" lands on "readme"), or a file made there since.
 */
async function merge(from: string, to: string, target: string, done: Move[]): Promise<void> {
  const existing = await fs.lstat(to).catch(() => undefined);
  if (!existing) {
    await fs.rename(from, to);
    done.push({ from, to });
    return;
  }
  const staged = await fs.lstat(from);
  if (existing.isDirectory() && staged.isDirectory()) {
    for (const name of await fs.readdir(from)) await merge(path.join(from, name), path.join(to, name), target, done);
    return;
  }
  if (existing.isFile() && staged.isFile() && (await sameBytes(from, to))) return;
  throw new OutputExistsError(
    `"${path.relative(target, to).split(path.sep).join('/')}" already exists in ${target} with other contents (nothing written)`,
  );
}

/**
 * Renames `from` to `to`, recording each move for a rollback. With `aside` (overwrite), what is at `to` is moved
 * there first; a folder at `to` where `from` is a folder too is merged into, entry by entry, so that files the
 * artifact does not hold stay (a link is never followed: it is replaced like a file).
 */
async function place(from: string, to: string, aside: string | undefined, done: Move[]): Promise<void> {
  const existing = aside ? await fs.lstat(to).catch(() => undefined) : undefined;
  if (existing?.isDirectory() && (await fs.lstat(from)).isDirectory()) {
    for (const name of await fs.readdir(from)) await place(path.join(from, name), path.join(to, name), aside, done);
    return;
  }
  if (existing) {
    const moved = { from: to, to: path.join(aside!, String(done.length)) };
    await fs.rename(moved.from, moved.to);
    done.push(moved);
  }
  await fs.rename(from, to);
  done.push({ from, to });
}

async function rollBack(done: Move[], createdDirs: string[]): Promise<void> {
  for (const move of done.reverse()) await fs.rename(move.to, move.from).catch(() => undefined);
  for (const dir of createdDirs.reverse()) await fs.rm(dir, { recursive: true, force: true }).catch(() => undefined);
}
