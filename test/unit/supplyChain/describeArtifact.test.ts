// Artifacts named in words: a real Notary signature names its signer and date, an SBOM its size, an attestation
// its predicate type, an image or a Helm chart reached by tag its kind from the config media type.
import * as assert from 'node:assert/strict';
import { MemoryTarget } from '../../../src/core/memory';
import { Annotation, type Descriptor, MediaType } from '../../../src/core/oci';
import { digestOf } from '../../../src/core/content';
import { attachBytes, describeArtifact, MAX_DETAIL_LENGTH, signArtifact } from '../../../src/core/supplyChain';
import { signingKey } from '../sign/fixtures';
import { bytesContent, pushArtifact } from '../../helpers/sampleArtifact';
import { RegistryClient } from '../../../src/core/registry/RegistryClient';
import { RegistryTarget } from '../../../src/core/registry/RegistryTarget';
import { closedAfterEachTest, reply } from '../registry/scriptedServer';

async function pushJson(target: MemoryTarget, value: unknown, tag?: string): Promise<Descriptor> {
  const bytes = Buffer.from(JSON.stringify(value));
  const descriptor: Descriptor = { mediaType: MediaType.ociManifest, digest: digestOf(bytes), size: bytes.length };
  await target.pushManifest(descriptor, bytes, { tag });
  return descriptor;
}

async function pushConfig(target: MemoryTarget, mediaType: string): Promise<Descriptor> {
  const bytes = Buffer.from('{}');
  const descriptor = { mediaType, digest: digestOf(bytes), size: bytes.length };
  await target.pushBlob(descriptor, bytesContent(bytes));
  return descriptor;
}

