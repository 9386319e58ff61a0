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
  STAGING_PREFIX,
  removeLeftOverStagingFolders,
  type ReadOnlyTarget,
  type StagingFolder,
  makeFolders,
  createLimiter,
} from '../content';
import { planPull, type PlannedOutput, type PullPlan } from './planPull';
import { assertSafeTitles } from './safeNames';
import {
  addedDuring,
  moveIntoPlace,
  removeFoldersOnly,
  rollBack,
  type Placing,
  type Tally,
  type Unrestored,
} from './placeOutputs';
import { clashesWithFlux } from './partClashes';
import { HeldTarget } from './heldTarget';
import { extractTarSafely } from './safeTarExtract';
import { limitBytes } from './limitBytes';
import { packedCap, packedRatioGuard } from './packedRatio';
import { differingNames, holdsTree } from './holdsTree';

/** How many differing names a refused Flux pull lists (for the user to agree to replacing them). */
export const MAX_NAMED_CLASHES = 1000;
/** Files added into the folders of a failed pull that its error names one by one. */
const MAX_NAMED_ADDED = 10;

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
  /** Files fetched at once (default 4, as a copy); folders are unpacked one after another. */
  concurrency?: number;
  signal?: AbortSignal;
  onBytes?: (delta: number) => void;
  /** Bytes and items done of the plan's totals, after every chunk verified and every item staged. */
  onProgress?: (progress: Readonly<CopyProgress>) => void;
}

export interface PullResult {
  outputs: PlannedOutput[];
  /** Bytes of file content moved into the target (files written, folders unpacked, a Flux tree's new files). */
  bytesWritten: number;
  /** Bytes of files already there with the very bytes the artifact holds: left as they were, not written. */
  bytesKept: number;
  /** Layers without a file name (a container image's): not written. */
  untitled: Descriptor[];
}

/** One manifest of a pull of several into one folder, named in refusals ("sha256:…"). */
export interface PullPart {
  manifest: Manifest;
  name: string;
}

export async function pullFiles(
  manifest: Manifest,
  source: BlobSource,
  targetDir: string,
  options: PullOptions = {},
): Promise<PullResult> {
  const [result] = await pullFilesTogether([{ manifest, name: 'the artifact' }], source, targetDir, options);
  return result!;
}

/**
 * Pulls several manifests into one folder as one pull (`pull --include-subject`: a referrer and its subjects): all
 * are planned and checked, then staged and compared, before anything moves into the target, and a failure at any
 * step leaves the target as it was. A file two of them hold with the same bytes is written once (listed under
 * each, `sameAs` the first); one name held differently by two is refused. The size cap is the whole pull's.
 */
