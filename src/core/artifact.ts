// Files as artifacts over the one graph walk: push (and attach) pack files into a staged graph that copy()
// moves to any Target; pull reads a manifest from any Target and unpacks its titled layers safely.
import { Readable } from 'node:stream';
import { copy, type CopyOptions, type CopyResult, type GraphSource } from './copy';
import { titleOf, type Descriptor } from './descriptor';
import { NotFoundError } from './errors';
import { buildArtifactManifest, packFiles, pullFiles, type ArtifactManifestOptions, type BuiltManifest, type PackedLayer, type PackInput, type PullOptions, type PullResult } from './files';
import type { BlobContent, FetchedManifest, Target, TransferOptions } from './target';

export interface PushArtifactOptions extends Omit<ArtifactManifestOptions, 'layers'>, Pick<CopyOptions, 'tag' | 'concurrency' | 'onProgress' | 'signal'> {
  /** Where folder archives are staged (default: the system temp folder). */
  stagingDir?: string;
  /** Extra annotations per layer, keyed by the layer's title. */
  layerAnnotations?: Record<string, Record<string, string>>;
}

export interface PushArtifactResult extends CopyResult {
  manifest: BuiltManifest;
}

/** Packs `inputs` (files and folders) into an artifact and pushes it to `dst`; with `subject`, it is a referrer. */
export async function pushArtifact(dst: Target, inputs: (string | PackInput)[], options: PushArtifactOptions = {}): Promise<PushArtifactResult> {
  const packed = await packFiles(inputs, { signal: options.signal, stagingDir: options.stagingDir });
  try {
    const layers = packed.layers.map((l) => withLayerAnnotations(l.descriptor, options.layerAnnotations));
    const built = buildArtifactManifest({ ...options, layers });
    const source = new StagedArtifact(built, packed.layers);
    const result = await copy(source, built.descriptor, dst, { tag: options.tag, concurrency: options.concurrency, onProgress: options.onProgress, signal: options.signal });
    return { ...result, manifest: built };
  } finally {
    await packed.cleanup();
  }
}

function withLayerAnnotations(descriptor: Descriptor, byTitle: PushArtifactOptions['layerAnnotations']): Descriptor {
  const extra = byTitle?.[titleOf(descriptor) ?? ''];
  return extra ? { ...descriptor, annotations: { ...extra, ...descriptor.annotations } } : descriptor;
}

/** Pulls the titled layers of the manifest `ref` names into `dir` (staged, verified, then moved into place). */
export async function pullArtifact(src: Target, ref: string | Descriptor, dir: string, options: PullOptions = {}): Promise<PullResult & { descriptor: Descriptor }> {
  const fetched = await src.fetchManifest(ref, options.signal);
  const result = await pullFiles(fetched.manifest, (descriptor, blobOptions) => src.fetchBlob(descriptor, blobOptions), dir, options);
  return { ...result, descriptor: fetched.descriptor };
}

/** A graph that exists only as staged files and one manifest in memory: the source side of a push. */
class StagedArtifact implements GraphSource {
  readonly location = 'local files';
  private readonly blobs = new Map<string, BlobContent>();

  constructor(private readonly built: BuiltManifest, layers: PackedLayer[]) {
    this.blobs.set(built.config.descriptor.digest, built.config.content);
    for (const layer of layers) this.blobs.set(layer.descriptor.digest, layer.content);
  }

  async fetchManifest(ref: string | Descriptor): Promise<FetchedManifest> {
    const digest = typeof ref === 'string' ? ref : ref.digest;
    if (digest !== this.built.descriptor.digest) throw new NotFoundError(`manifest ${digest} in ${this.location}`);
    return { descriptor: this.built.descriptor, bytes: this.built.bytes, manifest: this.built.manifest };
  }

  async fetchBlob(descriptor: Descriptor, options: TransferOptions = {}): Promise<Readable> {
    const content = this.blobs.get(descriptor.digest);
    if (!content) throw new NotFoundError(`blob ${descriptor.digest} in ${this.location}`);
    return content(0, options.signal);
  }
}
