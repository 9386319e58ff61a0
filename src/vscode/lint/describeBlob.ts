// What a digest resolves to in an image layout: the blob file, its size, and for a small JSON blob the kind of
// document it is (manifest, index, config) with its media type.
import { promises as fs } from 'node:fs';
import { detectKind, KIND_NAMES, type LayoutBlobStore } from '../../core/lint';
import { MAX_MANIFEST_BYTES } from '../../core/oci';

export interface BlobDescription {
  file: string;
  size: number;
  /** e.g. "OCI image manifest" */
  kind?: string;
  mediaType?: string;
  artifactType?: string;
}

export async function describeBlob(store: LayoutBlobStore, digest: string): Promise<BlobDescription | undefined> {
  const file = store.blobPath(digest);
  const size = await store.blobSize(digest);
  if (!file || size === undefined) return undefined;
  const description: BlobDescription = { file, size };
  if (size > MAX_MANIFEST_BYTES) return description;
  let value: unknown;
  try {
    value = JSON.parse(await fs.readFile(file, 'utf8'));
  } catch {
    return description;
  }
  const kind = detectKind(value);
  if (kind === 'unknown') return description;
  const record = value as Record<string, unknown>;
  description.kind = KIND_NAMES[kind];
  if (typeof record.mediaType === 'string') description.mediaType = record.mediaType;
  if (typeof record.artifactType === 'string') description.artifactType = record.artifactType;
  return description;
}
