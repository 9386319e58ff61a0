// An SBOM attached as a document of its own and signed on its own (how ORAS and Notation users sign SBOMs), audited
// over a real in-memory store: its own Notary or cosign signature makes it verified evidence; a signature by a key
// nobody trusts, or one that signs another SBOM, fails the tag; signature referrers beyond the bound are named.
import * as assert from 'node:assert/strict';
import { generateKeyPairSync, sign } from 'node:crypto';
import { MemoryTarget } from '../../../src/core/memory';
import { MediaType, type Descriptor } from '../../../src/core/oci';
import { digestOf } from '../../../src/core/content/hashing';
import { parseCosignPublicKey } from '../../../src/core/sign';
import {
  attachBytes,
  auditLines,
  auditRepository,
  MAX_SBOM_SIGNATURE_CHECKS,
  MAX_SBOM_SIGNATURE_REFERRERS,
  MAX_SBOMS_CHECKED,
  MAX_SIGNATURE_LAYERS,
  signArtifact,
} from '../../../src/core/supplyChain';
import { addToFallbackIndex } from '../../../src/core/graph/fallbackIndex';
import { pushBytes } from '../../helpers/cosignAttestation';
import { pushArtifact } from '../../helpers/sampleArtifact';
import { signingKey } from '../sign/fixtures';

const ours = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const cosignKey = parseCosignPublicKey(ours.publicKey.export({ type: 'spki', format: 'pem' }) as string, 'ours.pub');

async function attachSbom(target: MemoryTarget, subject: Descriptor, name: string): Promise<Descriptor> {
  return attachBytes(target, subject, {
    artifactType: MediaType.spdx,
    documents: [
      {
        mediaType: MediaType.spdx,
        bytes: Buffer.from(`{"spdxVersion":"SPDX-2.3","name":"${name}"}`),
        title: 'sbom.spdx.json',
      },
    ],
  });
}

/** cosign's `.sig` tag of `sbom`, signed by our key, whose payloads (`count` of them) name `about`. */
async function cosignSign(target: MemoryTarget, sbom: Descriptor, about: string, count = 1): Promise<void> {
  const layers = [];
  for (let i = 0; i < count; i++) {
    const payload = Buffer.from(
      JSON.stringify({
        critical: {
          identity: {},
          image: { 'docker-manifest-digest': about },
          type: 'cosign container image signature',
        },
        optional: { n: i },
      }),
    );
    layers.push({
      ...(await pushBytes(target, payload, MediaType.cosignSimpleSigning)),
      annotations: {
        'dev.cosignproject.cosign/signature': sign('sha256', payload, ours.privateKey).toString('base64'),
      },
    });
  }
  const config = await pushBytes(target, Buffer.from('{}'), 'application/vnd.oci.image.config.v1+json');
  const bytes = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ociManifest, config, layers }));
  await target.pushManifest({ mediaType: MediaType.ociManifest, digest: digestOf(bytes), size: bytes.length }, bytes, {
    tag: `${sbom.digest.replace(':', '-')}.sig`,
  });
}

