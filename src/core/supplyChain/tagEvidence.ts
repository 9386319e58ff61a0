// What an artifact's referrers say besides signatures: which SBOMs it has (SPDX or CycloneDX, as a document of its
// own or as an attestation's predicate) and which attestations (by predicate type). Found by presence; when the
// audit has trust for attestations, applyAttestationVerdicts marks each piece verified or not from the DSSE
// verifications. Everything returned is the store's text (or a signer's), untrusted.
import { artifactTypeOf, isIndex, type Descriptor, type Manifest } from '../oci';
import type { ReadOnlyTarget } from '../content';
import { artifactFamilyOf, artifactKindOf, type Referrer } from '../graph';
import { MAX_DSSE_ENVELOPE_BYTES } from '../sign';
import { predicateTypesOf, statementTypes } from './predicateTypes';
import type { AttestationVerification } from './verifyArtifact';
import type { AuditedSignature } from './auditedSignature';

export type SbomFormat = 'SPDX' | 'CycloneDX' | 'other';

export interface FoundSbom {
  format: SbomFormat;
  /** The referrer manifest that holds it. */
  digest: string;
  /** A document attached as a referrer, or an in-toto attestation whose predicate is an SBOM. */
  via: 'referrer' | 'attestation';
  /**
   * Set only when evidence was verified: an attested SBOM when its attestation is, an SBOM document of its own when
   * its own signatures are (sbomSignatures.ts).
   */
  verified?: boolean;
  /** An SBOM document's own signatures (signature referrers of it), checked when the audit had trust material. */
  signatures?: AuditedSignature[];
  /** Why not every signature of it was read (a bound): then it is not verified. */
  unread?: string;
  /** Why its own signatures were not checked: its manifest does not name the tag's digest (sbomSignatures.ts). */
  unbound?: string;
}

export interface FoundAttestation {
  /** The manifest that holds it: a referrer, or an attestation manifest inside the index (BuildKit's). */
  digest: string;
  /** Where it was found: among the referrers, or in the index the tag names (docker buildx --sbom/--provenance). */
  in: 'referrers' | 'index';
  /**
   * The predicate types its manifest's annotations name, else those of the plain (unsigned) statements it holds;
   * once verified, those its signed statements name.
   */
  predicateTypes: string[];
  /** Set only when attestations were verified: every DSSE envelope in it verified, about this artifact. */
  verified?: boolean;
}

export interface TagEvidence {
  sboms: FoundSbom[];
  attestations: FoundAttestation[];
}

/** SLSA provenance predicates (v0.1, v0.2, v1): what `--require provenance` asks for. */
export function isProvenance(predicateType: string): boolean {
  return /^https:\/\/slsa\.dev\/provenance\//.test(predicateType);
}

/** The SBOM format an attestation's predicate type names (cosign's spdxjson and cyclonedx types), if any. */
function sbomPredicateFormat(predicateType: string): SbomFormat | undefined {
  if (/^https:\/\/spdx\.dev\/Document(\/|$)/.test(predicateType)) return 'SPDX';
  if (/^https:\/\/cyclonedx\.org\/bom(\/|$)/.test(predicateType)) return 'CycloneDX';
  return undefined;
}

/** The format of an SBOM referrer: its layers' media type first (cosign's `.sbom` tag holds either), else its type. */
function sbomFormatOf(descriptor: Descriptor, manifest: Manifest | undefined): SbomFormat {
  const layers = manifest && !isIndex(manifest) && Array.isArray(manifest.layers) ? manifest.layers : [];
  const types = layers.map((layer) => (typeof layer?.mediaType === 'string' ? layer.mediaType.toLowerCase() : ''));
  if (types.some((t) => t.includes('spdx'))) return 'SPDX';
  if (types.some((t) => t.includes('cyclonedx'))) return 'CycloneDX';
  const kind = artifactKindOf(descriptor);
  return kind === 'spdx-sbom' ? 'SPDX' : kind === 'cyclonedx-sbom' ? 'CycloneDX' : 'other';
}

/**
 * SBOMs and attestations among `referrers` (judged already). Each such manifest is read once through `reads` (the
 * verification's shared reads: judging read most of them already). Evidence is what the manifest itself is: the
 * listing's artifactType (or a fallback index's) is only a claim, and a manifest that cannot be read is no evidence.
 */
export async function tagEvidence(
  reads: ReadOnlyTarget,
  referrers: readonly Referrer[],
  signal?: AbortSignal,
): Promise<TagEvidence> {
  const evidence: TagEvidence = { sboms: [], attestations: [] };
  for (const { descriptor: listed, source } of referrers) {
    if (!isEvidence(artifactFamilyOf(listed))) continue;
    const manifest = await manifestOf(reads, listed, signal);
    if (!manifest) continue;
    // A cosign tag's name is all cosign says of its kind (its manifest is a plain image manifest).
    const descriptor = source === 'cosign-tag' ? listed : ownDescriptor(listed, manifest);
    const family = artifactFamilyOf(descriptor);
    if (family === 'sbom')
      evidence.sboms.push({ format: sbomFormatOf(descriptor, manifest), digest: listed.digest, via: 'referrer' });
    else if (family === 'attestation')
      noteAttestation(
        evidence,
        listed.digest,
        'referrers',
        manifest,
        await statementTypes(reads, manifest, MAX_DSSE_ENVELOPE_BYTES, signal),
      );
  }
  return evidence;
}

