// Files as artifacts over the one graph walk: push (and attach) pack files into a staged graph that copy()
// moves to any Target; pull reads a manifest from any Target and unpacks its titled layers safely.
import { copy, type CopyOptions, type CopyProgress, type CopyResult, StagedGraph } from '../graph';
import { descriptorProblem, titleOf, type Descriptor, type Manifest } from '../oci';
import {
  assertMediaType,
  buildArtifactManifest,
  packFiles,
  pullFilesTogether,
  type ArtifactManifestOptions,
  type BuiltManifest,
  type PackInput,
  type PackOptions,
  type PullOptions,
  type PullResult,
} from '.';
import { isUnhashedBlobPusher, type BlobContent, type ReadOnlyTarget, type Target } from '../content';
import { withConventionalTitles } from './conventionalNames';
import type { SensitiveFilesCheck } from './sensitiveFiles';

export interface PushArtifactOptions
  extends
    Omit<ArtifactManifestOptions, 'layers'>,
    Pick<CopyOptions, 'tag' | 'concurrency' | 'onProgress' | 'signal'>,
    Pick<PackOptions, 'onPacking'> {
  /** Where folder archives are staged (default: the system temp folder). */
  stagingDir?: string;
  /** Extra annotations per layer, keyed by the layer's title. */
  layerAnnotations?: Record<string, Record<string, string>>;
  /** Pack `.git` folders, `.env` files, private keys… too (refused by default: see files/sensitiveFiles.ts). */
  allowSensitiveFiles?: boolean;
  /** See PackOptions.sensitiveFilesChecked. */
  sensitiveFilesChecked?: SensitiveFilesCheck;
}

export interface PushArtifactResult extends CopyResult {
  manifest: BuiltManifest;
}

/** Packs `inputs` (files and folders) into an artifact and pushes it to `dst`; with `subject`, it is a referrer. */
export async function pushArtifact(
  dst: Target,
  inputs: (string | PackInput)[],
  options: PushArtifactOptions = {},
): Promise<PushArtifactResult> {
  // Checked before packing: large files are sent while they are hashed, before the manifest is built.
  if (options.artifactType !== undefined) assertMediaType(options.artifactType, 'the artifact type');
  for (const input of inputs)
    if (typeof input !== 'string' && input.mediaType !== undefined)
      assertMediaType(input.mediaType, `the media type of ${input.path}`);
  const early = new EarlyStores(options.onProgress);
  const store = isUnhashedBlobPusher(dst)
    ? {
        minSize: STORE_WHILE_HASHING_FROM,
        likelyThere: await layerSizesAt(dst, options.tag, options.signal),
        blob: (content: BlobContent, size: number, signal?: AbortSignal) =>
          early.track(size, (onBytes) => dst.pushUnhashedBlob(content, { expectedSize: size, signal, onBytes })),
      }
    : undefined;
  const packed = await packFiles(inputs, {
    signal: options.signal,
    stagingDir: options.stagingDir,
    store,
    allowSensitiveFiles: options.allowSensitiveFiles,
    sensitiveFilesChecked: options.sensitiveFilesChecked,
    onPacking: options.onPacking,
  });
  try {
    const layers = packed.layers.map((l) => withLayerAnnotations(l.descriptor, options.layerAnnotations));
    const built = buildArtifactManifest({ ...options, layers });
    const source = new StagedGraph('local files', built, [built.config, ...packed.layers]);
    const result = await copy(source, built.descriptor, dst, {
      tag: options.tag,
      concurrency: options.concurrency,
      signal: options.signal,
      stored: packed.stored,
      onProgress: options.onProgress && ((walk) => options.onProgress!(early.plus(walk))),
    });
    return { ...result, progress: early.plus(result.progress), manifest: built };
  } finally {
    await packed.cleanup();
  }
}

/**
 * Files this large go to the destination as they are hashed (one read instead of two); smaller ones are hashed
 * first, so a blob the destination already holds is skipped rather than sent (a few ms to hash below this size).
 */
export const STORE_WHILE_HASHING_FROM = 16 * 1024 * 1024;

/**
 * Sizes of the layers of what `tag` names at the destination now: pushing the same tag again mostly re-sends the
 * same large files, which are then hashed first and skipped when the destination has them (ORAS's "Exists")
 * instead of being sent again while hashed. Only a hint: nothing is trusted but the digest. Any failure (no such
 * tag, no read access, an index) means no hints.
 */
