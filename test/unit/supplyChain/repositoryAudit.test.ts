// The repository audit's judging and reporting over a real in-memory store: the verdict order (a failed signature
// outweighs everything, nothing unread passes), what counts as an SBOM or provenance, tag order kept under
// concurrency, a tag that cannot be read as a row of its own, and hostile text escaped before columns are measured.
import * as assert from 'node:assert/strict';
import { MemoryTarget } from '../../../src/core/memory';
import { MediaType, NotFoundError, type Descriptor, type ImageManifest } from '../../../src/core/oci';
import { displayWidth, type Cancellable } from '../../../src/core/content';
import {
  attachBytes,
  auditLines,
  auditRepository,
  streamedAuditText,
  judgeTag,
  MAX_PREDICATE_TYPE_LENGTH,
  MAX_PREDICATE_TYPES,
  signArtifact,
  type AuditedSignature,
  type RepositoryAudit,
  type TagFacts,
} from '../../../src/core/supplyChain';
import { signingKey } from '../sign/fixtures';
import { artifactManifest, manifestDescriptor, pushArtifact } from '../../helpers/sampleArtifact';
import { digestOf } from '../../../src/core/content/hashing';

const DIGEST = `sha256:${'a'.repeat(64)}`;
const signature = (status: AuditedSignature['status']): AuditedSignature => ({
  kind: 'notary',
  signature: DIGEST,
  status,
  reasons: status === 'verified' ? [] : ['why'],
});
const facts = (extra: Partial<TagFacts> = {}): TagFacts => ({
  tag: 'v1',
  digest: DIGEST,
  index: false,
  signatures: [signature('verified')],
  notReferrers: 0,
  truncated: false,
  sboms: [],
  attestations: [],
  ...extra,
});

describe('supplyChain/judgeTag: the verdict on one tag', () => {
  it('applies the first verdict that holds: error, failed, incomplete, unsigned, unverified, missing, passed', () => {
    const cases: [Partial<TagFacts>, string][] = [
      [{ error: 'gone', signatures: [signature('failed')] }, 'error'],
      [{ signatures: [signature('verified'), signature('failed')], truncated: true }, 'failed'],
      [{ signatures: [signature('verified')], truncated: true }, 'incomplete'],
      [{ signatures: [] }, 'unsigned'],
      [{ signatures: [signature('unchecked')] }, 'unverified'],
      [{ signatures: [signature('verified'), signature('unchecked')] }, 'missing'],
      [{ signatures: [signature('verified')], sboms: [{ format: 'SPDX', digest: DIGEST, via: 'referrer' }] }, 'passed'],
    ];
    for (const [extra, verdict] of cases)
      assert.equal(judgeTag(facts(extra), ['sbom']).verdict, verdict, JSON.stringify(extra));
  });

  it('counts signatures by status and names each requirement not met once', () => {
    const judged = judgeTag(
      facts({ signatures: [signature('verified'), signature('unchecked'), signature('unchecked')] }),
      ['sbom', 'provenance', 'sbom'],
    );
    assert.deepEqual([judged.verified, judged.failed, judged.unchecked], [1, 0, 2]);
    assert.deepEqual(judged.missing, ['sbom', 'provenance']);
  });

  it('provenance means a SLSA provenance predicate; any attestation meets "attestation"', () => {
    const vuln = facts({
      attestations: [
        { digest: DIGEST, in: 'referrers', predicateTypes: ['https://cosign.sigstore.dev/attestation/vuln/v1'] },
      ],
    });
    assert.deepEqual(judgeTag(vuln, ['attestation', 'provenance']).missing, ['provenance']);
    const slsa = facts({
      attestations: [{ digest: DIGEST, in: 'referrers', predicateTypes: ['https://slsa.dev/provenance/v0.2'] }],
    });
    assert.deepEqual(judgeTag(slsa, ['attestation', 'provenance']).missing, []);
  });
});

