// Referrers as registries with the API serve them (distribution 2.8.2 has none, so these are scripted): the probe
// accepts only a real JSON image index, the listing follows Link pages and asks for the artifact type filter, and
// a manifest push with a subject is reported indexed only where the API lists it.
import * as assert from 'node:assert/strict';
import { digestOf } from '../../../src/core/content/hashing';
import { MediaType } from '../../../src/core/oci/mediaTypes';
import { probeReferrersApi } from '../../../src/core/registry/capabilities';
import { RegistryClient } from '../../../src/core/registry/RegistryClient';
import { RegistryTarget } from '../../../src/core/registry/RegistryTarget';
import { reply, startScriptedServer, type Handler, type ScriptedServer } from './scriptedServer';

const SUBJECT = digestOf('subject');
const servers: ScriptedServer[] = [];
const clients: RegistryClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function clientFor(handle: Handler): Promise<{ client: RegistryClient; server: ScriptedServer }> {
  const server = await startScriptedServer(handle);
  servers.push(server);
  const client = new RegistryClient(
    { host: server.host, plainHttp: true },
    { credentials: { ignoreToolConfig: true } },
  );
  clients.push(client);
  return { client, server };
}

const index = (manifests: unknown[]) => JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ociIndex, manifests });
const referrer = (name: string, artifactType: string) => ({
  mediaType: MediaType.ociManifest,
  digest: digestOf(name),
  size: 10,
  artifactType,
});

describe('referrers API probe', () => {
  const answers: { name: string; handle: Handler; expected: boolean }[] = [
    {
      name: 'a JSON image index',
      handle: (_q, res) => reply(res, 200, { 'content-type': MediaType.ociIndex }, index([])),
      expected: true,
    },
    {
      name: 'a 404 in plain text (distribution 2.8.2)',
      handle: (_q, res) => reply(res, 404, { 'content-type': 'text/plain' }, '404 page not found'),
      expected: false,
    },
    {
      name: 'an HTML page with status 200',
      handle: (_q, res) => reply(res, 200, { 'content-type': 'text/html' }, '<html>login</html>'),
      expected: false,
    },
    { name: 'a redirect to a web page', handle: (_q, res) => reply(res, 302, { location: '/ui/' }), expected: false },
    {
      name: 'JSON that is not an index',
      handle: (_q, res) => reply(res, 200, { 'content-type': 'application/json' }, '{"errors":[]}'),
      expected: false,
    },
  ];
  for (const { name, handle, expected } of answers) {
    it(`reports ${expected ? 'an API' : 'no API'} for ${name}`, async () => {
      const { client } = await clientFor(handle);
      assert.equal(await probeReferrersApi(client, 'app'), expected);
    });
  }

  it('probes once per registry client', async () => {
    const { client, server } = await clientFor((_q, res) =>
      reply(res, 200, { 'content-type': MediaType.ociIndex }, index([])),
    );
    await probeReferrersApi(client, 'app');
    await probeReferrersApi(client, 'other');
    assert.equal(server.hits.length, 1);
  });
});