function isEvidence(family: ReturnType<typeof artifactFamilyOf>): boolean {
  return family === 'sbom' || family === 'attestation';
}

/** `listed` with the type and annotations its manifest declares in place of those the listing claimed. */
function ownDescriptor(listed: Descriptor, manifest: Manifest): Descriptor {
  const { artifactType: _claimed, annotations: _listedAnnotations, ...rest } = listed;
  const artifactType = artifactTypeOf(manifest);
  return {
    ...rest,
    ...(typeof artifactType === 'string' && artifactType ? { artifactType } : {}),
    ...(manifest.annotations ? { annotations: manifest.annotations } : {}),
  };
}

/** BuildKit's attestation manifests of one index read at most (one per platform image; a real index has a few). */
export const MAX_INDEX_ATTESTATIONS = 64;

/**
 * The attestation manifests an index holds itself (BuildKit marks them `vnd.docker.reference.type:
 * attestation-manifest`): docker buildx --sbom and --provenance put the SBOM and provenance of each platform image
 * there, not among referrers. At most MAX_INDEX_ATTESTATIONS are read.
 */
export async function indexEvidence(
  reads: ReadOnlyTarget,
  index: Manifest,
  evidence: TagEvidence,
  signal?: AbortSignal,
): Promise<void> {
  if (!isIndex(index) || !Array.isArray(index.manifests)) return;
  const entries = index.manifests.filter(
    (d) => typeof d?.digest === 'string' && d.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest',
  );
  for (const entry of entries.slice(0, MAX_INDEX_ATTESTATIONS))
    noteAttestation(evidence, entry.digest, 'index', await manifestOf(reads, entry, signal));
}

/**
 * Predicate types kept per attestation, and the characters kept of each: a real one is a URL of a few dozen
 * characters, and an audit keeps every tag's until it reports, so a registry's 4 MiB annotations are not.
 */
export const MAX_PREDICATE_TYPES = 32;
export const MAX_PREDICATE_TYPE_LENGTH = 256;

/** An attestation with its predicate types; one whose predicate is an SBOM counts as that SBOM too. */
function noteAttestation(
  evidence: TagEvidence,
  digest: string,
  found: FoundAttestation['in'],
  manifest: Manifest | undefined,
  statementTypes: readonly string[] = [],
): void {
  const layers = manifest && !isIndex(manifest) && Array.isArray(manifest.layers) ? manifest.layers : [];
  evidence.attestations.push({
    digest,
    in: found,
    predicateTypes: keptTypes([...(manifest ? predicateTypesOf(manifest, layers) : []), ...statementTypes]),
  });
  noteAttestedSboms(evidence, evidence.attestations[evidence.attestations.length - 1]!);
}

function keptTypes(types: readonly (string | undefined)[]): string[] {
  return [...new Set(types.filter((t): t is string => !!t))]
    .slice(0, MAX_PREDICATE_TYPES)
    .map((t) => (t.length > MAX_PREDICATE_TYPE_LENGTH ? `${t.slice(0, MAX_PREDICATE_TYPE_LENGTH)}…` : t));
}

function noteAttestedSboms(evidence: TagEvidence, attestation: FoundAttestation): void {
  for (const predicateType of attestation.predicateTypes) {
    const format = sbomPredicateFormat(predicateType);
    if (format)
      evidence.sboms.push({
        format,
        digest: attestation.digest,
        via: 'attestation',
        ...(attestation.verified === undefined ? {} : { verified: attestation.verified }),
      });
  }
}

/**
 * Marks every piece of evidence verified or not by the DSSE verifications of the same referrers. An attestation is
 * verified when each envelope it holds verified (about this artifact); its predicate types are then those its signed
 * statements name, not its manifest's annotations. Attestations kept in an index (BuildKit's) and SBOM documents of
 * their own are signed by nothing read here: not verified. Sigstore bundles whose statement is an attestation join
 * the evidence.
 */
export function applyAttestationVerdicts(evidence: TagEvidence, checked: readonly AttestationVerification[]): void {
  const byManifest = new Map<string, AttestationVerification[]>();
  for (const check of checked)
    byManifest.set(check.manifest.digest, [...(byManifest.get(check.manifest.digest) ?? []), check]);
  for (const [digest, checks] of byManifest)
    if (checks[0]!.kind === 'sigstore') evidence.attestations.push({ digest, in: 'referrers', predicateTypes: [] });
  for (const attestation of evidence.attestations) {
    const checks = attestation.in === 'referrers' ? (byManifest.get(attestation.digest) ?? []) : [];
    attestation.verified = checks.length > 0 && checks.every((c) => c.result.ok);
    if (attestation.verified || !attestation.predicateTypes.length)
      attestation.predicateTypes = keptTypes(checks.map((c) => c.result.predicateType));
  }
  evidence.sboms = evidence.sboms.filter((s) => s.via === 'referrer').map((s) => ({ ...s, verified: false }));
  for (const attestation of evidence.attestations) noteAttestedSboms(evidence, attestation);
}

async function manifestOf(
  reads: ReadOnlyTarget,
  descriptor: Descriptor,
  signal: AbortSignal | undefined,
): Promise<Manifest | undefined> {
  try {
    return (await reads.fetchManifest(descriptor, { signal })).manifest;
  } catch (err) {
    if (signal?.aborted) throw err;
    return undefined;
  }
}