describe('supplyChain/judgeTag: evidence verified with attestation trust', () => {
  const provenance = (verified?: boolean) => ({
    digest: DIGEST,
    in: 'referrers' as const,
    predicateTypes: ['https://slsa.dev/provenance/v1'],
    ...(verified === undefined ? {} : { verified }),
  });
  const checked = (status: 'verified' | 'failed' | 'unchecked') => ({
    kind: 'cosign' as const,
    manifest: DIGEST,
    status,
    reasons: status === 'verified' ? [] : ['why'],
  });

  it('counts only verified evidence: present but unverified is "unverified", names it; unset (no trust) counts as before', () => {
    const signed = [signature('verified')];
    const unverified = judgeTag(facts({ signatures: signed, attestations: [provenance(false)] }), ['provenance']);
    assert.deepEqual(
      [unverified.verdict, unverified.unverifiedEvidence, unverified.missing],
      ['unverified', ['provenance'], []],
    );
    const verified = judgeTag(facts({ signatures: signed, attestations: [provenance(true)] }), ['provenance']);
    assert.equal(verified.verdict, 'passed');
    const presence = judgeTag(facts({ signatures: signed, attestations: [provenance()] }), ['provenance']);
    assert.equal(presence.verdict, 'passed');
    const none = judgeTag(facts({ signatures: signed }), ['provenance']);
    assert.deepEqual([none.verdict, none.missing], ['missing', ['provenance']]);
  });

  it('fails a tag whose attestation failed, even with a verified signature and no requirement', () => {
    const failed = judgeTag(
      facts({ signatures: [signature('verified')], attestationChecks: [checked('verified'), checked('failed')] }),
      [],
    );
    assert.equal(failed.verdict, 'failed');
    const unchecked = judgeTag(
      facts({ signatures: [signature('verified')], attestationChecks: [checked('unchecked')] }),
      [],
    );
    assert.equal(unchecked.verdict, 'passed');
  });
});

/** A MemoryTarget whose resolve of some tags waits or fails, noting the tags an audit has started (resolved). */
class ScriptedTarget extends MemoryTarget {
  readonly started: string[] = [];
  readonly slow = new Set<string>();
  readonly gone = new Set<string>();
  override async resolve(tagOrDigest: string, options?: Cancellable): Promise<Descriptor> {
    if (!tagOrDigest.startsWith('sha')) this.started.push(tagOrDigest);
    if (this.slow.has(tagOrDigest)) await new Promise((r) => setTimeout(r, 50));
    if (this.gone.has(tagOrDigest)) throw new NotFoundError(`tag ${tagOrDigest}`);
    return super.resolve(tagOrDigest, options);
  }
}

