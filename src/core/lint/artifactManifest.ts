// The OCI artifact manifest (`application/vnd.oci.artifact.manifest.v1+json`, `blobs` instead of `layers`, no
// schemaVersion) was in image-spec's 1.1 release candidates and dropped before 1.1.0; registries refuse it. Posts
// and tools of 2022–23 still write it. It is named as such, with a fix that rewrites it as the image manifest that
// replaced it (empty config, `layers`, artifactType kept), instead of "not recognised".
import { applyEdits, modify } from 'jsonc-parser';
import { EMPTY_DESCRIPTOR, MediaType } from '../oci';
import { formattingOf } from './fixes';
import type { Locator } from './positions';
import type { Fix, Problem } from './problem';

export const ARTIFACT_MANIFEST_TYPE = 'application/vnd.oci.artifact.manifest.v1+json';
export const ARTIFACT_MANIFEST_CODE = 'artifact-manifest';

export function isArtifactManifest(value: Record<string, unknown>): boolean {
  return value.mediaType === ARTIFACT_MANIFEST_TYPE;
}

export function artifactManifestProblem(text: string, value: Record<string, unknown>, locator: Locator): Problem {
  return {
    severity: 'error',
    code: ARTIFACT_MANIFEST_CODE,
    message:
      `"${ARTIFACT_MANIFEST_TYPE}" (the OCI artifact manifest) was dropped from image-spec before 1.1 and registries ` +
      `refuse it: write an image manifest ("${MediaType.ociManifest}", "schemaVersion": 2, the empty descriptor ` +
      'as config, "layers" for "blobs", artifactType kept).',
    path: ['mediaType'],
    ...locator.value(['mediaType']),
    fix: asImageManifest(text, value),
  };
}

function asImageManifest(text: string, value: Record<string, unknown>): Fix {
  const formattingOptions = formattingOf(text);
  const set = (current: string, path: string, newValue: unknown, after: readonly string[] = []) =>
    applyEdits(
      current,
      modify(current, [path], newValue, {
        formattingOptions,
        getInsertionIndex: (properties) => {
          for (const name of after) {
            const index = properties.indexOf(name);
            if (index >= 0) return index + 1;
          }
          return 0;
        },
      }),
    );
  const { mediaType, digest, size } = EMPTY_DESCRIPTOR;
  let converted = set(text, 'mediaType', MediaType.ociManifest);
  converted = set(converted, 'schemaVersion', 2);
  converted = set(converted, 'config', { mediaType, digest, size }, ['artifactType', 'mediaType']);
  if (value.blobs !== undefined) {
    converted = set(converted, 'blobs', undefined);
    converted = set(converted, 'layers', value.blobs, ['config']);
  } else if (value.layers === undefined) {
    converted = set(converted, 'layers', [], ['config']);
  }
  return {
    title: 'Rewrite as an image manifest (image-spec 1.1)',
    edits: [{ offset: 0, length: text.length, newText: converted }],
  };
}
