// Document-level rules for manifests and indexes: schemaVersion, the declared mediaType, size, artifactType,
// empty layer lists and subjects.
import { Buffer } from 'node:buffer';
import { EMPTY_DIGEST, MAX_MANIFEST_BYTES, MediaType, isManifestOrIndex } from '../../oci';
import { isIndexKind, isManifestKind, isObject, KIND_NAMES, type DocumentKind } from '../detect';
import { replaceValueFix, setValueFix } from '../fixes';
import type { RuleContext } from './context';

/** ORAS's default artifact type: a valid placeholder the user is expected to edit. */
export const PLACEHOLDER_ARTIFACT_TYPE = 'application/vnd.unknown.artifact.v1';

const EXPECTED_MEDIA_TYPE: Partial<Record<DocumentKind, string>> = {
  ociManifest: MediaType.ociManifest,
  ociIndex: MediaType.ociIndex,
  layoutIndex: MediaType.ociIndex,
  dockerManifest: MediaType.dockerManifest,
  dockerManifestList: MediaType.dockerManifestList,
};

export function documentRules(context: RuleContext): void {
  const { kind } = context;
  if (!isManifestKind(kind) && !isIndexKind(kind)) return;
  schemaVersion(context);
  declaredMediaType(context);
  manifestSize(context);
  if (kind === 'ociManifest') {
    emptyImageConfig(context);
    artifactTypeForEmptyConfig(context);
    emptyLayers(context);
  }
  subject(context);
}

function schemaVersion({ document, locator, text, report }: RuleContext): void {
  const value = document.schemaVersion;
  if (value === undefined) {
    report(
      'error',
      'schema-version',
      'schemaVersion is missing; it must be 2.',
      ['schemaVersion'],
      locator.missing(['schemaVersion']),
      setValueFix('Add "schemaVersion": 2', text, ['schemaVersion'], 2),
    );
  } else if (value !== 2) {
    report(
      'error',
      'schema-version',
      `schemaVersion is ${JSON.stringify(value)}; it must be 2.`,
      ['schemaVersion'],
      undefined,
      replaceValueFix('Set schemaVersion to 2', locator, ['schemaVersion'], 2),
    );
  }
}

function declaredMediaType({ document, kind, locator, text, report }: RuleContext): void {
  const expected = EXPECTED_MEDIA_TYPE[kind]!;
  const declared = document.mediaType;
  if (declared === undefined) {
    // Skopeo and others write layout index.json without mediaType; elsewhere it is expected (Docker: required).
    if (kind === 'layoutIndex') return;
    const docker = kind === 'dockerManifest' || kind === 'dockerManifestList';
    report(
      docker ? 'error' : 'warning',
      'media-type-missing',
      `mediaType is missing; this ${KIND_NAMES[kind]} should declare "${expected}" so readers need not guess.`,
      ['mediaType'],
      locator.missing(['mediaType']),
      setValueFix(`Add "mediaType": "${expected}"`, text, ['mediaType'], expected, ['schemaVersion']),
    );
  } else if (declared !== expected && typeof declared === 'string') {
    report(
      'error',
      'media-type-mismatch',
      `mediaType "${declared}" does not match the content (${KIND_NAMES[kind]}); it must be "${expected}".`,
      ['mediaType'],
      undefined,
      replaceValueFix(`Set mediaType to "${expected}"`, locator, ['mediaType'], expected),
    );
  }
}

function manifestSize({ text, kind, locator, report }: RuleContext): void {
  // A layout's index.json is never pushed as it is; manifests and indexes are.
  if (kind === 'layoutIndex') return;
  // Cheap upper bound first: UTF-8 needs at most 3 bytes per UTF-16 unit.
  if (text.length * 3 <= MAX_MANIFEST_BYTES) return;
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_MANIFEST_BYTES)
    report('error', 'manifest-too-large', manifestTooLargeMessage(KIND_NAMES[kind], bytes), [], locator.start());
}

/** Shared with layout validation, which reports oversized manifest blobs without reading them. */
export function manifestTooLargeMessage(what: string, bytes: number): string {
  return (
    `This ${what} is ${bytes.toLocaleString('en-US')} bytes, over the ${MAX_MANIFEST_BYTES.toLocaleString('en-US')}-byte (4 MiB) limit ` +
    "registries enforce on manifests (distribution's default): pushing it will be refused. Move large content into a blob."
  );
}

function artifactTypeForEmptyConfig({ document, locator, text, report }: RuleContext): void {
  const config = document.config;
  if (!isObject(config) || config.mediaType !== MediaType.ociEmpty || document.artifactType !== undefined) return;
  report(
    'error',
    'artifact-type-missing',
    `artifactType is required when config.mediaType is "${MediaType.ociEmpty}".`,
    ['artifactType'],
    locator.value(['config', 'mediaType']),
    setValueFix(`Add "artifactType" (then edit it)`, text, ['artifactType'], PLACEHOLDER_ARTIFACT_TYPE, [
      'mediaType',
      'schemaVersion',
    ]),
  );
}

/**
 * A config declared as an image configuration whose content is the empty blob `{}`: an artifact written after an
 * image manifest. `{}` has no os, architecture or rootfs, so every runtime that pulls it as an image fails.
 */
function emptyImageConfig({ document, locator, report }: RuleContext): void {
  const config = document.config;
  if (!isObject(config) || config.mediaType !== MediaType.ociConfig || config.digest !== EMPTY_DIGEST) return;
  report(
    'error',
    'config-empty-image',
    `config.mediaType says an image configuration, but config is the empty blob {} (no os, architecture or rootfs): ` +
      `an artifact without a configuration uses "${MediaType.ociEmpty}" and names its type in artifactType.`,
    ['config', 'mediaType'],
    undefined,
    replaceValueFix(
      `Set config.mediaType to "${MediaType.ociEmpty}"`,
      locator,
      ['config', 'mediaType'],
      MediaType.ociEmpty,
    ),
  );
}

function emptyLayers({ document, locator, report }: RuleContext): void {
  if (!Array.isArray(document.layers) || document.layers.length > 0) return;
  report(
    'info',
    'layers-empty',
    'layers is empty: valid for artifacts, but for portability image-spec suggests one layer (the empty descriptor).',
    ['layers'],
    locator.key(['layers']),
  );
}

function subject({ document, report }: RuleContext): void {
  const value = document.subject;
  if (!isObject(value) || typeof value.mediaType !== 'string') return;
  if (!isManifestOrIndex(value.mediaType)) {
    report('error', 'subject-not-manifest', `subject must point to a manifest or an index, not "${value.mediaType}".`, [
      'subject',
      'mediaType',
    ]);
  }
}
