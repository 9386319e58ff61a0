// A real in-memory store that also records what the graph walk asked of it: which blobs and manifests were pushed
// (and whether a walk's signal had aborted by then) and how many manifests were fetched. Instrumentation only: every
// call still goes to MemoryTarget.
import type { Readable } from 'node:stream';
import type {
  BlobContent,
  Cancellable,
  FetchedManifest,
  PushManifestResult,
  TransferOptions,
} from '../../../src/core/content';
import { MemoryTarget, type MemoryTargetOptions } from '../../../src/core/memory';
import type { Descriptor } from '../../../src/core/oci';

export class CountingTarget extends MemoryTarget {
  /** Digests of blobs stored, in order. */
  readonly blobPushes: string[] = [];
  /** Digests of manifests stored, in order, with the tag they were pushed under. */
  readonly manifestPushes: { digest: string; tag?: string }[] = [];
  manifestFetches = 0;
  blobFetches = 0;
  /** Called after each blob is stored (a test aborts a walk from here). */
  onBlobStored?: (descriptor: Descriptor) => void;

  constructor(options: MemoryTargetOptions = {}) {
    super(options);
  }

  override async pushBlob(descriptor: Descriptor, content: BlobContent, options?: TransferOptions): Promise<void> {
    await super.pushBlob(descriptor, content, options);
    this.blobPushes.push(descriptor.digest);
    this.onBlobStored?.(descriptor);
  }

  override async pushManifest(
    descriptor: Descriptor,
    bytes: Buffer,
    options?: { tag?: string; signal?: AbortSignal },
  ): Promise<PushManifestResult> {
    const result = await super.pushManifest(descriptor, bytes, options);
    this.manifestPushes.push({ digest: descriptor.digest, ...(options?.tag ? { tag: options.tag } : {}) });
    return result;
  }

  override async fetchManifest(ref: string | Descriptor, options?: Cancellable): Promise<FetchedManifest> {
    this.manifestFetches++;
    return super.fetchManifest(ref, options);
  }

  override async fetchBlob(descriptor: Descriptor, options?: TransferOptions): Promise<Readable> {
    this.blobFetches++;
    return super.fetchBlob(descriptor, options);
  }

  /** Manifests the walk pushed itself: not the fallback referrers indexes that graph code writes under sha256-… */
  get copiedManifests(): string[] {
    return this.manifestPushes
      .filter((p) => !p.tag || !/^sha(256-[a-f0-9]{64}|512-[a-f0-9]{128})$/.test(p.tag))
      .map((p) => p.digest);
  }
}

export async function allTags(target: MemoryTarget): Promise<string[]> {
  const tags: string[] = [];
  for await (const page of target.listTags()) tags.push(...page);
  return tags.sort();
}