describe('supplyChain/auditRepository: an SBOM signed on its own', function () {
  this.timeout(60_000);

  it('counts an SBOM verified by its own Notary or cosign signature; a signature by an untrusted key, or of another SBOM, fails the tag', async () => {
    const target = new MemoryTarget();
    const trusted = await signingKey('ecdsa-p256');
    const stranger = await signingKey('ecdsa-p384'); // another key and self-signed certificate
    const tags: Record<string, Descriptor> = {};
    for (const tag of ['notary', 'cosign', 'stranger', 'elsewhere', 'unsigned']) {
      tags[tag] = (await pushArtifact(target, tag, { tag })).manifest;
      await signArtifact(target, tags[tag]!, { key: trusted.privateKeyPem, certChain: trusted.certChainPem });
    }
    const sboms: Record<string, Descriptor> = {};
    for (const tag of Object.keys(tags)) sboms[tag] = await attachSbom(target, tags[tag]!, tag);
    await signArtifact(target, sboms.notary!, { key: trusted.privateKeyPem, certChain: trusted.certChainPem });
    await cosignSign(target, sboms.cosign!, sboms.cosign!.digest);
    await signArtifact(target, sboms.stranger!, { key: stranger.privateKeyPem, certChain: stranger.certChainPem });
    // Signed by our key, kept under this SBOM's .sig tag, but the payload signs the "notary" tag's SBOM.
    await cosignSign(target, sboms.elsewhere!, sboms.notary!.digest);

    const audit = await auditRepository(target, {
      trustedCerts: [trusted.certificatePem],
      cosignKeys: [cosignKey],
      require: ['sbom'],
    });
    const byTag = new Map(audit.tags.map((t) => [t.tag, t]));
    const sbomOf = (tag: string) => byTag.get(tag)!.sboms[0]!;
    assert.deepEqual(
      ['notary', 'cosign', 'stranger', 'elsewhere', 'unsigned'].map((tag) => [
        tag,
        byTag.get(tag)!.verdict,
        sbomOf(tag).verified,
      ]),
      [
        ['notary', 'passed', true],
        ['cosign', 'passed', true],
        ['stranger', 'failed', false],
        ['elsewhere', 'failed', false],
        ['unsigned', 'unverified', false],
      ],
    );
    assert.deepEqual(
      sbomOf('notary').signatures!.map((s) => [s.kind, s.status]),
      [['notary', 'verified']],
    );
    assert.equal(sbomOf('unsigned').signatures!.length, 0);
    assert.match(
      sbomOf('elsewhere').signatures![0]!.reasons.join('; '),
      new RegExp(`signs manifest ${sboms.notary!.digest}, not ${sboms.elsewhere!.digest}`),
    );
    const text = auditLines(audit).join('\n');
    assert.match(
      text,
      /^notary: SBOM SPDX sha256:[0-9a-f]{12}: verified notary sha256:[0-9a-f]{12} signed at \S+ by /m,
    );
    assert.match(text, /^stranger: SBOM SPDX sha256:[0-9a-f]{12}: FAILED notary /m);
    assert.match(text, /^unsigned: SBOM SPDX sha256:[0-9a-f]{12}: no signature of its own$/m);
    assert.match(
      text,
      /^SBOMs signed on their own were verified too: an SBOM attached as a document of its own counts as\nverified/m,
    );
  });

  it("does not count another SBOM's valid signature listed under this SBOM (a hostile fallback index): not verified", async () => {
    const target = new MemoryTarget();
    const trusted = await signingKey('ecdsa-p256');
    const sboms: Descriptor[] = [];
    for (const tag of ['signed', 'claimed']) {
      const image = (await pushArtifact(target, tag, { tag })).manifest;
      await signArtifact(target, image, { key: trusted.privateKeyPem, certChain: trusted.certChainPem });
      sboms.push(await attachSbom(target, image, tag));
    }
    const signature = await signArtifact(target, sboms[0]!, {
      key: trusted.privateKeyPem,
      certChain: trusted.certChainPem,
    });
    // Anyone who can push can list the first SBOM's signature in the second SBOM's fallback tag.
    await addToFallbackIndex(target, sboms[1]!.digest, { ...signature, artifactType: MediaType.notarySignature });

    const audit = await auditRepository(target, { trustedCerts: [trusted.certificatePem], cosignKeys: [cosignKey] });
    const claimed = audit.tags.find((t) => t.tag === 'claimed')!;
    assert.deepEqual(claimed.sboms[0]!.signatures, []);
    assert.equal(claimed.sboms[0]!.verified, false);
    assert.equal(audit.tags.find((t) => t.tag === 'signed')!.sboms[0]!.verified, true);
  });

  it("checks an SBOM's Notary signature against the manifest fetched, not the listing's media type (a listing that lies)", async () => {
    const target = new MemoryTarget();
    const trusted = await signingKey('ecdsa-p256');
    const signedBy = { key: trusted.privateKeyPem, certChain: trusted.certChainPem };
    const image = (await pushArtifact(target, 'listed', { tag: 'listed' })).manifest;
    await signArtifact(target, image, signedBy);
    const sbom = await attachSbom(target, image, 'listed');
    await signArtifact(target, sbom, signedBy);
    // The image's fallback index now says the SBOM is of another media type than its bytes are (a size that lies
    // fails the read itself: the bytes are checked against it).
    const fallbackTag = image.digest.replace(':', '-');
    const index = JSON.parse((await target.fetchManifest(fallbackTag)).bytes.toString()) as { manifests: Descriptor[] };
    index.manifests = index.manifests.map((d) =>
      d.digest === sbom.digest ? { ...d, mediaType: MediaType.dockerManifest } : d,
    );
    const lying = Buffer.from(JSON.stringify(index));
    await target.pushManifest({ mediaType: MediaType.ociIndex, digest: digestOf(lying), size: lying.length }, lying, {
      tag: fallbackTag,
    });

    const audit = await auditRepository(target, { trustedCerts: [trusted.certificatePem], require: ['sbom'] });
    const found = audit.tags.find((t) => t.tag === 'listed')!.sboms[0]!;
    assert.deepEqual(
      found.signatures!.map((s) => [s.kind, s.status, s.reasons]),
      [['notary', 'verified', []]],
    );
    assert.equal(found.verified, true);
  });

  it("does not count a signed SBOM under this tag's cosign .sbom tag whose manifest names another image, or none: not verified, saying why", async () => {
    const target = new MemoryTarget();
    const trusted = await signingKey('ecdsa-p256');
    const signedBy = { key: trusted.privateKeyPem, certChain: trusted.certChainPem };
    const images: Record<string, Descriptor> = {};
    for (const tag of ['theirs', 'borrowed', 'unnamed']) {
      images[tag] = (await pushArtifact(target, tag, { tag })).manifest;
      await signArtifact(target, images[tag]!, signedBy);
    }
    // Their SBOM, properly attached to their image and signed by the trusted key.
    const theirs = await attachSbom(target, images.theirs!, 'theirs');
    await signArtifact(target, theirs, signedBy);
    // An SBOM manifest naming no image (as cosign attach sbom writes it), signed by the trusted key too.
    const layer = await pushBytes(target, Buffer.from('{"spdxVersion":"SPDX-2.3"}'), MediaType.spdx);
    const config = await pushBytes(target, Buffer.from('{}'), 'application/vnd.oci.image.config.v1+json');
    const bytes = Buffer.from(
      JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ociManifest, config, layers: [layer] }),
    );
    const unnamed = { mediaType: MediaType.ociManifest, digest: digestOf(bytes), size: bytes.length };
    await target.pushManifest(unnamed, bytes);
    await signArtifact(target, unnamed, signedBy);
    // Anyone who can push tags points the other images' cosign .sbom tags at those signed SBOMs.
    const cosignTag = (image: Descriptor) => `${image.digest.replace(':', '-')}.sbom`;
    await target.pushManifest(theirs, (await target.fetchManifest(theirs)).bytes, {
      tag: cosignTag(images.borrowed!),
    });
    await target.pushManifest(unnamed, bytes, { tag: cosignTag(images.unnamed!) });

    const audit = await auditRepository(target, {
      trustedCerts: [trusted.certificatePem],
      cosignKeys: [cosignKey],
      require: ['sbom'],
    });
    const byTag = new Map(audit.tags.map((t) => [t.tag, t]));
    assert.deepEqual(
      ['theirs', 'borrowed', 'unnamed'].map((tag) => [
        tag,
        byTag.get(tag)!.verdict,
        byTag.get(tag)!.sboms[0]?.verified,
      ]),
      [
        ['theirs', 'passed', true],
        ['borrowed', 'unverified', false],
        ['unnamed', 'unverified', false],
      ],
    );
    assert.equal(byTag.get('borrowed')!.sboms[0]!.signatures, undefined);
    const text = auditLines(audit).join('\n');
    assert.match(
      text,
      new RegExp(
        `^borrowed: SBOM SPDX sha256:[0-9a-f]{12}: its signatures are not counted for this tag: its manifest names ${images.theirs!.digest} as its subject`,
        'm',
      ),
    );
    assert.match(text, /^unnamed: SBOM SPDX sha256:[0-9a-f]{12}: .*its manifest names no subject/m);
  });

  it('with Notary certificates only, a signed SBOM is verified and an unsigned one counts by presence, as before', async () => {
    const target = new MemoryTarget();
    const trusted = await signingKey('ecdsa-p256');
    for (const tag of ['signed', 'unsigned']) {
      const image = (await pushArtifact(target, tag, { tag })).manifest;
      await signArtifact(target, image, { key: trusted.privateKeyPem, certChain: trusted.certChainPem });
      const sbom = await attachSbom(target, image, tag);
      if (tag === 'signed')
        await signArtifact(target, sbom, { key: trusted.privateKeyPem, certChain: trusted.certChainPem });
    }
    const audit = await auditRepository(target, { trustedCerts: [trusted.certificatePem], require: ['sbom'] });
    assert.deepEqual(
      audit.tags.map((t) => [t.tag, t.verdict, t.sboms[0]!.verified]),
      [
        ['signed', 'passed', true],
        ['unsigned', 'passed', undefined],
      ],
    );
  });

  it(`reads at most ${MAX_SBOM_SIGNATURE_REFERRERS} signature referrers of an SBOM, names the bound, and does not count it verified`, async () => {
    const target = new MemoryTarget();
    const trusted = await signingKey('ecdsa-p256');
    const image = (await pushArtifact(target, 'many', { tag: 'many' })).manifest;
    await signArtifact(target, image, { key: trusted.privateKeyPem, certChain: trusted.certChainPem });
    const sbom = await attachSbom(target, image, 'many');
    for (let i = 0; i <= MAX_SBOM_SIGNATURE_REFERRERS; i++)
      await signArtifact(target, sbom, {
        key: trusted.privateKeyPem,
        certChain: trusted.certChainPem,
        signingTime: new Date(Date.UTC(2026, 0, 1, 0, 0, i)),
      });
    const audit = await auditRepository(target, { trustedCerts: [trusted.certificatePem], require: ['sbom'] });
    const found = audit.tags[0]!.sboms[0]!;
    assert.equal(found.signatures!.length, MAX_SBOM_SIGNATURE_REFERRERS);
    assert.match(found.unread ?? '', new RegExp(`more than ${MAX_SBOM_SIGNATURE_REFERRERS} signature referrers`));
    assert.notEqual(found.verified, true);
  });

  it(`leaves a tag incomplete, not passed, when the signatures of an SBOM beyond the first ${MAX_SBOMS_CHECKED} are not checked (a failing one may be there)`, async () => {
    const target = new MemoryTarget();
    const trusted = await signingKey('ecdsa-p256');
    const stranger = await signingKey('ecdsa-p384');
    const image = (await pushArtifact(target, 'crowded', { tag: 'crowded' })).manifest;
    await signArtifact(target, image, { key: trusted.privateKeyPem, certChain: trusted.certChainPem });
    // An attacker who can push lists SBOMs of their own first; the one signed by a stranger comes last.
    const sboms: Descriptor[] = [];
    for (let i = 0; i <= MAX_SBOMS_CHECKED; i++) sboms.push(await attachSbom(target, image, `sbom ${i}`));
    for (const [i, sbom] of sboms.entries()) {
      const by = i < MAX_SBOMS_CHECKED ? trusted : stranger;
      await signArtifact(target, sbom, { key: by.privateKeyPem, certChain: by.certChainPem });
    }

    const audit = await auditRepository(target, { trustedCerts: [trusted.certificatePem] });
    const [tag] = audit.tags;
    const unread = tag!.sboms.filter((s) => s.unread !== undefined);
    assert.deepEqual(
      unread.map((s) => [s.digest, s.signatures]),
      [[sboms[MAX_SBOMS_CHECKED]!.digest, undefined]],
    );
    assert.equal(tag!.verdict, 'incomplete');
    assert.match(
      auditLines(audit).join('\n'),
      new RegExp(
        `^crowded: SBOM SPDX sha256:[0-9a-f]{12}: not checked: the signatures of at most ${MAX_SBOMS_CHECKED} SBOMs`,
        'm',
      ),
    );
  });

  it(`checks at most ${MAX_SBOM_SIGNATURE_CHECKS} signature layers over all the SBOMs of a tag (and one manifest whole), naming those not checked`, async () => {
    const target = new MemoryTarget();
    const trusted = await signingKey('ecdsa-p256');
    const image = (await pushArtifact(target, 'heavy', { tag: 'heavy' })).manifest;
    await signArtifact(target, image, { key: trusted.privateKeyPem, certChain: trusted.certChainPem });
    // Each SBOM's .sig manifest holds as many signature layers as a manifest may: without a budget for the tag,
    // 16 SBOMs x 8 such referrers would be 12,800 reads and verifications.
    const sboms: Descriptor[] = [];
    for (let i = 0; i < 3; i++) {
      sboms.push(await attachSbom(target, image, `heavy ${i}`));
      await cosignSign(target, sboms[i]!, sboms[i]!.digest, MAX_SIGNATURE_LAYERS);
    }
    const audit = await auditRepository(target, { trustedCerts: [trusted.certificatePem], cosignKeys: [cosignKey] });
    const [tag] = audit.tags;
    const statuses = tag!.sboms.map((s) => s.signatures!.map((x) => x.status));
    assert.equal(statuses.flat().filter((status) => status === 'verified').length, 2 * MAX_SIGNATURE_LAYERS);
    assert.deepEqual(statuses[2], ['unchecked']);
    assert.match(
      tag!.sboms[2]!.signatures![0]!.reasons.join(),
      new RegExp(`the SBOMs of a tag have at most ${MAX_SBOM_SIGNATURE_CHECKS} signature layers checked`),
    );
    assert.match(tag!.sboms[2]!.unread ?? '', /1 signature of it not checked/);
    assert.equal(tag!.verdict, 'incomplete');
  });
});