describe('supplyChain/auditRepository over a store', function () {
  this.timeout(30_000);

  it('judges every tag with its SBOMs and attestations, in tag order, at most `concurrency` at once; a tag that cannot be read is an error row', async () => {
    const target = new ScriptedTarget();
    const key = await signingKey('ecdsa-p256');
    const signed = (await pushArtifact(target, 'one', { tag: 'a-signed' })).manifest;
    await signArtifact(target, signed, { key: key.privateKeyPem, certChain: key.certChainPem });
    // cosign's .sbom tag holding CycloneDX, and an attestation whose predicate is an SPDX document.
    const cosignSbom = (await pushArtifact(target, 'two', { tag: 'b-cosign' })).manifest;
    await pushArtifact(target, '{"bomFormat":"CycloneDX"}', {
      tag: `${cosignSbom.digest.replace(':', '-')}.sbom`,
      layerMediaType: MediaType.cyclonedx,
    });
    const attested = (await pushArtifact(target, 'three', { tag: 'c-attested' })).manifest;
    await attachBytes(target, attested, {
      artifactType: MediaType.inToto,
      documents: [{ mediaType: MediaType.inToto, bytes: Buffer.from('{}'), title: 'sbom.intoto.json' }],
      annotations: { 'in-toto.io/predicate-type': 'https://spdx.dev/Document' },
    });
    await pushArtifact(target, 'four', { tag: 'd-gone' });
    for (const tag of ['e', 'f', 'g']) await pushArtifact(target, tag, { tag });
    target.slow.add('a-signed');
    target.gone.add('d-gone');
    let [done, maxInFlight] = [0, 0];

    const audit = await auditRepository(target, {
      trustedCerts: [key.certificatePem],
      concurrency: 2,
      require: ['sbom'],
      onTag: () => {
        maxInFlight = Math.max(maxInFlight, target.started.length - ++done + 1);
      },
    });
    assert.deepEqual(
      audit.tags.map((t) => t.tag),
      ['a-signed', 'b-cosign', 'c-attested', 'd-gone', 'e', 'f', 'g'],
      'tag order, though a-signed finished last',
    );
    assert.equal(maxInFlight, 2, 'two tags at once, never more');
    const [a, b, c, d] = audit.tags;
    assert.deepEqual([a!.verdict, a!.verified, a!.missing], ['missing', 1, ['sbom']]);
    assert.deepEqual(
      b!.sboms.map((s) => s.format),
      ['CycloneDX'],
      "cosign's .sbom tag (SPDX by its type) by its layer's media type",
    );
    assert.deepEqual(
      c!.sboms.map((s) => [s.format, s.via]),
      [['SPDX', 'attestation']],
    );
    assert.deepEqual(
      c!.attestations.map((x) => x.predicateTypes),
      [['https://spdx.dev/Document']],
    );
    assert.equal(d!.verdict, 'error');
    assert.match(d!.error ?? '', /tag d-gone/);
    assert.equal(audit.passed, false);
    assert.equal(audit.summary.verdicts.error, 1);
  });

  it("counts the attestation manifests BuildKit keeps in an index (docker buildx --sbom --provenance) as the index tag's SBOM and provenance", async () => {
    const target = new MemoryTarget();
    const key = await signingKey('ecdsa-p256');
    const image = (await pushArtifact(target, 'image')).manifest;
    const statement = (predicateType: string) => ({
      mediaType: MediaType.inToto,
      digest: digestOf(Buffer.from(predicateType)),
      size: predicateType.length,
      annotations: { 'in-toto.io/predicate-type': predicateType },
    });
    const attestationBytes = artifactManifest(
      [statement('https://spdx.dev/Document'), statement('https://slsa.dev/provenance/v0.2')],
      { artifactType: undefined, config: { mediaType: MediaType.ociConfig, digest: DIGEST, size: 2 } },
    );
    const attestation = manifestDescriptor(attestationBytes);
    await target.pushManifest(attestation, attestationBytes);
    const indexBytes = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MediaType.ociIndex,
        manifests: [
          { ...image, platform: { os: 'linux', architecture: 'amd64' } },
          {
            ...attestation,
            platform: { os: 'unknown', architecture: 'unknown' },
            annotations: {
              'vnd.docker.reference.type': 'attestation-manifest',
              'vnd.docker.reference.digest': image.digest,
            },
          },
        ],
      }),
    );
    const index = manifestDescriptor(indexBytes, MediaType.ociIndex);
    await target.pushManifest(index, indexBytes, { tag: 'multi' });
    await signArtifact(target, index, { key: key.privateKeyPem, certChain: key.certChainPem });

    const audit = await auditRepository(target, {
      trustedCerts: [key.certificatePem],
      require: ['sbom', 'provenance'],
    });
    const [multi] = audit.tags;
    assert.deepEqual([multi!.index, multi!.verdict, multi!.verified], [true, 'passed', 1]);
    assert.deepEqual(
      multi!.attestations.map((a) => [a.digest, a.in, a.predicateTypes]),
      [[attestation.digest, 'index', ['https://spdx.dev/Document', 'https://slsa.dev/provenance/v0.2']]],
    );
    assert.deepEqual(
      multi!.sboms.map((sbom) => [sbom.format, sbom.via]),
      [['SPDX', 'attestation']],
    );
  });

  it('counts a referrer by what its own manifest is, not by the type a hostile listing claims for it', async () => {
    // The registry lists a README attached to the tag as an SPDX SBOM with a SLSA provenance predicate.
    const README = 'application/vnd.example.readme';
    class LyingListing extends MemoryTarget {
      override async nativeReferrers(digest: string, options: { artifactType?: string; signal?: AbortSignal } = {}) {
        const listed = await super.nativeReferrers(digest, options);
        return listed?.map((d) =>
          d.artifactType === README
            ? {
                ...d,
                artifactType: MediaType.spdx,
                annotations: { 'in-toto.io/predicate-type': 'https://slsa.dev/provenance/v1' },
              }
            : d,
        );
      }
    }
    const target = new LyingListing({ referrersApi: true });
    const key = await signingKey('ecdsa-p256');
    const image = (await pushArtifact(target, 'image', { tag: 'v1' })).manifest;
    await signArtifact(target, image, { key: key.privateKeyPem, certChain: key.certChainPem });
    await attachBytes(target, image, {
      artifactType: README,
      documents: [{ mediaType: 'text/markdown', bytes: Buffer.from('# read me'), title: 'README.md' }],
    });

    const audit = await auditRepository(target, { trustedCerts: [key.certificatePem], require: ['sbom'] });
    const [v1] = audit.tags;
    assert.deepEqual([v1!.verified, v1!.sboms, v1!.attestations], [1, [], []]);
    assert.deepEqual([v1!.verdict, v1!.missing], ['missing', ['sbom']]);
    assert.equal(audit.evidenceVerified, false, 'JSON says SBOMs and attestations were not verified');
  });

  it('a referrer whose artifactType is no string is no referrer: the audit goes on, the tag judged without it', async () => {
    const target = new MemoryTarget({ referrersApi: true });
    const image = (await pushArtifact(target, 'image', { tag: 'v1' })).manifest;
    const hostile = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MediaType.ociManifest,
        artifactType: 123,
        config: { mediaType: MediaType.ociEmpty, digest: digestOf(Buffer.from('{}')), size: 2 },
        layers: [],
        subject: { mediaType: image.mediaType, digest: image.digest, size: image.size },
      }),
    );
    await target.pushManifest(manifestDescriptor(hostile), hostile);

    const audit = await auditRepository(target, { trustedCerts: [] });
    assert.deepEqual(
      audit.tags.map((t) => [t.tag, t.verdict]),
      [['v1', 'unsigned']],
    );
  });

  it('reads the predicate type of an in-toto statement attached as a plain layer (no DSSE, no annotation); a layer that is no statement gives none', async () => {
    const target = new MemoryTarget({ referrersApi: true });
    const image = (await pushArtifact(target, 'image', { tag: 'v1' })).manifest;
    const statement = {
      _type: 'https://in-toto.io/Statement/v1',
      subject: [{ name: 'image', digest: { sha256: image.digest.slice('sha256:'.length) } }],
      predicateType: 'https://slsa.dev/provenance/v1\u202e',
      predicate: {},
    };
    // As `stowage attach --artifact-type application/vnd.in-toto+json statement.json` pushes it: a tar layer.
    await attachBytes(target, image, {
      artifactType: MediaType.inToto,
      documents: [{ mediaType: MediaType.ociLayer, bytes: Buffer.from(JSON.stringify(statement)), title: 's.json' }],
    });
    await attachBytes(target, image, {
      artifactType: MediaType.inToto,
      documents: [{ mediaType: MediaType.inToto, bytes: Buffer.from('{"predicateType": '), title: 'broken.json' }],
    });

    const audit = await auditRepository(target, { trustedCerts: [], require: ['provenance'] });
    const [v1] = audit.tags;
    assert.deepEqual(
      v1!.attestations.map((a) => a.predicateTypes).sort((a, b) => b.length - a.length),
      [['https://slsa.dev/provenance/v1\u202e'], []],
    );
    assert.deepEqual(v1!.missing, [], 'the statement is provenance, present (not verified) as an annotation would say');
    const row = auditLines(audit)[1]!;
    assert.match(row, /https:\/\/slsa\.dev\/provenance\/v1⟨U\+202E⟩, 1 without predicate type/);
  });

  it("keeps a bounded part of a hostile attestation's predicate types: an audit holds every tag's until it reports", async () => {
    const target = new MemoryTarget({ referrersApi: true });
    const image = (await pushArtifact(target, 'image', { tag: 'v1' })).manifest;
    const documents = Array.from({ length: 100 }, (_, i) => ({
      mediaType: MediaType.inToto,
      bytes: Buffer.from(`{"n":${i}}`),
      title: `a${i}.json`,
    }));
    const attestation = await attachBytes(target, image, {
      artifactType: MediaType.inToto,
      documents,
      annotations: { 'in-toto.io/predicate-type': `https://slsa.dev/provenance/${'x'.repeat(100_000)}` },
    });
    // Each layer names a predicate type of its own (cosign's .att keeps one layer per attestation).
    const { manifest } = await target.fetchManifest(attestation);
    const layered = {
      ...manifest,
      layers: (manifest as ImageManifest).layers.map((l, i) => ({
        ...l,
        annotations: { 'in-toto.io/predicate-type': `https://example.com/p${i}` },
      })),
    };
    const bytes = Buffer.from(JSON.stringify(layered));
    await target.deleteManifest(attestation);
    await target.pushManifest(manifestDescriptor(bytes), bytes);

    const [v1] = (await auditRepository(target, { trustedCerts: [] })).tags;
    const types = v1!.attestations.flatMap((a) => a.predicateTypes);
    assert.equal(types.length, MAX_PREDICATE_TYPES);
    assert.ok(types.every((t) => t.length <= MAX_PREDICATE_TYPE_LENGTH + 1));
    assert.match(types[0]!, /^https:\/\/slsa\.dev\/provenance\/x+…$/);
  });

  it("keeps Node's listener-leak warning quiet under the caller's signal, however many reads are in flight", async () => {
    const target = new MemoryTarget();
    const key = await signingKey('ecdsa-p256');
    for (const tag of ['a', 'b', 'c', 'd', 'e', 'f']) {
      const subject = (await pushArtifact(target, tag, { tag })).manifest;
      for (let i = 0; i < 3; i++)
        await signArtifact(target, subject, { key: key.privateKeyPem, certChain: key.certChainPem });
    }
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(`${warning.name}: ${warning.message}`);
    process.on('warning', onWarning);
    try {
      const audit = await auditRepository(target, {
        trustedCerts: [key.certificatePem],
        concurrency: 6,
        signal: new AbortController().signal,
      });
      assert.equal(audit.summary.verdicts.passed, 6);
      await new Promise((resolve) => setImmediate(resolve)); // warnings are emitted on a later tick
    } finally {
      process.off('warning', onWarning);
    }
    assert.deepEqual(warnings, []);
  });

  it('keepTags false: each tag is handed over in tag order as soon as it and those before it are judged, none is kept, the summary is the same', async () => {
    const target = new ScriptedTarget();
    const key = await signingKey('ecdsa-p256');
    const tags = ['t0', 't1', 't2', 't3', 't4', 't5', 't6', 't7'];
    for (const tag of tags) {
      const { manifest } = await pushArtifact(target, tag, { tag });
      if (tag !== 't3') await signArtifact(target, manifest, { key: key.privateKeyPem, certChain: key.certChainPem });
    }
    target.slow.add('t0');
    const handed: [string, number][] = [];
    const streamed = await auditRepository(target, {
      trustedCerts: [key.certificatePem],
      concurrency: 2,
      keepTags: false,
      onTagInOrder: (audit) => handed.push([audit.tag, target.started.length]),
    });
    assert.deepEqual(
      handed.map(([tag]) => tag),
      tags,
    );
    // t0 is slow: it is handed over with at most `concurrency` tags started, not after every tag was judged.
    assert.ok(handed[0]![1] <= 2, `t0 was handed over after ${handed[0]![1]} tags started`);
    assert.deepEqual(streamed.tags, []);
    target.started.length = 0;
    const kept = await auditRepository(target, { trustedCerts: [key.certificatePem], concurrency: 2 });
    assert.equal(kept.tags.length, 8);
    assert.deepEqual(streamed.summary, kept.summary);
    assert.deepEqual([streamed.passed, streamed.evidenceVerified], [kept.passed, kept.evidenceVerified]);
    assert.deepEqual([streamed.summary.verdicts.passed, streamed.summary.verdicts.unsigned], [7, 1]);
  });

  it('an empty repository does not pass', async () => {
    const audit = await auditRepository(new MemoryTarget(), { trustedCerts: [] });
    assert.deepEqual([audit.tags.length, audit.passed], [0, false]);
  });
});