export async function pullFilesTogether(
  parts: readonly PullPart[],
  source: BlobSource,
  targetDir: string,
  options: PullOptions = {},
): Promise<PullResult[]> {
  const {
    signal,
    overwrite = false,
    maxBytes = DEFAULT_MAX_PULL_BYTES,
    maxEntries = DEFAULT_MAX_PULL_ENTRIES,
  } = options;
  const plans: PullPlan[] = [];
  for (const part of parts) plans.push(await planPull(part.manifest, targetDir, signal));
  const target = plans[0]!.target;
  markSameOutputs(parts, plans);
  const outputs = plans.flatMap((plan) => plan.outputs).filter((o) => !o.sameAs);
  const partOf = new Map(plans.flatMap((plan, i) => plan.outputs.map((o) => [o, i] as const)));
  // A folder already there may be the very tree its layer holds: unpacked first, then compared, and left alone when
  // equal (with overwrite too, as an unchanged file is).
  const folders = outputs.filter((o) => o.conflict && o.overFolder);
  // Refused before anything is fetched: the files that differ (the folders are compared only once unpacked).
  const differingFiles = outputs.filter((o) => o.conflict && !o.overFolder);
  if (differingFiles.length && !overwrite) throw outputsExist(target, differingFiles);
  const wanted = outputs.filter((o) => !o.unchanged);
  const fileBytes = wanted.filter((o) => !o.unpack).reduce((sum, o) => sum + o.size, 0);
  if (fileBytes > maxBytes) throw new SizeExceededError(`the files of this artifact (${fileBytes} bytes)`, maxBytes);

  const tallies: Tally[] = parts.map(() => ({ written: 0, kept: 0 }));
  for (const o of outputs) if (o.unchanged) tallies[partOf.get(o)!]!.kept += o.size;
  const results = (): PullResult[] =>
    plans.map((plan, i) => ({
      outputs: plan.outputs,
      bytesWritten: tallies[i]!.written,
      bytesKept: tallies[i]!.kept,
      untitled: plan.untitled,
    }));
  const progress: CopyProgress = {
    totalBytes: wanted.reduce((sum, o) => sum + o.size, 0),
    doneBytes: 0,
    totalItems: outputs.length,
    doneItems: outputs.length - wanted.length,
    skippedItems: outputs.length - wanted.length,
  };
  if (!wanted.length) return results();
  const counting: PullOptions = {
    ...options,
    onBytes: (delta) => {
      options.onBytes?.(delta);
      progress.doneBytes += delta;
      options.onProgress?.(progress);
    },
  };
  const createdTarget = await makeFolders(target);
  // Held from here: a link swapped in for the target (or a folder made above it) is refused, never followed.
  const held = await HeldTarget.hold(target, createdTarget).catch(async (err: unknown) => {
    if (createdTarget) await removeFoldersOnly(createdTarget, new Set());
    throw err;
  });
  let stagingFolder: StagingFolder | undefined;
  const placing: Placing = { held, aside: '', overwrite, done: [], createdDirs: [] };
  try {
    stagingFolder = await makeStaging(target);
    const staging = stagingFolder.path;
    // Each manifest stages into a folder of its own: a Flux artifact's tree is that whole folder.
    const staged = (output: PlannedOutput) => stagedPath(staging, partOf.get(output)!, output);
    await stageFiles(
      wanted.filter((o) => !o.unpack),
      options.concurrency ?? DEFAULT_PULL_CONCURRENCY,
      async (output, stageSignal) => {
        await makeFolders(path.dirname(staged(output)));
        await stageFile(output, source, staged(output), { ...counting, signal: stageSignal });
        progress.doneItems++;
        options.onProgress?.(progress);
      },
      signal,
    );
    // Files are counted up front; folders share what is left of the cap, so they are unpacked one at a time.
    let folderBytes = 0;
    const unpackedBytes = new Map<PlannedOutput, number>();
    for (const output of wanted.filter((o) => o.unpack)) {
      throwIfAborted(signal);
      await makeFolders(path.dirname(staged(output)));
      const bytes = await stageFolder(
        output,
        source,
        path.join(staging, 'out', String(partOf.get(output))),
        { maxBytes: maxBytes - fileBytes - folderBytes, maxEntries },
        counting,
      );
      unpackedBytes.set(output, bytes);
      folderBytes += bytes;
      progress.doneItems++;
      options.onProgress?.(progress);
    }
    throwIfAborted(signal);
    const differing: PlannedOutput[] = [];
    for (const folder of folders) {
      if (await holdsTree(folder.path, staged(folder), signal)) keptWhole(folder);
      else differing.push(folder);
    }
    if (differing.length && !overwrite)
      throw outputsExist(target, differing, 'they differ from what the artifact holds; ');
    for (const output of wanted.filter((o) => o.intoTarget)) {
      // A Flux artifact unpacks into the target: its files may meet the user's, known only now that it is unpacked.
      if (await holdsTree(output.path, staged(output), signal)) {
        keptWhole(output);
        continue;
      }
      if (overwrite) continue;
      const agreed = new Set(options.replaceOnly ?? []);
      // One name more than agreed to is enough to tell that something unagreed differs.
      const clashes = await differingNames(output.path, staged(output), signal, agreed.size + MAX_NAMED_CLASHES);
      // A folder of the user's where the artifact has a file is never offered as one name to replace: replacing it
      // would delete every file inside it, which the question does not name.
      for (const name of clashes) {
        const [mine, theirs] = await Promise.all(
          [output.path, staged(output)].map((root) => fs.lstat(path.join(root, ...name.split('/')))),
        );
        if (mine!.isDirectory() && !theirs!.isDirectory())
          throw new OutputExistsError(
            `"${printable(name)}" is a folder in ${target} and a file in the artifact: replacing it would delete all it holds (nothing written; move it away first)`,
          );
      }
      const refused = clashes.filter((name) => !agreed.has(name)).slice(0, MAX_NAMED_CLASHES);
      if (refused.length)
        throw outputsExist(
          target,
          refused.map((title) => ({ ...output, title })),
          'the artifact holds other contents under these names; ',
          refused,
        );
      // Every name that differs is one the user agreed to replace: the Flux entries go in replacing.
      if (clashes.length) placing.replaceInTarget = agreed;
    }
    // ... and the other manifests' files: neither may silently win, with overwrite too.
    for (const output of wanted.filter((o) => o.intoTarget)) {
      const mine = partOf.get(output)!;
      const others = outputs
        .filter((o) => partOf.get(o) !== mine && !(o.intoTarget && o.unchanged))
        .map((o) => ({ output: o, content: o.unchanged ? o.path : staged(o) }));
      const clashes = await clashesWithFlux(staged(output), others, signal);
      // Not an OutputExistsError: overwrite gets past that, not past this.
      if (clashes.length)
        throw new OciError(
          'CONFLICT',
          `${parts[mine]!.name} (a Flux artifact) holds ${clashes
            .slice(0, 5)
            .map((c) => `"${c}"`)
            .join(
              ', ',
            )}${clashes.length > 5 ? ', …' : ''} with other contents than the other artifacts pulled with it (nothing written): pull them into separate folders`,
        );
    }
    placing.aside = path.join(staging, 'replaced');
    await fs.mkdir(placing.aside);
    for (let i = 0; i < parts.length; i++)
      await moveIntoPlace(
        wanted.filter((o) => partOf.get(o) === i && !o.unchanged),
        staged,
        placing,
        tallies[i]!,
      );
    return results();

    function keptWhole(output: PlannedOutput): void {
      output.unchanged = true;
      output.conflict = false;
      progress.skippedItems++;
      tallies[partOf.get(output)!]!.kept += unpackedBytes.get(output) ?? 0;
    }
  } catch (err) {
    const unrestored = await rollBack(placing.done, placing.createdDirs, held);
    // A user's file still inside the staging folder keeps the folder: removing it would lose the file.
    if (stagingFolder && unrestored.some((u) => u.keptAt.startsWith(`${stagingFolder!.path}${path.sep}`)))
      stagingFolder.leave();
    else {
      await stagingFolder?.remove();
      // The target the pull made goes too, but not what someone put into it meanwhile.
      if (createdTarget) {
        const named = unrestored.filter((u) => u.addedDuring).map((u) => u.original);
        const added = new Set(named);
        await removeFoldersOnly(createdTarget, added, held.made);
        unrestored.push(...addedDuring(added).slice(named.length));
      }
    }
    stagingFolder = undefined;
    if (unrestored.length) throw notPutBack(err, unrestored);
    throw (err as Error).name === 'AbortError' ? new AbortedError({ cause: err }) : err;
  } finally {
    await stagingFolder?.remove();
  }
}

