// SBOMs for artifacts in a store: generated from the files the manifest lists, and attached as referrers
// after their type is detected from the content and the document validated.
import { type Descriptor, isIndex, titleOf, algorithmOf, encodedOf, OciError } from '../oci';
import { detectSbomType, generateSbom, sbomMediaType, validateSbom, type SbomFile, type SbomType } from '../sbom';
import type { Target } from '../content';
import { withConventionalTitles } from '../files';
import { attachBytes } from './attachBytes';

/**
 * An SBOM of the artifact `subject` names: each titled layer a file (name, size, SHA-256), a Helm chart's under the
 * names `helm pull` gives them, plus the subject.
 */
export async function generateArtifactSbom(
  target: Target,
  reference: string,
  subject: Descriptor,
  format: SbomType,
  options: { created?: Date; signal?: AbortSignal } = {},
): Promise<Buffer> {
  const fetched = await target.fetchManifest(subject, { signal: options.signal });
  // A Helm chart's layers are untitled: its chart is listed as `helm pull` names the file.
  const named = await withConventionalTitles(fetched.manifest, target, options.signal);
  const files: SbomFile[] = [];
  if (!isIndex(named)) {
    for (const layer of named.layers) {
      const title = titleOf(layer);
      // SBOM file checksums here are SHA-256: a layer under another algorithm has none to give.
      if (!title || algorithmOf(layer.digest) !== 'sha256') continue;
      files.push({ name: title, size: layer.size, sha256: encodedOf(layer.digest), mediaType: layer.mediaType });
    }
  }
  return generateSbom({ reference, descriptor: fetched.descriptor, manifest: fetched.manifest }, files, format, {
    created: options.created,
  });
}

export interface AttachSbomResult {
  descriptor: Descriptor;
  type: SbomType;
}

/** The type of an SPDX or CycloneDX JSON document; fails naming its first problems when it is not valid. */
export async function checkSbom(bytes: Buffer): Promise<SbomType> {
  const type = detectSbomType(bytes);
  if (!type) throw new OciError('USAGE', 'the document is neither SPDX JSON nor CycloneDX JSON');
  const problems = await validateSbom(bytes);
  if (problems.length) {
    const shown = problems
      .slice(0, 5)
      .map((p) => `${p.path || '/'}: ${p.message}`)
      .join('; ');
    throw new OciError(
      'INVALID_CONTENT',
      `the ${type === 'spdx' ? 'SPDX' : 'CycloneDX'} document is not valid (${problems.length} problem${problems.length === 1 ? '' : 's'}): ${shown}`,
    );
  }
  return type;
}

/** Validates `bytes` as SPDX or CycloneDX JSON and attaches it to `subject` under the matching artifactType. */
export async function attachSbom(
  target: Target,
  subject: Descriptor,
  bytes: Buffer,
  options: { fileName?: string; signal?: AbortSignal } = {},
): Promise<AttachSbomResult> {
  const type = await checkSbom(bytes);
  const mediaType = sbomMediaType(type);
  const title = options.fileName ?? (type === 'spdx' ? 'sbom.spdx.json' : 'sbom.cdx.json');
  const descriptor = await attachBytes(target, subject, {
    artifactType: mediaType,
    documents: [{ title, mediaType, bytes }],
    signal: options.signal,
  });
  return { descriptor, type };
}