describe('supplyChain/auditLines: the report as text', () => {
  it('escapes tag names, predicate types, signers and reasons, and measures columns on what is shown', () => {
    const hostile = 'v1\u001b]8;;https://evil.example\u0007';
    const judged = judgeTag(
      facts({
        tag: hostile,
        signatures: [{ ...signature('verified'), signer: 'CN=Mallory\u202Egnp.exe' }, signature('failed')],
        attestations: [{ digest: DIGEST, in: 'referrers', predicateTypes: ['https://x\u001b[2J'] }],
      }),
      [],
    );
    const audit: RepositoryAudit = {
      location: 'r.example/app',
      require: [],
      tags: [judged, judgeTag(facts({ tag: 'v2', signatures: [] }), [])],
      summary: {
        tags: 2,
        verdicts: { passed: 0, missing: 0, unverified: 0, unsigned: 1, incomplete: 0, failed: 1, error: 0 },
        withSbom: 0,
        withAttestations: 1,
        indexes: 0,
      },
      passed: false,
      evidenceVerified: false,
    };
    const lines = auditLines(audit);
    const text = lines.join('\n');
    // eslint-disable-next-line no-control-regex -- control characters are what must not appear
    assert.doesNotMatch(text, /[\u0000-\u0008\u000b-\u001f\u007f\u202e]/, 'no control or bidi character survives');
    assert.match(text, /v1⟨U\+001B⟩\]8;;https:\/\/evil\.example⟨U\+0007⟩/);
    assert.match(text, /signed by CN=Mallory⟨U\+202E⟩gnp\.exe/);
    assert.match(text, /https:\/\/x⟨U\+001B⟩\[2J/);
    const [header, first, second] = lines;
    const digestColumn = header!.indexOf('DIGEST');
    assert.equal(first!.indexOf('aaaaaaaaaaaa'), digestColumn, 'columns line up on the escaped tag');
    assert.equal(second!.indexOf('aaaaaaaaaaaa'), digestColumn);
    assert.equal(lines.at(-1), '2 tags: 1 unsigned, 1 failed; 0 with an SBOM, 1 with attestations');
    assert.match(
      lines.slice(-5, -2).join(' '),
      /^Only signatures were verified\. .*present, not verified/,
      'evidence is not said verified',
    );
    assert.deepEqual(header!.split(/ +/), ['TAG', 'VERDICT', 'DIGEST', 'SIGNATURES', 'SBOM', 'ATTESTATIONS']);
    assert.match(second!, /^v2 +unsigned +aaaaaaaaaaaa /, 'the verdict beside the tag, before the wide columns');
    assert.deepEqual(
      lines.slice(-5).filter((l) => l.length > 100),
      [],
      'the notes read in a 100-column editor',
    );
  });

  it('streamed: the header as wide as the escaped tag names, each row with its lines under it, the same notes and summary as the kept table', () => {
    const hostile = 'v1\u001b]8;;x\u0007';
    const sbom = {
      format: 'SPDX' as const,
      digest: DIGEST,
      via: 'referrer' as const,
      verified: true,
      signatures: [signature('verified')],
    };
    const tags = [
      judgeTag(facts({ tag: hostile, sboms: [sbom] }), []),
      judgeTag(facts({ tag: 'v2', signatures: [signature('failed')] }), []),
    ];
    const audit: RepositoryAudit = {
      location: 'r.example/app',
      require: [],
      tags,
      summary: {
        tags: 2,
        verdicts: { passed: 1, missing: 0, unverified: 0, unsigned: 0, incomplete: 0, failed: 1, error: 0 },
        withSbom: 1,
        withAttestations: 0,
        indexes: 0,
      },
      passed: false,
      evidenceVerified: false,
    };
    const text = streamedAuditText(tags.map((t) => t.tag));
    const lines = [text.header, ...tags.flatMap(text.tagLines), ...text.closing({ ...audit, tags: [] })];
    const digestColumn = text.header.indexOf('DIGEST');
    assert.equal(lines[1]!.indexOf('aaaaaaaaaaaa'), digestColumn, 'columns line up on the escaped tag');
    assert.match(lines[2]!, /^v1⟨U\+001B⟩.*: verified notary /, 'the row’s signature lines under it');
    assert.ok(lines.some((l) => /^v2 +failed +aaaaaaaaaaaa +1 failed/.test(l)));
    const kept = auditLines(audit);
    assert.deepEqual(lines.slice(-11), kept.slice(-11), 'the notes (the SBOM signatures one too) and the summary');
    assert.deepEqual(
      lines.slice(-11).filter((l) => l.length > 100),
      [],
      'the notes read in a 100-column editor',
    );
    assert.match(
      lines.join('\n'),
      /SBOMs signed on their own were verified too: an SBOM attached as a document of its own counts as\nverified/,
    );
  });

  it("folds a failed signature's long reasons within 100 columns: the verdict alone on its line, each reason indented under it", () => {
    const reasons = [
      'the certificate chain CN=stranger signer,O=Example Signing Authority,C=DE is not trusted by any certificate given with --trust-cert',
      'the signing time 2026-12-07T15:00:00Z is outside the validity of CN=stranger signer',
    ];
    const failed = { ...signature('failed'), reasons };
    const tags = [judgeTag(facts({ tag: 'v2', signatures: [failed] }), [])];
    const audit: RepositoryAudit = {
      location: 'r.example/app',
      require: [],
      tags,
      summary: {
        tags: 1,
        verdicts: { passed: 0, missing: 0, unverified: 0, unsigned: 0, incomplete: 0, failed: 1, error: 0 },
        withSbom: 0,
        withAttestations: 0,
        indexes: 0,
      },
      passed: false,
      evidenceVerified: false,
    };
    const streamed = streamedAuditText(['v2']).tagLines(tags[0]!);
    for (const lines of [auditLines(audit), streamed]) {
      const start = lines.findIndex((l) => l.startsWith('v2: '));
      const end = lines.findIndex((l, i) => i > start && !l.startsWith('    '));
      const result = lines.slice(start, end === -1 ? undefined : end);
      assert.ok(result.length > 1, 'folded onto more than one line');
      assert.deepEqual(
        result.filter((l) => l.length > 100),
        [],
        'every line reads in a 100-column editor or terminal',
      );
      assert.equal(result[0], `v2: FAILED notary sha256:${'a'.repeat(12)}:`, 'the verdict on a line of its own');
      assert.match(result[1]!, /^ {4}the certificate chain /, 'each reason starts a line, indented by four');
      assert.equal(result.slice(1).findIndex((l) => l.startsWith('    the signing time')) > 0, true);
      assert.equal(result.map((l) => l.trim()).join(' '), `${result[0]} ${reasons.join(' ')}`, 'nothing lost');
    }
  });

  it('folds a hostile reason by the columns it shows: CJK counted twice, controls and bidi escaped, nothing lost', () => {
    // A certificate's subject quoted in a reason: wide characters, an ANSI sequence, a bidi override.
    const subject = '署名者 '.repeat(30);
    const reasons = [`the certificate CN=${subject}\u001b[31mOK\u202e is not trusted`];
    const failed = { ...signature('failed'), reasons };
    const tag = judgeTag(facts({ tag: 'v3', signatures: [failed] }), []);
    const lines = streamedAuditText(['v3']).tagLines(tag);
    const start = lines.findIndex((l) => l.startsWith('v3: '));
    const result = lines.slice(start).filter((l, i) => i === 0 || l.startsWith('    '));
    assert.deepEqual(
      result.filter((l) => displayWidth(l) > 100),
      [],
      'every line fits 100 columns as an editor or terminal shows it',
    );
    assert.ok(!result.some((l) => l.includes('\u001b') || l.includes('\u202e')), 'no control or bidi character shown');
    assert.match(result.join(' '), /U\+001B.*U\+202E/, 'the escaped characters are named');
  });

  it('says nothing of SBOMs signed on their own when no SBOM had a signature of its own', () => {
    const unsigned = { format: 'SPDX' as const, digest: DIGEST, via: 'referrer' as const, signatures: [] };
    const tags = [judgeTag(facts({ tag: 'v1', signatures: [signature('verified')], sboms: [unsigned] }), ['sbom'])];
    const audit: RepositoryAudit = {
      location: 'r.example/app',
      require: ['sbom'],
      tags,
      summary: {
        tags: 1,
        verdicts: { passed: 1, missing: 0, unverified: 0, unsigned: 0, incomplete: 0, failed: 0, error: 0 },
        withSbom: 1,
        withAttestations: 0,
        indexes: 0,
      },
      passed: true,
      evidenceVerified: false,
    };
    const text = auditLines(audit).join('\n');
    assert.match(text, /^v1: SBOM SPDX sha256:[0-9a-f]{12}: no signature of its own$/m);
    assert.doesNotMatch(text, /SBOMs signed on their own/);
    assert.match(text, /^Only signatures were verified\./m);
  });
});
