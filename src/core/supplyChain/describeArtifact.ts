// What an artifact is, in words a person reads at a glance: "Notary signature · CN=Stowage Demo · 2026-12-05",
// "Helm chart · webapp 0.1.0+build.7 · app 1.16.0" (from its config: a chart's tag has "_" for "+"),
// "SPDX SBOM · content 2.5 KiB" (its document's size, labelled: hovers and the graph show the manifest's own),
// "in-toto attestation · https://slsa.dev/provenance/v1". The descriptor alone names the kind of most referrers;
// the details need the manifest (and, for a Notary signature, its small envelope), so this fetches them.
// Every detail comes from the store and is untrusted: callers show it as plain text only.
import {
  Annotation,
  type Descriptor,
  formatContentSize,
  isIndex,
  MAX_DETAIL_LENGTH,
  type ImageIndex,
  type Manifest,
  MediaType,
} from '../oci';
import type { Cancellable, ReadOnlyTarget } from '../content';
import {
  ARTIFACT_KIND_LABELS,
  artifactKindOfManifest,
  COSIGN_TAG_TYPES,
  type ArtifactKind,
  type HelmChartMetadata,
  readHelmChartMetadata,
  readWasmConfig,
} from '../graph';
import { NotaryHeader, parseEnvelope } from '../sign';
import { readSmallBlob } from '../content';
import { predicateTypesOf, statementTypes } from './predicateTypes';

export interface ArtifactDescription {
  /** The manifest described (a tag resolved now). */
  descriptor: Descriptor;
  kind: ArtifactKind;
  /** "Notary signature", "Helm chart"… */
  kindLabel: string;
  /** The kind's details, most telling first: signer, date, size, predicate type, artifact type. */
  details: string[];
  /**
   * Bytes of the config and layers a manifest names (as stored: compressed layers count compressed); absent for an
   * index, whose size is its manifests' and would cost a read of each.
   */
  contentBytes?: number;
  /**
   * An index's platform manifests (its attestation entries left out): a view that has read them (a user expanded the
   * index) sums their content without a request of its own.
   */
  platformManifests?: string[];
}

/**
 * A Notary envelope with a certificate chain, or an in-toto statement, is a few KiB; anything far larger is not read
 * to name a row (the audit reads statements up to 4 MiB).
 */
const MAX_ENVELOPE_BYTES = 256 * 1024;
/**
 * How long one such read may take when it only names a row: a registry trickling its bytes held a tree's row labels
 * for minutes under the 120 s a document read gets (four rows described at a time, up to two reads each).
 */
export const NAMING_READ_DEADLINE_MS = 15_000;

/** Describes the manifest a descriptor (with the annotations a referrers list gives it) or a tag names. */
export async function describeArtifact(
  target: ReadOnlyTarget,
  ref: Descriptor | string,
  options: Cancellable = {},
): Promise<ArtifactDescription> {
  const fetched = await target.fetchManifest(ref, options);
  const descriptor = typeof ref === 'string' ? fetched.descriptor : { ...fetched.descriptor, ...ref };
  return { ...(await describeManifest(target, descriptor, fetched.manifest, options)), descriptor: fetched.descriptor };
}

/** Describes `manifest`, already read (as `descriptor` names it), without reading it again. */
export async function describeManifest(
  target: ReadOnlyTarget,
  descriptor: Descriptor,
  manifest: Manifest,
  options: Cancellable = {},
): Promise<ArtifactDescription> {
  const kind = artifactKindOfManifest(descriptor, manifest);
  const details = await detailsOf(kind, target, descriptor, manifest, options);
  const contentBytes = isIndex(manifest) ? undefined : contentBytesOf(manifest);
  const platformManifests = isIndex(manifest) ? platformManifestsOf(manifest) : undefined;
  return {
    descriptor,
    kind,
    kindLabel: ARTIFACT_KIND_LABELS[kind],
    details: details.filter((d): d is string => !!d).map(keptDetail),
    ...(contentBytes !== undefined ? { contentBytes } : {}),
    ...(platformManifests ? { platformManifests } : {}),
  };
}

