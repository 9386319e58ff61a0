// Files as artifacts over the one graph walk: push (and attach) pack files into a staged graph that copy()
// moves to any Target; pull reads a manifest from any Target and unpacks its titled layers safely.
import { Readable } from 'node:stream';
import { copy, type CopyOptions, type CopyProgress, type CopyResult } from '../graph';
import { titleOf, type Descriptor, NotFoundError } from '../oci';
import {
  buildArtifactManifest,
  packFiles,
  pullFiles,
  type ArtifactManifestOptions,
  type BuiltManifest,
  type PackedLayer,
  type PackInput,
  type PullOptions,
  type PullResult,
} from '.';
import {
  isUnhashedBlobPusher,
  type BlobContent,
  type BlobFileSource,
  type FetchedManifest,
  type ReadOnlyTarget,
  type Target,
  type TransferOptions,
} from '../content';

export interface PushArtifactOptions
  extends Omit<ArtifactManifestOptions, 'layers'>, Pick<CopyOptions, 'tag' | 'concurrency' | 'onProgress' | 'signal'> {
  /** Where folder archives are staged (default: the system temp folder). */
  stagingDir?: string;
  /** Extra annotations per layer, keyed by the layer's title. */
  layerAnnotations?: Record<string, Record<string, string>>;
  /** Pack `.git` folders, `.env` files, private keys… too (refused by default: see files/sensitiveFiles.ts). */
  allowSensitiveFiles?: boolean;
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
  const early = new EarlyStores(options.onProgress);
  const store = isUnhashedBlobPusher(dst)
    ? {
        minSize: STORE_WHILE_HASHING_FROM,
        blob: (content: BlobContent, size: number, signal?: AbortSignal) =>
          early.track(size, (onBytes) => dst.pushUnhashedBlob(content, { expectedSize: size, signal, onBytes })),
      }
    : undefined;
  const packed = await packFiles(inputs, {
    signal: options.signal,
    stagingDir: options.stagingDir,
    store,
    allowSensitiveFiles: options.allowSensitiveFiles,
  });
  try {
    const layers = packed.layers.map((l) => withLayerAnnotations(l.descriptor, options.layerAnnotations));
    const built = buildArtifactManifest({ ...options, layers });
    const source = new StagedArtifact(built, packed.layers);
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

/** Pulls the titled layers of the manifest `ref` names into `dir` (staged, verified, then moved into place). */
export async function pullArtifact(
  src: Target,
  ref: string | Descriptor,
  dir: string,
  options: PullOptions = {},
): Promise<PullResult & { descriptor: Descriptor }> {
  const fetched = await src.fetchManifest(ref, options.signal);
  const result = await pullFiles(fetched.manifest, src, dir, options);
  return { ...result, descriptor: fetched.descriptor };
}

/** A graph that exists only as staged files and one manifest in memory: the source side of a push. */
class StagedArtifact implements ReadOnlyTarget, BlobFileSource {
  readonly location = 'local files';
  private readonly blobs = new Map<string, BlobContent>();

  constructor(
    private readonly built: BuiltManifest,
    layers: PackedLayer[],
  ) {
    this.blobs.set(built.config.descriptor.digest, built.config.content);
    for (const layer of layers) this.blobs.set(layer.descriptor.digest, layer.content);
  }

  /** The one manifest, by its digest: a staged graph has no tags. */
  async resolve(tagOrDigest: string): Promise<Descriptor> {
    if (tagOrDigest !== this.built.descriptor.digest)
      throw new NotFoundError(`manifest ${tagOrDigest} in ${this.location}`);
    return this.built.descriptor;
  }

  async fetchManifest(ref: string | Descriptor): Promise<FetchedManifest> {
    const descriptor = await this.resolve(typeof ref === 'string' ? ref : ref.digest);
    return { descriptor, bytes: this.built.bytes, manifest: this.built.manifest };
  }

  async exists(descriptor: Descriptor): Promise<boolean> {
    return descriptor.digest === this.built.descriptor.digest || this.blobs.has(descriptor.digest);
  }

  async blobFile(descriptor: Descriptor): Promise<string | undefined> {
    return this.blobs.get(descriptor.digest)?.file;
  }

  async fetchBlob(descriptor: Descriptor, options: TransferOptions = {}): Promise<Readable> {
    const content = this.blobs.get(descriptor.digest);
    if (!content) throw new NotFoundError(`blob ${descriptor.digest} in ${this.location}`);
    return content(0, options.signal);
  }
}
