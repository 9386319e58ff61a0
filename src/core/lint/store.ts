// Layout-aware checks: do the referenced blobs exist, with the declared size and digest? The store is an
// interface so the layout store (or a registry) plugs in; lint() itself stays synchronous and pure.
import { isDigest } from '../oci';
import { descriptorSites, type DescriptorSite } from './descriptors';
import { analyse, sorted, type LintContext, type LintInput } from './lint';
import { formatPath } from './paths';
import type { Problem, Severity } from './problem';

export interface BlobStore {
  /** Where the blobs are, for messages ("127.0.0.1:5000/app"); "the store" when not given. */
  readonly where?: string;
  /** Size in bytes of the stored blob, or undefined when there is none. */
  blobSize(digest: string): Promise<number | undefined>;
  /**
   * Size of the stored manifest or index (an index entry, a subject), or undefined when there is none; a store
   * that keeps manifests apart from blobs (a registry) answers here. Default: blobSize.
   */
  manifestSize?(digest: string): Promise<number | undefined>;
  /** Digest (same algorithm) of the bytes stored under `digest`; optional because it reads the whole blob. */
  computeDigest?(digest: string): Promise<string>;
}

export interface StoreLintOptions {
  signal?: AbortSignal;
  /** Blobs looked up at once (default 8). */
  concurrency?: number;
}

interface BlobFacts {
  size: number | undefined;
  actualDigest?: string;
}

export async function lintWithStore(
  input: LintInput,
  store: BlobStore,
  context: LintContext = {},
  options: StoreLintOptions = {},
): Promise<Problem[]> {
  const report = analyse(input, context);
  const { document, locator } = report;
  if (!document || !locator) return report.problems;
  const sites = descriptorSites(report.kind, document).filter(
    (site) => typeof site.value.digest === 'string' && isDigest(site.value.digest),
  );
  const facts = await lookUp(store, sites, options);
  const problems = [...report.problems];
  for (const site of sites) {
    const digest = site.value.digest as string;
    const found = facts.get(digest)!;
    const where = formatPath(site.path) || 'The descriptor';
    const problem = (severity: Severity, code: string, message: string, field: string): void => {
      const path = [...site.path, field];
      problems.push({ severity, code, message, path, ...locator.value(path) });
    };
    if (found.size === undefined) {
      if (report.kind === 'layoutIndex' && site.role === 'manifest') {
        problem('error', 'index-ref-missing', `${where} refers to ${digest}, which is not in the layout.`, 'digest');
      } else {
        // A subject may live elsewhere, foreign layers are fetched from their urls, data carries the content.
        const expectedElsewhere =
          site.role === 'subject' || site.value.urls !== undefined || site.value.data !== undefined;
        problem(
          expectedElsewhere ? 'warning' : 'error',
          'blob-missing',
          `${where}: blob ${digest} is not in ${store.where ?? 'the store'}.`,
          'digest',
        );
      }
    } else if (found.actualDigest !== undefined && found.actualDigest !== digest) {
      // Bytes that do not hash to their name were replaced or corrupted: their size says nothing about the
      // descriptor's, so a different size is not reported as the descriptor's mistake (nor fixed from the blob).
      const sizes =
        typeof site.value.size === 'number' && found.size !== site.value.size
          ? ` (${found.size} bytes, where the descriptor says ${site.value.size})`
          : '';
      problem(
        'error',
        'blob-digest-mismatch',
        `${where}: the content stored as ${digest} hashes to ${found.actualDigest}${sizes}: the blob was replaced or corrupted.`,
        'digest',
      );
    } else if (typeof site.value.size === 'number' && found.size !== site.value.size) {
      problem(
        'error',
        'blob-size-mismatch',
        `${where}: the stored blob has ${found.size} bytes, the descriptor says ${site.value.size}.`,
        'size',
      );
    }
  }
  return sorted(problems);
}

/** Looks every distinct digest up once, a few at a time. */
async function lookUp(
  store: BlobStore,
  sites: DescriptorSite[],
  options: StoreLintOptions,
): Promise<Map<string, BlobFacts>> {
  // A digest that names a manifest anywhere is looked up as one (a registry keeps manifests apart from blobs).
  const manifests = new Set(
    sites.filter((site) => site.role === 'manifest' || site.role === 'subject').map((s) => s.value.digest as string),
  );
  const digests = [...new Set(sites.map((site) => site.value.digest as string))];
  const facts = new Map<string, BlobFacts>();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < digests.length) {
      options.signal?.throwIfAborted();
      const digest = digests[next++]!;
      const size =
        manifests.has(digest) && store.manifestSize ? await store.manifestSize(digest) : await store.blobSize(digest);
      // Hashed whatever the descriptor's size: a size mismatch is only the descriptor's fault when the stored
      // bytes are the ones the digest names.
      const verify = size !== undefined && store.computeDigest;
      facts.set(digest, verify ? { size, actualDigest: await store.computeDigest!(digest) } : { size });
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 8, digests.length) }, worker));
  options.signal?.throwIfAborted();
  return facts;
}