describe('describeArtifact: what an artifact is, in words', () => {
  it('a Notary signature names the signer common name and the signing date', async () => {
    const target = new MemoryTarget();
    const subject = (await pushArtifact(target, 'signed', { tag: 'v1' })).manifest;
    const key = await signingKey('ecdsa-p256');
    const signature = await signArtifact(target, subject, {
      key: key.privateKeyPem,
      certChain: key.certChainPem,
      signingTime: new Date('2026-12-05T10:00:00Z'),
    });
    const description = await describeArtifact(target, signature);
    assert.equal(description.kind, 'notary-signature');
    assert.equal(description.kindLabel, 'Notary signature');
    assert.deepEqual(description.details, ['CN=Stowage test ecdsa-p256', '2026-12-05']);
  });

  it('an SBOM names its document size, labelled as its content (not the manifest), an attestation its predicate type', async () => {
    const target = new MemoryTarget();
    const subject = (await pushArtifact(target, 'subject', { tag: 'v1' })).manifest;
    const sbom = await attachBytes(target, subject, {
      artifactType: MediaType.spdx,
      documents: [{ title: 'sbom.spdx.json', mediaType: MediaType.spdx, bytes: Buffer.alloc(713, 'x') }],
    });
    const today = new Date().toISOString().slice(0, 10); // attaching stamps org.opencontainers.image.created
    const { descriptor: described, ...sbomDescription } = await describeArtifact(target, sbom);
    assert.equal(described.digest, sbom.digest);
    assert.deepEqual(sbomDescription, {
      kind: 'spdx-sbom',
      kindLabel: 'SPDX SBOM',
      details: ['content 713 B', today],
      contentBytes: 713 + 2, // the document and the empty config ("{}")
    });
    const attestation = await attachBytes(target, subject, {
      artifactType: MediaType.inToto,
      documents: [{ title: 'provenance.json', mediaType: MediaType.inToto, bytes: Buffer.from('{}') }],
      annotations: { predicateType: 'https://slsa.dev/provenance/v1', 'org.opencontainers.image.created': 'soon' },
    });
    assert.deepEqual((await describeArtifact(target, attestation)).details, ['https://slsa.dev/provenance/v1']);
  });

  it('a tag reached without an artifactType is named from its config media type (image, Helm chart, OPA)', async () => {
    const target = new MemoryTarget();
    for (const [tag, mediaType, label] of [
      ['image', MediaType.ociConfig, 'Image'],
      ['chart', MediaType.helmConfig, 'Helm chart'],
      ['policy', MediaType.opaConfig, 'OPA bundle'],
      ['sif', MediaType.singularityConfig, 'Singularity image'],
      ['module', MediaType.wasmModuleConfig, 'WebAssembly module'],
    ] as const) {
      const config = await pushConfig(target, mediaType);
      await pushJson(target, { schemaVersion: 2, mediaType: MediaType.ociManifest, config, layers: [] }, tag);
      const described = await describeArtifact(target, tag);
      assert.equal(described.kindLabel, label, tag);
      assert.equal(described.descriptor.digest, (await target.resolve(tag)).digest);
    }
  });

  it('an attestation attached as a plain statement names its predicate type: from its manifest without a blob read where the manifest says it, else from a small statement', async () => {
    const target = new MemoryTarget();
    const subject = (await pushArtifact(target, 'subject', { tag: 'v1' })).manifest;
    const blobReads: string[] = [];
    const fetchBlob = target.fetchBlob.bind(target);
    target.fetchBlob = (descriptor, options) => (blobReads.push(descriptor.digest), fetchBlob(descriptor, options));
    const statement = (predicateType: string, padding = 0) =>
      Buffer.from(
        JSON.stringify({
          _type: 'https://in-toto.io/Statement/v1',
          subject: [{ name: 'subject', digest: { sha256: subject.digest.slice('sha256:'.length) } }],
          predicateType,
          predicate: { padding: 'x'.repeat(padding) },
        }),
      );
    const attach = (artifactType: string, bytes: Buffer, annotations: Record<string, string> = {}) =>
      attachBytes(target, subject, {
        artifactType,
        documents: [{ title: 'statement.json', mediaType: MediaType.inToto, bytes }],
        annotations: { 'org.opencontainers.image.created': '2026-12-01T00:00:00Z', ...annotations },
      });
    const details = async (descriptor: Descriptor) => {
      blobReads.length = 0;
      const { details: found, kindLabel } = await describeArtifact(target, descriptor);
      return { found: [kindLabel, ...found], blobReads: blobReads.length };
    };

    const plain = await attach(MediaType.inToto, statement('https://slsa.dev/provenance/v1'));
    assert.deepEqual(await details(plain), {
      found: ['in-toto attestation', 'https://slsa.dev/provenance/v1', '2026-12-01'],
      blobReads: 1,
    });
    const annotated = await attach(MediaType.inToto, statement('https://spdx.dev/Document'), {
      'in-toto.io/predicate-type': 'https://spdx.dev/Document',
    });
    assert.deepEqual(await details(annotated), {
      found: ['in-toto attestation', 'https://spdx.dev/Document', '2026-12-01'],
      blobReads: 0,
    });
    const typed = await attach(
      'application/vnd.example.provenance.v1+json',
      statement('https://slsa.dev/provenance/v1'),
    );
    assert.deepEqual(await details(typed), {
      found: ['Attestation', 'application/vnd.example.provenance.v1+json', '2026-12-01'],
      blobReads: 0,
    });
    const large = await attach(MediaType.inToto, statement('https://slsa.dev/provenance/v1', 300 * 1024));
    assert.deepEqual(
      await details(large),
      { found: ['in-toto attestation', '2026-12-01'], blobReads: 0 },
      'a statement larger than a row reads (256 KiB) is not read',
    );
    const bundle = await attach(MediaType.sigstoreBundle, Buffer.from('{}'), {
      'dev.sigstore.bundle.content': 'dsse-envelope',
      'dev.sigstore.bundle.predicateType': 'https://slsa.dev/provenance/v1',
    });
    assert.deepEqual(await details(bundle), {
      found: ['cosign signature', '(bundle)', 'https://slsa.dev/provenance/v1', '2026-12-01'],
      blobReads: 0,
    });
  });

  it('a date that is not RFC 3339 is not shown; a cosign bundle says so', async () => {
    const target = new MemoryTarget();
    const subject = (await pushArtifact(target, 'subject', { tag: 'v1' })).manifest;
    const bundle = await attachBytes(target, subject, {
      artifactType: MediaType.sigstoreBundle,
      documents: [{ title: 'bundle.json', mediaType: MediaType.sigstoreBundle, bytes: Buffer.from('{}') }],
      annotations: { 'org.opencontainers.image.created': '2026-11-30T08:00:00Z' },
    });
    const { descriptor: _, ...bundleDescription } = await describeArtifact(target, bundle);
    assert.deepEqual(bundleDescription, {
      kind: 'cosign-signature',
      kindLabel: 'cosign signature',
      details: ['(bundle)', '2026-11-30'],
      contentBytes: 2 + 2,
    });
  });

  it('counts the bytes of a manifest’s config and layers as stored; none for an index or a size that is no whole number', async () => {
    const target = new MemoryTarget();
    const config = await pushConfig(target, MediaType.ociConfig);
    const layer = { mediaType: MediaType.ociLayerGzip, digest: `sha256:${'1'.repeat(64)}`, size: 5_000_000 };
    const image = {
      schemaVersion: 2,
      mediaType: MediaType.ociManifest,
      config,
      layers: [layer, { ...layer, size: 7 }],
    };
    await pushJson(target, image, 'image');
    assert.equal((await describeArtifact(target, 'image')).contentBytes, config.size + 5_000_007);
    const index = { schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: [await target.resolve('image')] };
    await pushJson(target, index, 'index');
    assert.equal((await describeArtifact(target, 'index')).contentBytes, undefined, 'an index is not summed');
    for (const size of [-1, 1.5, Number.MAX_SAFE_INTEGER]) {
      await pushJson(target, { ...image, layers: [layer, { ...layer, size }] }, 'forged');
      assert.equal((await describeArtifact(target, 'forged')).contentBytes, undefined, `size ${size}`);
    }
  });

  it("a detail is cut to a row's worth: a registry's megabyte of revision or artifact type is not kept per row", async () => {
    const target = new MemoryTarget();
    const huge = `main@sha1:${'a'.repeat(1024 * 1024)}`;
    const config = await pushConfig(target, MediaType.fluxConfig);
    await pushJson(
      target,
      {
        schemaVersion: 2,
        mediaType: MediaType.ociManifest,
        config,
        layers: [],
        annotations: { [Annotation.revision]: huge },
      },
      'flux',
    );
    const other = await pushConfig(target, 'application/vnd.example.thing+json');
    await pushJson(
      target,
      {
        schemaVersion: 2,
        mediaType: MediaType.ociManifest,
        artifactType: `application/${'x'.repeat(1024 * 1024)}`,
        config: other,
        layers: [],
      },
      'other',
    );
    for (const tag of ['flux', 'other']) {
      const { details } = await describeArtifact(target, tag);
      assert.equal(details.length, 1, tag);
      assert.equal(details[0]!.length, MAX_DETAIL_LENGTH, tag);
      assert.ok(details[0]!.endsWith('…'), tag);
    }
  });
});