/** The digests of an index's entries that are images of a platform: BuildKit's attestation entries are not. */
function platformManifestsOf(index: ImageIndex): string[] | undefined {
  const entries = Array.isArray(index.manifests) ? index.manifests : [];
  const digests = entries
    .filter((d) => typeof d?.digest === 'string')
    .filter((d) => d.annotations?.['vnd.docker.reference.type'] !== 'attestation-manifest')
    .map((d) => d.digest);
  return digests.length ? [...new Set(digests)] : undefined;
}

/** The config's and layers' sizes summed; undefined when one is no whole number (the manifest is anyone's). */
function contentBytesOf(manifest: Manifest): number | undefined {
  if (isIndex(manifest)) return undefined;
  const sizes = [manifest.config?.size, ...(manifest.layers ?? []).map((layer) => layer.size)];
  let total = 0;
  for (const size of sizes) {
    if (size === undefined) continue;
    if (!Number.isSafeInteger(size) || size < 0) return undefined;
    total += size;
  }
  return Number.isSafeInteger(total) ? total : undefined;
}

async function detailsOf(
  kind: ArtifactKind,
  target: ReadOnlyTarget,
  descriptor: Descriptor,
  manifest: Manifest,
  options: Cancellable,
): Promise<(string | undefined)[]> {
  const created = dateOf(descriptor.annotations?.[Annotation.created] ?? manifest.annotations?.[Annotation.created]);
  const layers = isIndex(manifest) ? [] : (manifest.layers ?? []);
  switch (kind) {
    case 'notary-signature': {
      const signer = await notarySigner(target, layers, options);
      return [signer?.subject, signer?.signingTime ?? created];
    }
    case 'cosign-signature':
      return [
        descriptor.artifactType === MediaType.sigstoreBundle || manifest.artifactType === MediaType.sigstoreBundle
          ? '(bundle)'
          : undefined,
        predicateTypesOf(manifest, [])[0],
        created,
      ];
    case 'spdx-sbom':
    case 'cyclonedx-sbom':
    case 'sbom':
      return [
        layers.length ? formatContentSize(layers.reduce((sum, layer) => sum + layer.size, 0)) : undefined,
        created,
      ];
    case 'in-toto-attestation':
    case 'buildx-attestation':
    case 'attestation':
      return [await predicateTypeOf(target, descriptor, manifest, options), created];
    case 'helm-chart': {
      const chart = await helmChartOf(target, manifest, options);
      return [chart && `${chart.name} ${chart.version}`, chart?.appVersion && `app ${chart.appVersion}`, created];
    }
    case 'wasm': {
      // The CNCF layout's config: the WASI version, and the world a component targets.
      const wasm = await quietly(() => readWasmConfig(target, manifest, options.signal), options);
      return [wasm?.os, wasm?.target, created ?? dateOf(wasm?.created)];
    }
    case 'flux-artifact':
      // Flux writes where the manifests came from: the revision ("main@sha1:…") tells one push from the next.
      return [annotationOf(descriptor, manifest, Annotation.revision), created];
    case 'image-index':
      return [isIndex(manifest) ? platformsOf(manifest.manifests.length) : undefined, created];
    case 'other':
      return [descriptor.artifactType ?? (isIndex(manifest) ? undefined : manifest.artifactType), created];
    default:
      return [created];
  }
}

/** The chart's name and versions from its config; a chart whose config cannot be read is named by its kind alone. */
function helmChartOf(
  target: ReadOnlyTarget,
  manifest: Manifest,
  options: Cancellable,
): Promise<HelmChartMetadata | undefined> {
  return quietly(() => readHelmChartMetadata(target, manifest, options.signal), options);
}