async function layerSizesAt(dst: Target, tag: string | undefined, signal?: AbortSignal): Promise<Set<number>> {
  if (!tag) return new Set();
  try {
    const { manifest } = await dst.fetchManifest(tag, { signal });
    return new Set('layers' in manifest ? manifest.layers.map((layer) => layer.size) : []);
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    return new Set();
  }
}

/** Progress of the blobs stored while packing, added to the walk's own so the figures only ever grow. */
class EarlyStores {
  private readonly progress: CopyProgress = {
    totalBytes: 0,
    doneBytes: 0,
    totalItems: 0,
    doneItems: 0,
    skippedItems: 0,
  };

  constructor(private readonly onProgress?: (progress: Readonly<CopyProgress>) => void) {}

  async track<T>(size: number, store: (onBytes: (delta: number) => void) => Promise<T>): Promise<T> {
    this.progress.totalItems++;
    this.progress.totalBytes += size;
    this.onProgress?.(this.progress);
    const result = await store((delta) => {
      this.progress.doneBytes += delta;
      this.onProgress?.(this.progress);
    });
    this.progress.doneItems++;
    this.onProgress?.(this.progress);
    return result;
  }

  plus(walk: Readonly<CopyProgress>): CopyProgress {
    const early = this.progress;
    return {
      totalBytes: early.totalBytes + walk.totalBytes,
      doneBytes: early.doneBytes + walk.doneBytes,
      totalItems: early.totalItems + walk.totalItems,
      doneItems: early.doneItems + walk.doneItems,
      skippedItems: early.skippedItems + walk.skippedItems,
    };
  }
}

function withLayerAnnotations(descriptor: Descriptor, byTitle: PushArtifactOptions['layerAnnotations']): Descriptor {
  const extra = byTitle?.[titleOf(descriptor) ?? ''];
  return extra ? { ...descriptor, annotations: { ...extra, ...descriptor.annotations } } : descriptor;
}

/**
 * A manifest read for a pull, with a Helm chart's layers titled as `helm pull` names them: read once, then
 * planned, checked and pulled from (each read of a chart's config is another request to the registry).
 */
export interface ManifestToPull {
  descriptor: Descriptor;
  /** Titled in memory only (the stored manifest is not touched). */
  manifest: Manifest;
}

/** Reads the manifest `ref` names and, for a Helm chart, its config (for the file names): see ManifestToPull. */
export async function readManifestToPull(
  src: ReadOnlyTarget,
  ref: string | Descriptor,
  signal?: AbortSignal,
): Promise<ManifestToPull> {
  const fetched = await src.fetchManifest(ref, { signal });
  return { descriptor: fetched.descriptor, manifest: await withConventionalTitles(fetched.manifest, src, signal) };
}

/**
 * Pulls the titled layers of the manifest `ref` names into `dir` (staged, verified, then moved into place), and a
 * Helm chart's under the names `helm pull` gives them.
 */
export async function pullArtifact(
  src: Target,
  ref: string | Descriptor,
  dir: string,
  options: PullOptions = {},
): Promise<PullResult & { descriptor: Descriptor; subject?: Descriptor }> {
  return pullManifest(src, await readManifestToPull(src, ref, options.signal), dir, options);
}

export type PulledManifest = PullResult & { descriptor: Descriptor; subject?: Descriptor };

/** pullArtifact of a manifest already read (readManifestToPull): nothing of it is read again. */
export async function pullManifest(
  src: Target,
  read: ManifestToPull,
  dir: string,
  options: PullOptions = {},
): Promise<PulledManifest> {
  return (await pullManifests(src, [read], dir, options))[0]!;
}

/**
 * Several manifests already read, pulled into `dir` as one pull (a referrer and its subjects): all checked and
 * staged before anything is written, all or nothing (pullFilesTogether).
 */
export async function pullManifests(
  src: Target,
  reads: readonly ManifestToPull[],
  dir: string,
  options: PullOptions = {},
): Promise<PulledManifest[]> {
  const parts = reads.map((read) => ({ manifest: read.manifest, name: read.descriptor.digest }));
  const results = await pullFilesTogether(parts, src, dir, options);
  return results.map((result, i) => {
    const read = reads[i]!;
    // Only a descriptor is a subject: a manifest may hold anything there (a tag's name, which would be fetched as a tag).
    const subject = read.manifest.subject;
    return { ...result, descriptor: read.descriptor, subject: descriptorProblem(subject) ? undefined : subject };
  });
}