describe('native referrers', () => {
  it("follows Link pages and asks the registry to filter (filtering the answer is graph/referrers.ts's)", async () => {
    const sbom = referrer('sbom', MediaType.spdx);
    const signature = referrer('sig', MediaType.notarySignature);
    const secondSignature = referrer('sig2', MediaType.notarySignature);
    const { client, server } = await clientFor((req, res) => {
      if (req.url!.includes(`/referrers/sha256:44136`)) {
        reply(res, 200, { 'content-type': MediaType.ociIndex }, index([]));
        return;
      }
      if (req.url!.includes('page=2')) {
        reply(res, 200, { 'content-type': MediaType.ociIndex }, index([secondSignature]));
        return;
      }
      reply(
        res,
        200,
        { 'content-type': MediaType.ociIndex, link: `</v2/app/referrers/${SUBJECT}?page=2>; rel="next"` },
        index([sbom, signature]),
      );
    });
    const target = new RegistryTarget(client, 'app');
    assert.deepEqual(await target.nativeReferrers(SUBJECT), [sbom, signature, secondSignature]);
    assert.deepEqual(await target.nativeReferrers(SUBJECT, { artifactType: MediaType.spdx }), [
      sbom,
      signature,
      secondSignature,
    ]);
    assert.ok(
      server.hits.some(
        (h) => h.url === `/v2/app/referrers/${SUBJECT}?artifactType=${encodeURIComponent(MediaType.spdx)}`,
      ),
    );
  });

  it('is undefined when the registry has no referrers API', async () => {
    const { client } = await clientFor((_q, res) =>
      reply(res, 404, { 'content-type': 'text/plain' }, '404 page not found'),
    );
    assert.equal(await new RegistryTarget(client, 'app').nativeReferrers(SUBJECT), undefined);
  });
});

describe('manifest push', () => {
  const pushed = (subject?: string) => {
    const bytes = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MediaType.ociManifest,
        config: {},
        layers: [],
        ...(subject ? { subject: { mediaType: MediaType.ociManifest, digest: subject, size: 7 } } : {}),
      }),
    );
    return { bytes, descriptor: { mediaType: MediaType.ociManifest, digest: digestOf(bytes), size: bytes.length } };
  };

  /** A registry whose answers the test sets: OCI-Subject on pushes, a referrers API (listing `listed`) or none. */
  async function registry(state: { header: boolean; api: boolean; listed: string[] }) {
    return clientFor((req, res) => {
      if (req.method === 'PUT') {
        reply(res, 201, {
          'docker-content-digest': /manifests\/(sha256:[0-9a-f]{64})$/.exec(req.url!)?.[1] ?? '',
          ...(state.header ? { 'oci-subject': SUBJECT } : {}),
        });
        return;
      }
      if (!state.api) return reply(res, 404, { 'content-type': 'text/plain' }, '404 page not found');
      const listed = req.url!.includes(SUBJECT) ? state.listed : [];
      reply(
        res,
        200,
        { 'content-type': MediaType.ociIndex },
        index(listed.map((d) => ({ ...referrer('x', 'a/b'), digest: d }))),
      );
    });
  }

  it('reports subjectIndexed from the OCI-Subject header where the referrers API answers', async () => {
    const { descriptor, bytes } = pushed(SUBJECT);
    const { client, server } = await registry({ header: true, api: true, listed: [] });
    const target = new RegistryTarget(client, 'app');
    assert.deepEqual(await target.pushManifest(descriptor, bytes, { tag: 'v1' }), { subjectIndexed: true });
    assert.deepEqual(
      server.hits.filter((h) => h.method === 'PUT').map((h) => [h.url, h.headers['content-type']]),
      [['/v2/app/manifests/v1', MediaType.ociManifest]],
    );
    const plain = pushed();
    assert.deepEqual(await target.pushManifest(plain.descriptor, plain.bytes), { subjectIndexed: false });
  });

  it('does not trust OCI-Subject from a registry without the referrers API (old ECR)', async () => {
    const { descriptor, bytes } = pushed(SUBJECT);
    const { client } = await registry({ header: true, api: false, listed: [] });
    assert.deepEqual(await new RegistryTarget(client, 'app').pushManifest(descriptor, bytes), {
      subjectIndexed: false,
    });
  });

  it('without OCI-Subject asks the API whether it listed the push (Quay)', async () => {
    const { descriptor, bytes } = pushed(SUBJECT);
    const state = { header: false, api: true, listed: [] as string[] };
    const { client } = await registry(state);
    const target = new RegistryTarget(client, 'app');
    assert.deepEqual(await target.pushManifest(descriptor, bytes), { subjectIndexed: false });
    state.listed = [descriptor.digest];
    assert.deepEqual(await target.pushManifest(descriptor, bytes), { subjectIndexed: true });
  });
});
