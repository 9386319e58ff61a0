// Attestations exactly as cosign writes them (its static.NewAttestation and WriteAttestations): a
// `sha256-<hex>.att` tag whose config is an image config and whose layers are DSSE envelopes
// (`application/vnd.dsse.envelope.v1+json`, the whole envelope as the blob), each with an empty
// `dev.cosignproject.cosign/signature` annotation and the statement's `predicateType`; keyless ones add the
// certificate, chain and Rekor bundle annotations. Nothing here is Stowage code.
import { sign, type KeyObject } from 'node:crypto';
import { Readable } from 'node:stream';
import type { Target } from '../../src/core/content';
import type { Descriptor } from '../../src/core/oci/descriptor';
import { digestOf } from '../../src/core/content/hashing';

export const DSSE_MEDIA_TYPE = 'application/vnd.dsse.envelope.v1+json';
export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';
export const SLSA_PROVENANCE_V1 = 'https://slsa.dev/provenance/v1';
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';

/** The simple-signing payload cosign signs for an image: `reference` names the repository, `digest` the manifest. */
export function simpleSigningPayload(digest: string, reference: string): Buffer {
  return Buffer.from(
    JSON.stringify({
      critical: {
        identity: { 'docker-reference': reference },
        image: { 'docker-manifest-digest': digest },
        type: 'cosign container image signature',
      },
      optional: null,
    }),
  );
}

/** An in-toto v1 statement about `digest` (cosign names the repository as the subject). */
export function inTotoStatement(repository: string, digest: string, predicateType = SLSA_PROVENANCE_V1): Buffer {
  return Buffer.from(
    JSON.stringify({
      _type: 'https://in-toto.io/Statement/v1',
      subject: [{ name: repository, digest: { sha256: digest.split(':')[1] } }],
      predicateType,
      predicate: { buildDefinition: { buildType: 'https://example.test/build/v1' } },
    }),
  );
}

/** cosign's envelope: payload and signature in standard base64, one signature over PAE, an empty keyid. */
export function dsseEnvelope(payload: Buffer, privateKey: KeyObject, payloadType = IN_TOTO_PAYLOAD_TYPE): Buffer {
  const pae = Buffer.concat([
    Buffer.from(`DSSEv1 ${Buffer.byteLength(payloadType)} ${payloadType} ${payload.length} `),
    payload,
  ]);
  return Buffer.from(
    JSON.stringify({
      payloadType,
      payload: payload.toString('base64'),
      signatures: [{ keyid: '', sig: sign('sha256', pae, privateKey).toString('base64') }],
    }),
  );
}

export async function pushBytes(target: Target, bytes: Buffer, mediaType: string): Promise<Descriptor> {
  const descriptor = { mediaType, digest: digestOf(bytes), size: bytes.length };
  await target.pushBlob(descriptor, async () => Readable.from([bytes]));
  return descriptor;
}

/** Pushes the `.att` tag of `subject`, one DSSE layer per attestation; returns the attestation manifest. */
export async function attachCosignAttestations(
  target: Target,
  subject: Descriptor,
  layers: { envelope: Buffer; predicateType: string; annotations?: Record<string, string> }[],
): Promise<Descriptor> {
  const pushed = [];
  for (const layer of layers)
    pushed.push({
      ...(await pushBytes(target, layer.envelope, DSSE_MEDIA_TYPE)),
      annotations: {
        'dev.cosignproject.cosign/signature': '',
        predicateType: layer.predicateType,
        ...layer.annotations,
      },
    });
  const config = await pushBytes(target, Buffer.from('{}'), 'application/vnd.oci.image.config.v1+json');
  const bytes = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, config, layers: pushed }));
  const descriptor = { mediaType: OCI_MANIFEST, digest: digestOf(bytes), size: bytes.length };
  await target.pushManifest(descriptor, bytes, { tag: `${subject.digest.replace(':', '-')}.att` });
  return descriptor;
}