/** A detail read from a config: one that cannot be read leaves the artifact named by its kind alone. */
async function quietly<T>(read: () => Promise<T | undefined>, options: Cancellable): Promise<T | undefined> {
  try {
    return await read();
  } catch (err) {
    if (options.signal?.aborted) throw err;
    return undefined;
  }
}

function annotationOf(descriptor: Descriptor, manifest: Manifest, key: string): string | undefined {
  return descriptor.annotations?.[key] ?? manifest.annotations?.[key];
}

/**
 * A detail cut to MAX_DETAIL_LENGTH, in a string of its own: a slice of a long string can keep the whole of it
 * alive (V8 slices share their parent's characters), so the kept characters are copied.
 */
function keptDetail(detail: string): string {
  if (detail.length <= MAX_DETAIL_LENGTH) return detail;
  return Buffer.from(`${detail.slice(0, MAX_DETAIL_LENGTH - 1)}…`, 'utf8').toString('utf8');
}

function platformsOf(count: number): string {
  return count === 1 ? '1 manifest' : `${count} manifests`;
}

/** Artifact types that say a manifest is an attestation but not of which predicate. */
const GENERIC_ATTESTATION_TYPES: ReadonlySet<string> = new Set([
  MediaType.inToto,
  MediaType.dsseEnvelope,
  COSIGN_TAG_TYPES['att'],
]);

/**
 * What an attestation attests, from its manifest where it says so: a predicate type annotated, else an artifact
 * type more telling than "in-toto". Only when it names neither (a statement attached as a plain file) is a small
 * statement read for the row, as a Notary envelope is read for its signer.
 */
async function predicateTypeOf(
  target: ReadOnlyTarget,
  descriptor: Descriptor,
  manifest: Manifest,
  options: Cancellable,
): Promise<string | undefined> {
  const layers = isIndex(manifest) ? [] : (manifest.layers ?? []);
  const named = predicateTypesOf(manifest, layers)[0];
  if (named) return named;
  const type = descriptor.artifactType ?? (isIndex(manifest) ? undefined : manifest.artifactType);
  if (type && !GENERIC_ATTESTATION_TYPES.has(type)) return type;
  return (await statementTypes(target, manifest, MAX_ENVELOPE_BYTES, options.signal, NAMING_READ_DEADLINE_MS))[0];
}

/** "2026-12-05" from an RFC 3339 time; anything else is not shown (a registry's words are not a date). */
function dateOf(value: string | undefined): string | undefined {
  const match = value && /^(\d{4}-\d{2}-\d{2})T/.exec(value);
  return match ? match[1] : undefined;
}

/** The signer's common name (or whole subject) and signing date, read from the envelope without verifying it. */
async function notarySigner(
  target: ReadOnlyTarget,
  layers: readonly Descriptor[],
  options: Cancellable,
): Promise<{ subject?: string; signingTime?: string } | undefined> {
  const envelope = layers.find((layer) => layer.mediaType === MediaType.jws);
  if (!envelope || envelope.size > MAX_ENVELOPE_BYTES) return undefined;
  const parsed = parseEnvelope(
    await readSmallBlob(target, envelope, options.signal, MAX_ENVELOPE_BYTES, NAMING_READ_DEADLINE_MS),
  );
  if ('problem' in parsed) return undefined;
  const leaf = parsed.chain[0];
  const signingTime = parsed.protectedHeader[NotaryHeader.signingTime];
  return {
    subject: leaf && commonNameOf(leaf.subject),
    signingTime: typeof signingTime === 'string' ? dateOf(signingTime) : undefined,
  };
}

/** "CN=Stowage Demo" from an X.509 subject ("C=DE\nO=Acme\nCN=Stowage Demo"); the whole subject on one line otherwise. */
function commonNameOf(subject: string): string {
  const lines = subject.split('\n');
  return lines.find((line) => line.startsWith('CN=')) ?? lines.join(', ');
}
