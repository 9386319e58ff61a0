import * as assert from 'node:assert/strict';
import { detectSbomType, generateSbom, sbomMediaType, validateSbom } from '../../../src/core/sbom';
import { mayBeSbom } from '../../../src/core/oci';
import { CREATED, FILES, SUBJECT } from './fixtures';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests edit parsed JSON

const spdx = () => JSON.parse(generateSbom(SUBJECT, FILES, 'spdx', { created: CREATED }).toString()) as Json;
const cyclonedx = () => JSON.parse(generateSbom(SUBJECT, FILES, 'cyclonedx', { created: CREATED }).toString()) as Json;
const bytes = (doc: unknown) => Buffer.from(JSON.stringify(doc));

describe('sbom/detectSbomType + validateSbom', function () {
  // Compiling a CycloneDX schema takes over a second per version, more on a busy machine.
  this.timeout(30_000);

  it('detects SPDX and CycloneDX JSON by content, and nothing else', () => {
    assert.equal(detectSbomType('{"spdxVersion":"SPDX-2.2"}'), 'spdx');
    assert.equal(detectSbomType('\uFEFF{"bomFormat":"CycloneDX","specVersion":"1.4"}'), 'cyclonedx');
    assert.equal(detectSbomType('{"spdxVersion":"2.3"}'), undefined);
    assert.equal(detectSbomType('{"bomFormat":"cyclonedx"}'), undefined);
    assert.equal(detectSbomType('[]'), undefined);
    assert.equal(detectSbomType('not json'), undefined);
    assert.equal(sbomMediaType('spdx'), 'application/spdx+json');
    assert.equal(sbomMediaType('cyclonedx'), 'application/vnd.cyclonedx+json');
  });

  it('mayBeSbom: true for every SBOM detectSbomType finds, pretty or compact, without parsing; false for other JSON', () => {
    for (const doc of [spdx(), cyclonedx()]) {
      for (const text of [JSON.stringify(doc), JSON.stringify(doc, null, 2), JSON.stringify(doc, null, '\t')]) {
        assert.ok(detectSbomType(text));
        assert.ok(mayBeSbom(text), text.slice(0, 80));
      }
    }
    assert.ok(mayBeSbom('{"bomFormat" :\n "CycloneDX"}'));
    assert.equal(mayBeSbom(JSON.stringify({ name: 'app', lockfileVersion: 3, packages: { '': {} } })), false);
    assert.equal(mayBeSbom('{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json"}'), false);
  });

  it('names the missing required SPDX fields and malformed values with their JSON paths', async () => {
    const doc = spdx();
    delete doc.documentNamespace;
    delete doc.packages[0].downloadLocation;
    doc.files[1].checksums[0].checksumValue = 'XYZ';
    doc.relationships[0].relationshipType = 'OWNS';
    doc.creationInfo.created = '2026-05-06 07:08';
    assert.deepEqual(await validateSbom(bytes(doc)), [
      { path: '', message: "must have required property 'documentNamespace'" },
      { path: '/creationInfo/created', message: 'must match pattern "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z$"' },
      { path: '/packages/0', message: "must have required property 'downloadLocation'" },
      { path: '/files/1/checksums/0/checksumValue', message: 'must match pattern "^[0-9a-f]+$"' },
      {
        path: '/relationships/0/relationshipType',
        message: 'must be equal to one of the allowed values (45 values, e.g. DESCRIBES, DESCRIBED_BY, CONTAINS)',
      },
    ]);
  });

  it('says which SPDX versions it checks', async () => {
    assert.deepEqual(await validateSbom('{"spdxVersion":"SPDX-2.2"}'), [
      { path: '/spdxVersion', message: 'SPDX-2.2 is not checked; Stowage validates SPDX-2.3' },
    ]);
  });

  it("validates CycloneDX against the schema of the document's own specVersion", async () => {
    const badHash = cyclonedx();
    badHash.components[0].hashes[0].alg = 'CRC32';
    assert.deepEqual(await validateSbom(bytes(badHash)), [
      {
        path: '/components/0/hashes/0/alg',
        message:
          'must be equal to one of the allowed values: MD5, SHA-1, SHA-256, SHA-384, SHA-512, SHA3-256, SHA3-384, SHA3-512, BLAKE2b-256, BLAKE2b-384, BLAKE2b-512, BLAKE3',
      },
    ]);
    const untyped = cyclonedx();
    delete untyped.components[1].type;
    assert.deepEqual(await validateSbom(bytes(untyped)), [
      { path: '/components/1', message: "must have required property 'type'" },
    ]);
    // 1.5 has no 'cryptographic-asset' component type, 1.6 does: the document's own version decides.
    const v15 = {
      bomFormat: 'CycloneDX',
      specVersion: '1.5',
      version: 1,
      components: [{ type: 'cryptographic-asset', name: 'k' }],
    };
    assert.equal((await validateSbom(bytes(v15))).length, 1);
    assert.deepEqual(await validateSbom(bytes({ ...v15, specVersion: '1.6' })), []);

    assert.deepEqual(await validateSbom('{"bomFormat":"CycloneDX","specVersion":"1.4","version":1}'), []);
    assert.deepEqual(await validateSbom('{"bomFormat":"CycloneDX","specVersion":"9.9"}'), [
      { path: '/specVersion', message: 'CycloneDX specVersion "9.9" is not one of 1.2, 1.3, 1.4, 1.5, 1.6, 1.7' },
    ]);
  });

  it('explains when a document is no SBOM at all', async () => {
    assert.deepEqual(await validateSbom('{"name":"x"}'), [
      { path: '', message: 'neither SPDX JSON (spdxVersion "SPDX-…") nor CycloneDX JSON (bomFormat "CycloneDX")' },
    ]);
    assert.deepEqual(await validateSbom('{'), [{ path: '', message: 'not a JSON object' }]);
  });
});