describe('describeArtifact against a hostile registry', () => {
  const { scripted, clients } = closedAfterEachTest();

  it('names no predicate type from a statement blob the registry sends larger than its descriptor says', async () => {
    const statement = Buffer.from(
      JSON.stringify({
        _type: 'https://in-toto.io/Statement/v1',
        subject: [{ name: 's', digest: { sha256: 'a'.repeat(64) } }],
        predicateType: 'https://example.com/x',
      }),
    );
    const layer = { mediaType: MediaType.inToto, digest: digestOf(statement), size: statement.length };
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MediaType.ociManifest,
        artifactType: MediaType.inToto,
        config: { mediaType: MediaType.ociEmpty, digest: digestOf(Buffer.from('{}')), size: 2 },
        layers: [layer],
      }),
    );
    // The statement's bytes, then 8 MiB more: a store that read to the end would hold them for a row's label.
    const oversized = Buffer.concat([statement, Buffer.alloc(8 * 1024 * 1024, 0x20)]);
    let body = statement;
    const server = await scripted((req, res) => {
      if (req.url?.startsWith('/v2/att/manifests/'))
        return reply(
          res,
          200,
          { 'content-type': MediaType.ociManifest, 'docker-content-digest': digestOf(manifest) },
          req.method === 'HEAD' ? '' : manifest.toString(),
        );
      if (req.url === `/v2/att/blobs/${layer.digest}`) {
        res.writeHead(200, { 'content-length': String(body.length) });
        return res.end(body);
      }
      reply(res, 404, {}, '{}');
    });
    const client = new RegistryClient(
      { host: server.host, plainHttp: true },
      { credentials: { ignoreToolConfig: true } },
    );
    clients.push(client);
    const describe = async () => (await describeArtifact(new RegistryTarget(client, 'att'), 'latest')).details;
    assert.deepEqual(await describe(), ['https://example.com/x'], 'the honest statement names the row');
    body = oversized;
    assert.deepEqual(await describe(), [], 'the oversized answer names nothing');
  });
});
