// What `manifest push` checks before it sends a manifest written by hand: the linter's rules, and each descriptor
// against the destination (is the blob or manifest there, with that size?). A registry takes a manifest whose
// layer size is wrong, and a layout takes one whose blobs are missing: neither can be pulled afterwards.
import { decodeDocument, lint, lintWithStore, LineColumns, targetBlobStore, type Problem } from '../core/lint';
import type { BlobStatter, ReadOnlyTarget } from '../core/content';
import { isIndex, type Manifest } from '../core/oci';

/** Beyond this many descriptors (a large index) only the document itself is checked: one request each. */
export const MAX_DESCRIPTORS_LOOKED_UP = 256;

export interface ManifestCheck {
  /** `file:line:col severity code message`, as `stowage lint` prints them; errors and warnings only. */
  lines: string[];
  errors: number;
}

export async function checkManifestBeforePush(
  bytes: Buffer,
  name: string,
  hints: { mediaType: string; manifest: Manifest },
  target: ReadOnlyTarget & Partial<BlobStatter>,
  signal: AbortSignal,
): Promise<ManifestCheck> {
  const document = decodeDocument(bytes);
  const context = { mediaType: hints.mediaType };
  let problems: Problem[];
  if (target.statBlob && descriptorCount(hints.manifest) <= MAX_DESCRIPTORS_LOOKED_UP) {
    const store = targetBlobStore(target as ReadOnlyTarget & BlobStatter, { signal });
    try {
      problems = await lintWithStore(document, store, context, { signal });
    } catch (err) {
      // A store that will not say (a HEAD refused): the registry still checks what it checks.
      if (signal.aborted) throw err;
      problems = lint(document, context);
    }
  } else {
    problems = lint(document, context);
  }
  const shown = problems.filter((p) => p.severity !== 'info');
  const lines = new LineColumns(document.text);
  return {
    lines: shown.map((p) => {
      const { line, column } = lines.at(p.offset);
      return `${name}:${line + 1}:${column + 1} ${p.severity} ${p.code} ${p.message}`;
    }),
    errors: shown.filter((p) => p.severity === 'error').length,
  };
}

function descriptorCount(manifest: Manifest): number {
  const subject = manifest.subject ? 1 : 0;
  if (isIndex(manifest)) return manifest.manifests.length + subject;
  return 1 + (Array.isArray(manifest.layers) ? manifest.layers.length : 0) + subject;
}
