// Manifest reads of one store shared among lookups that want the same manifests: the editor's tag list asks each
// tag's manifest for its creation time (the "recent" order) and again for its description, and each tag cost two
// GETs. Here a tag or digest is fetched once: a read in flight is joined, a result is kept until forget() (the
// list is refreshed: a tag may have moved), within a byte budget (oldest dropped first: a hostile registry's
// 4 MiB manifests must not pile up). A failed read is not kept, so the next lookup tries again. What is kept is the
// raw bytes, parsed again for each later lookup: a parsed manifest takes several times its bytes on the JS heap,
// and a `verify --all-tags` over thousands of tags kept ~10 MiB of them alive, which the heap grew to hold.
//
// The shared read runs under this object's own signal (aborted by forget), not a caller's: one caller giving up
// must not fail the others. Each caller still stops waiting when its own signal aborts; the owner's signal (one
// `verify` run sharing reads among its checks) stops every read when the whole run is cancelled.
import { AbortedError, isDigest, type Descriptor } from '../oci';
import { parseManifestBytes } from './parseManifest';
import type { Cancellable, FetchedManifest, ReadOnlyTarget } from './target';

/** A read done: its bytes, known by the tag or digest asked and by its digest. */
interface KeptManifest {
  keys: string[];
  descriptor: Descriptor;
  bytes: Buffer;
}

/** Manifest bytes kept at most; typical manifests are a few KiB, so thousands fit. */
export const MAX_SHARED_MANIFEST_BYTES = 16 * 1024 * 1024;

export class SharedManifestReads {
  /** Reads in flight, joined by lookups of the same tag or digest. */
  private readonly reads = new Map<string, Promise<FetchedManifest>>();
  private readonly kept = new Map<string, KeptManifest>();
  /** Reads done, oldest first: what the byte budget drops from. */
  private readonly done: KeptManifest[] = [];
  private keptBytes = 0;
  private aborts = new AbortController();
  /** The store, with fetchManifest shared: hand this to every lookup that should share reads. */
  readonly target: ReadOnlyTarget;

  constructor(
    private readonly store: ReadOnlyTarget,
    /** Aborted when whatever shares these reads is cancelled: reads in flight stop, none start. */
    private readonly owner: Cancellable = {},
  ) {
    owner.signal?.addEventListener('abort', () => this.forget(), { once: true });
    this.target = {
      location: store.location,
      resolve: (tagOrDigest, options) => store.resolve(tagOrDigest, options),
      fetchBlob: (descriptor, options) => store.fetchBlob(descriptor, options),
      exists: (descriptor, options) => store.exists(descriptor, options),
      fetchManifest: (ref, options) => this.fetchManifest(ref, options),
    };
  }

  fetchManifest(ref: string | Descriptor, options: Cancellable = {}): Promise<FetchedManifest> {
    const ownerSignal = this.owner.signal;
    if (ownerSignal?.aborted) return Promise.reject(new AbortedError({ cause: ownerSignal.reason }));
    const key = typeof ref === 'string' ? (isDigest(ref) ? ref : `tag:${ref}`) : ref.digest;
    const kept = this.kept.get(key);
    let read = kept ? Promise.resolve(parsed(kept)) : this.reads.get(key);
    if (!read) {
      const started = this.store.fetchManifest(ref, { signal: this.aborts.signal });
      read = started;
      this.reads.set(key, started);
      started.then(
        (fetched) => {
          if (this.reads.get(key) !== started) return; // forgotten meanwhile
          this.reads.delete(key);
          // A tag's manifest is then known by its digest too (a referrer or a second tag naming it).
          this.keep({ keys: [key, fetched.descriptor.digest], descriptor: fetched.descriptor, bytes: fetched.bytes });
        },
        () => {
          if (this.reads.get(key) === started) this.reads.delete(key);
        },
      );
    }
    return options.signal ? untilAborted(read, options.signal) : read;
  }

  private keep(entry: KeptManifest): void {
    for (const key of entry.keys) this.kept.set(key, entry);
    this.done.push(entry);
    this.keptBytes += entry.bytes.length;
    while (this.keptBytes > MAX_SHARED_MANIFEST_BYTES && this.done.length) {
      const oldest = this.done.shift()!;
      this.keptBytes -= oldest.bytes.length;
      for (const key of oldest.keys) if (this.kept.get(key) === oldest) this.kept.delete(key);
    }
  }

  /** Drops every read kept and stops those in flight (the list they served was refreshed). */
  forget(): void {
    this.aborts.abort(new AbortedError());
    this.aborts = new AbortController();
    this.reads.clear();
    this.kept.clear();
    this.done.length = 0;
    this.keptBytes = 0;
  }
}

/** A kept read as fetchManifest answers it: parsed anew (the bytes parsed once already, so this cannot fail). */
function parsed({ descriptor, bytes }: KeptManifest): FetchedManifest {
  return { descriptor, bytes, manifest: parseManifestBytes(bytes, `manifest ${descriptor.digest}`) };
}

function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new AbortedError({ cause: signal.reason }));
  return new Promise<T>((resolve, reject) => {
    const stop = () => reject(new AbortedError({ cause: signal.reason }));
    signal.addEventListener('abort', stop, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', stop);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', stop);
        reject(err);
      },
    );
  });
}