/** The pull's failure, and where each of the user's files is that the rollback could not put back or remove. */
function notPutBack(err: unknown, unrestored: readonly Unrestored[]): OciError {
  const moved = unrestored.filter((u) => !u.addedDuring);
  const added = unrestored.filter((u) => u.addedDuring);
  const where = moved.map((u) =>
    u.keptAt.includes(`${path.sep}${STAGING_PREFIX}`)
      ? `"${u.original}" is in "${u.keptAt}" (move it out: the next pull into this folder removes what a failed pull left)`
      : `"${u.original}" is now "${u.keptAt}"`,
  );
  const parts = [];
  if (moved.length)
    parts.push(
      `${moved.length === 1 ? 'one of your files' : `${moved.length} of your files`} could not go back where it was (something took its place): ${where.join('; ')}`,
    );
  if (added.length) {
    const named = added.slice(0, MAX_NAMED_ADDED).map((u) => `"${u.original}"`);
    if (added.length > MAX_NAMED_ADDED) named.push(`${added.length - MAX_NAMED_ADDED} more`);
    parts.push(
      `${added.length === 1 ? 'a file' : `${added.length} files`} the pull did not write stayed where ${added.length === 1 ? 'it was' : 'they were'}, with the folders the pull made around them: ${named.join(', ')}`,
    );
  }
  return new OciError('CONFLICT', `${(err as Error).message}; undoing the pull, ${parts.join('; ')}`, {
    cause: err,
  });
}

