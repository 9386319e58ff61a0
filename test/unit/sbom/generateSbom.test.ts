import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Spec, Validation } from '@cyclonedx/cyclonedx-library';
import { detectSbomType, generateSbom, validateSbom } from '../../../src/core/sbom';
import { CREATED, FILES, SUBJECT } from './fixtures';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- test assertions walk parsed JSON

describe('sbom/generateSbom', function () {
  // Compiling a CycloneDX schema takes over a second per version, more on a busy machine.
  this.timeout(30_000);

  for (const version of ['1.5', '1.6'] as const) {
    it(`writes CycloneDX ${version} that the CycloneDX library's strict JSON validator accepts`, async () => {
      const bytes = generateSbom(SUBJECT, FILES, 'cyclonedx', { created: CREATED, cyclonedxVersion: version });
      const strict = new Validation.JsonStrictValidator(version === '1.5' ? Spec.Version.v1dot5 : Spec.Version.v1dot6);
      assert.equal(await strict.validate(bytes.toString()), null);
      assert.deepEqual(await validateSbom(bytes), []);
      assert.equal(detectSbomType(bytes), 'cyclonedx');
    });
  }

  it('describes the artifact and each file in CycloneDX: digest, purl, SHA-256 hashes, media type and size', () => {
    const bom = JSON.parse(generateSbom(SUBJECT, FILES, 'cyclonedx', { created: CREATED }).toString()) as Json;
    assert.equal(bom.specVersion, '1.6');
    assert.match(bom.serialNumber, /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(bom.metadata.timestamp, '2026-05-06T07:08:09.000Z');
    const artifact = bom.metadata.component;
    assert.equal(artifact.name, 'ghcr.io/Example/bundle:v1');
    assert.equal(artifact.version, SUBJECT.descriptor.digest);
    assert.equal(
      artifact.purl,
      `pkg:oci/bundle@${encodeURIComponent(SUBJECT.descriptor.digest)}?repository_url=ghcr.io/example/bundle&tag=v1`,
    );
    assert.deepEqual(artifact.hashes, [{ alg: 'SHA-256', content: SUBJECT.descriptor.digest.slice(7) }]);
    const byName = new Map((bom.components as Json[]).map((c) => [c.name, c]));
    for (const file of FILES) {
      const component = byName.get(file.name)!;
      assert.equal(component.type, 'file');
      assert.deepEqual(component.hashes, [{ alg: 'SHA-256', content: file.sha256 }]);
      assert.deepEqual(component.properties, [
        { name: 'stowage:oci:mediaType', value: file.mediaType },
        { name: 'stowage:oci:size', value: String(file.size) },
      ]);
    }
  });

  it('writes SPDX 2.3 that passes the SPDX schema: a package for the artifact, files with SHA256, DESCRIBES and CONTAINS', async () => {
    const bytes = generateSbom(SUBJECT, FILES, 'spdx', { created: CREATED });
    assert.deepEqual(await validateSbom(bytes), []);
    assert.equal(detectSbomType(bytes), 'spdx');
    const doc = JSON.parse(bytes.toString()) as Json;
    assert.equal(doc.creationInfo.created, '2026-05-06T07:08:09Z');
    assert.match(doc.documentNamespace, /^https:\/\/spdx\.org\/spdxdocs\/ghcr.io-Example-bundle-v1-[0-9a-f-]{36}$/);
    assert.deepEqual(doc.packages[0].checksums, [
      { algorithm: 'SHA256', checksumValue: SUBJECT.descriptor.digest.slice(7) },
    ]);
    assert.deepEqual(
      doc.files.map((f: Json) => [f.fileName, f.checksums[0].checksumValue]),
      FILES.map((f) => [`./${f.name}`, f.sha256]),
    );
    assert.deepEqual(
      doc.relationships.map((r: Json) => `${r.spdxElementId} ${r.relationshipType} ${r.relatedSpdxElement}`),
      [
        'SPDXRef-DOCUMENT DESCRIBES SPDXRef-Artifact',
        'SPDXRef-Artifact CONTAINS SPDXRef-File-1-README.md',
        'SPDXRef-Artifact CONTAINS SPDXRef-File-2-data-config.json',
      ],
    );
  });

  it('gives identical bytes for identical input, and another serial/namespace when the subject or files differ', () => {
    for (const format of ['cyclonedx', 'spdx'] as const) {
      const a = generateSbom(SUBJECT, FILES, format, { created: CREATED });
      assert.ok(
        a.equals(generateSbom(structuredClone(SUBJECT), structuredClone(FILES), format, { created: CREATED })),
        format,
      );
      const fewer = generateSbom(SUBJECT, FILES.slice(0, 1), format, { created: CREATED });
      const id = (bytes: Buffer) => {
        const doc = JSON.parse(bytes.toString()) as Json;
        return doc.serialNumber ?? doc.documentNamespace;
      };
      assert.notEqual(id(fewer), id(a), format);
    }
  });

  it('marks container images as containers, and leaves out the purl for OCI layout references', () => {
    const image = {
      ...SUBJECT,
      reference: 'oci:./layout:v1',
      manifest: {
        ...SUBJECT.manifest,
        artifactType: undefined,
        config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: SUBJECT.descriptor.digest, size: 2 },
      },
    };
    const bom = JSON.parse(generateSbom(image, FILES, 'cyclonedx', { created: CREATED }).toString()) as Json;
    assert.equal(bom.metadata.component.type, 'container');
    assert.equal(bom.metadata.component.purl, undefined);
    const spdx = JSON.parse(generateSbom(image, FILES, 'spdx', { created: CREATED }).toString()) as Json;
    assert.equal(spdx.packages[0].primaryPackagePurpose, 'CONTAINER');
    assert.equal(spdx.packages[0].externalRefs, undefined);
  });

  it('refuses files whose sha256 is not 64 lowercase hex characters', () => {
    assert.throws(
      () => generateSbom(SUBJECT, [{ ...FILES[0]!, sha256: `sha256:${FILES[0]!.sha256}` }], 'spdx'),
      /README\.md": sha256 must be 64 lowercase hex/,
    );
  });
});

describe('sbom/generateSbom with SHA-1 checksums', function () {
  this.timeout(30_000);

  it('adds the SHA1 checksum SPDX asks for, and a SHA-1 hash in CycloneDX, when the caller knows it', async () => {
    const files = FILES.map((file) => ({ ...file, sha1: createHash('sha1').update(file.name).digest('hex') }));
    const spdx = generateSbom(SUBJECT, files, 'spdx', { created: CREATED });
    assert.deepEqual(await validateSbom(spdx), []);
    const doc = JSON.parse(spdx.toString()) as Json;
    assert.deepEqual(doc.files[0].checksums, [
      { algorithm: 'SHA1', checksumValue: files[0]!.sha1 },
      { algorithm: 'SHA256', checksumValue: files[0]!.sha256 },
    ]);
    const cdx = generateSbom(SUBJECT, files, 'cyclonedx', { created: CREATED });
    assert.deepEqual(await validateSbom(cdx), []);
    const bom = JSON.parse(cdx.toString()) as Json;
    const readme = (bom.components as Json[]).find((c) => c.name === 'README.md')!;
    assert.deepEqual(readme.hashes, [
      { alg: 'SHA-1', content: files[0]!.sha1 },
      { alg: 'SHA-256', content: files[0]!.sha256 },
    ]);
    assert.throws(
      () => generateSbom(SUBJECT, [{ ...files[0]!, sha1: 'abc' }], 'spdx'),
      /sha1 must be 40 lowercase hex/,
    );
  });
});
