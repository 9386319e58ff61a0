// Writes the demo OCI image layout: a small artifact tagged `v1` and two referrers of it (an SPDX SBOM and a
// Notary-typed signature artifact), found through the `sha256-<hex>` fallback tag. Self-contained (node:crypto +
// fs) until the core layout store and packer land; then this should build the same content through
// src/core/layout instead of writing blobs itself. Output is deterministic: same bytes, same digests, every run.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

const MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const INDEX = 'application/vnd.oci.image.index.v1+json';
const EMPTY_CONFIG = 'application/vnd.oci.empty.v1+json';
export const DEMO_ARTIFACT_TYPE = 'application/vnd.example.demo.v1';
const SBOM_TYPE = 'application/spdx+json';
const SIGNATURE_TYPE = 'application/vnd.cncf.notary.signature';
const REF_NAME = 'org.opencontainers.image.ref.name';
const TITLE = 'org.opencontainers.image.title';
const CREATED = 'org.opencontainers.image.created';
const DESCRIPTION = 'org.opencontainers.image.description';
/** Fixed so that the digests do not change between runs. */
const CREATED_AT = '2026-01-01T00:00:00Z';

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  artifactType?: string;
  annotations?: Record<string, string>;
  data?: string;
}

export interface DemoLayout {
  dir: string;
  artifact: Descriptor;
  referrers: Descriptor[];
}

const DEMO_FILES: Record<string, string> = {
  'README.txt': 'Stowage demo artifact.\nThree small text files packed as titled layers of one OCI artifact.\n',
  'greeting.txt': 'Hello from an OCI image layout.\n',
  'notes.txt': 'Referrers attached to this artifact: an SPDX SBOM and a signature-typed artifact.\n',
};

export function writeDemoLayout(dir: string): DemoLayout {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.join(dir, 'blobs', 'sha256'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  const store = new BlobWriter(dir);
  const emptyConfig = store.put(EMPTY_CONFIG, Buffer.from('{}'));
  const configDescriptor: Descriptor = { ...emptyConfig, data: Buffer.from('{}').toString('base64') };

  const files = Object.entries(DEMO_FILES).map(([name, text]) => ({ name, bytes: Buffer.from(text) }));
  const artifact = store.putJson(MANIFEST, {
    schemaVersion: 2,
    mediaType: MANIFEST,
    artifactType: DEMO_ARTIFACT_TYPE,
    config: configDescriptor,
    layers: files.map((file) => ({ ...store.put('text/plain', file.bytes), annotations: { [TITLE]: file.name } })),
    annotations: { [CREATED]: CREATED_AT, [DESCRIPTION]: 'Demo artifact written by npm start' },
  });
  const subject: Descriptor = { mediaType: artifact.mediaType, digest: artifact.digest, size: artifact.size };

  const sbom = attachReferrer(store, configDescriptor, subject, {
    artifactType: SBOM_TYPE,
    layerMediaType: SBOM_TYPE,
    title: 'sbom.spdx.json',
    content: spdxDocument(files, artifact.digest),
    annotations: { [DESCRIPTION]: 'SPDX 2.3 SBOM listing the files of the demo artifact with their SHA-256' },
  });
  const signature = attachReferrer(store, configDescriptor, subject, {
    artifactType: SIGNATURE_TYPE,
    layerMediaType: 'application/json',
    title: 'signature-payload.json',
    // The payload a Notary Project signature signs; here it is not wrapped in a JWS and nothing is signed.
    content: { targetArtifact: subject },
    annotations: {
      [DESCRIPTION]:
        'Demo only: NOT a signature. Holds the unsigned Notary Project payload (the target descriptor) as plain JSON, ' +
        'to show a signature-typed referrer in the tree.',
    },
  });
  const referrers = [sbom, signature];

  const referrersIndex = store.putJson(INDEX, { schemaVersion: 2, mediaType: INDEX, manifests: referrers });
  const index = {
    schemaVersion: 2,
    mediaType: INDEX,
    manifests: [
      { ...artifact, artifactType: DEMO_ARTIFACT_TYPE, annotations: { [REF_NAME]: 'v1' } },
      { ...referrersIndex, annotations: { [REF_NAME]: fallbackTag(artifact.digest) } },
    ],
  };
  fs.writeFileSync(path.join(dir, 'index.json'), JSON.stringify(index, null, 2));
  return { dir, artifact, referrers };
}

/** The tag under which referrers are listed where there is no referrers API: `sha256-<hex>`. */
export function fallbackTag(digest: string): string {
  return digest.replace(':', '-');
}

interface ReferrerSpec {
  artifactType: string;
  layerMediaType: string;
  title: string;
  content: unknown;
  annotations: Record<string, string>;
}

/** Writes a referrer manifest and returns its descriptor as the referrers index lists it. */
function attachReferrer(store: BlobWriter, config: Descriptor, subject: Descriptor, spec: ReferrerSpec): Descriptor {
  const layer = store.put(spec.layerMediaType, Buffer.from(JSON.stringify(spec.content, null, 2)));
  const annotations = { [CREATED]: CREATED_AT, ...spec.annotations };
  const manifest = store.putJson(MANIFEST, {
    schemaVersion: 2,
    mediaType: MANIFEST,
    artifactType: spec.artifactType,
    config,
    layers: [{ ...layer, annotations: { [TITLE]: spec.title } }],
    subject,
    annotations,
  });
  return { ...manifest, artifactType: spec.artifactType, annotations };
}

function spdxDocument(files: { name: string; bytes: Buffer }[], artifactDigest: string): unknown {
  return {
    spdxVersion: 'SPDX-2.3',
    dataLicense: 'CC0-1.0',
    SPDXID: 'SPDXRef-DOCUMENT',
    name: 'stowage-demo-artifact',
    documentNamespace: `https://stowage.invalid/spdx/demo/${artifactDigest.slice('sha256:'.length)}`,
    creationInfo: { created: CREATED_AT, creators: ['Tool: stowage-demo'] },
    files: files.map((file, i) => ({
      SPDXID: `SPDXRef-File-${i + 1}`,
      fileName: `./${file.name}`,
      checksums: [{ algorithm: 'SHA256', checksumValue: sha256Hex(file.bytes) }],
      licenseConcluded: 'NOASSERTION',
      copyrightText: 'NOASSERTION',
    })),
  };
}

class BlobWriter {
  constructor(private readonly layoutDir: string) {}

  put(mediaType: string, bytes: Buffer): Descriptor {
    const hex = sha256Hex(bytes);
    fs.writeFileSync(path.join(this.layoutDir, 'blobs', 'sha256', hex), bytes);
    return { mediaType, digest: `sha256:${hex}`, size: bytes.length };
  }

  putJson(mediaType: string, value: unknown): Descriptor {
    return this.put(mediaType, Buffer.from(JSON.stringify(value)));
  }
}

function sha256Hex(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}