/**
 * Marks each output that an earlier manifest already writes (same title, same layer) `sameAs` it, and refuses a
 * title two manifests hold differently, or one that lies inside another's output, before anything is fetched.
 */
function markSameOutputs(parts: readonly PullPart[], plans: readonly PullPlan[]): void {
  if (plans.length < 2) return;
  const first = new Map<string, { output: PlannedOutput; part: number }>();
  plans.forEach((plan, part) => {
    for (const output of plan.outputs) {
      if (output.intoTarget) continue;
      const earlier = first.get(output.title);
      if (!earlier) {
        first.set(output.title, { output, part });
        continue;
      }
      if (earlier.output.layer.digest !== output.layer.digest || earlier.output.unpack !== output.unpack)
        throw new OciError(
          'CONFLICT',
          `"${output.title}" is in both ${parts[earlier.part]!.name} and ${parts[part]!.name}, with different contents (nothing written): pull them into separate folders`,
        );
      output.sameAs = earlier.output;
    }
  });
  assertSafeTitles([...first.keys()]);
}

/** Where `output` of the `part`th manifest is unpacked or written in the staging folder before it moves into place. */
function stagedPath(staging: string, part: number, output: PlannedOutput): string {
  return path.join(staging, 'out', String(part), ...output.title.split('/'));
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

const DEFAULT_PULL_CONCURRENCY = 4;

/**
 * Runs `stage` for every file, at most `concurrency` at once (ORAS pulls 3 at once; an artifact of many files
 * pulled one by one waits a round trip per file). The first failure stops the others, and every one has
 * settled before this returns or throws: the caller removes the staging folder they write into.
 */
async function stageFiles(
  files: PlannedOutput[],
  concurrency: number,
  stage: (output: PlannedOutput, signal: AbortSignal) => Promise<void>,
  signal: AbortSignal | undefined,
): Promise<void> {
  const limit = createLimiter(concurrency);
  const stop = new AbortController();
  const forward = () => stop.abort(signal?.reason);
  signal?.addEventListener('abort', forward, { once: true });
  let firstError: unknown;
  let failed = false;
  try {
    await Promise.allSettled(
      files.map((output) =>
        limit(async () => {
          throwIfAborted(stop.signal);
          await stage(output, stop.signal);
        }).catch((err: unknown) => {
          if (!failed) [failed, firstError] = [true, err];
          stop.abort(err);
        }),
      ),
    );
  } finally {
    signal?.removeEventListener('abort', forward);
  }
  // The user's cancel is what stopped the work, whichever file noticed first.
  throwIfAborted(signal);
  if (failed) throw firstError;
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
  await writeFileHashing(content, staged, hasher, { signal, about: output.path });
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
  const gzip = /gzip/.test(mediaType);
  // Bound the decompressed stream too (a gzip bomb of tar headers holds no file bytes to count), and the download:
  // a layer declared larger than anything within that bound can be packed into is refused before it starts.
  const tarCap = limits.maxBytes + limits.maxEntries * 1024 + 1024 * 1024;
  const downloadCap = gzip ? packedCap(tarCap) : tarCap;
  // (The limit named is what the pull's cap, --max-size, allows this download.)
  if (output.layer.size > downloadCap)
    throw new SizeExceededError(`${what}, ${output.layer.size} bytes to download before unpacking,`, downloadCap);
  const blob = await source.fetchBlob(output.layer, { signal: options.signal });
  const transforms = verifying(blob, output.layer, what, options);
  if (gzip) {
    // A stream of empty blocks unpacks to nothing the caps count: stopped once no honest stream reads on so.
    const gunzip = createGunzip();
    const guard = packedRatioGuard(what, gunzip);
    transforms.push(guard.packed, gunzip, guard.unpacked);
  }
  transforms.push(limitBytes(tarCap, `${what}: the uncompressed archive`));
  transforms.push(new HashingStream({ expected: tarDigest, what: `${what}: uncompressed tar` }));
  // A Flux artifact's layer is the folder's content itself: Flux packs regular files and folders only.
  const result = output.intoTarget
    ? await extractTarSafely(blob, transforms, stagingOut, '', limits, what, options.signal, { links: false })
    : await extractTarSafely(blob, transforms, stagingOut, output.title, limits, what, options.signal);
  return result.bytes;
}
