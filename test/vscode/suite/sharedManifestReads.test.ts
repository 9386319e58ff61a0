// With tags ordered by recent creation and tag descriptions on, the Registries view reads each tag's manifest
// once: the creation time and the description share the read (it cost two GETs per tag before). Counted on a
// scripted registry that records every request; a refresh reads them afresh (a tag may have moved). A listed referrer
// is read once to judge it (is it one?) and to name it.
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as vscode from 'vscode';
import { json, startHostileServer, type HostileServer } from '../../fixtures/hostileServer';
import type { StowageTestApi as StowageApi } from '../../../src/vscode/testApi';
import type { ManifestNode, RegistryNode, RepositoryNode } from '../../../src/vscode/tree/nodes';
import { children, child, setRegistries, stowageApi, waitFor } from './helpers/stowage';

const TAGS = ['old', 'newest', 'middle'];
const CREATED: Record<string, string> = {
  old: '2024-01-01T00:00:00Z',
  newest: '2026-03-01T00:00:00Z',
  middle: '2025-06-01T00:00:00Z',
};

function digestOf(bytes: Buffer): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

function manifestOf(tag: string): Buffer {
  return Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      artifactType: 'application/vnd.example.thing',
      config: {
        mediaType: 'application/vnd.oci.empty.v1+json',
        digest: 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a',
        size: 2,
      },
      layers: [],
      annotations: { 'org.opencontainers.image.created': CREATED[tag] },
    }),
  );
}

describe('Registries view: one manifest read per tag', function () {
  this.timeout(60_000);
  let api: StowageApi;
  let server: HostileServer;
  const manifestGets = new Map<string, number>();

  // A referrer of "newest", listed by its fallback tag (the server has no referrers API).
  const newestDigest = digestOf(manifestOf('newest'));
  const referrer = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      artifactType: 'application/vnd.example.note',
      config: JSON.parse(manifestOf('newest').toString()).config,
      layers: [],
      subject: {
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        digest: newestDigest,
        size: manifestOf('newest').length,
      },
    }),
  );
  const referrerDigest = digestOf(referrer);
  const fallbackIndex = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [
        {
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          digest: referrerDigest,
          size: referrer.length,
          artifactType: 'application/vnd.example.note',
        },
      ],
    }),
  );
  // "middle" is listed (by a fallback tag anyone who can push may write) with 600 forged referrers, none there.
  const forged = Array.from({ length: 600 }, (_, i) => digestOf(Buffer.from(`forged ${i}`)));
  const forgedIndex = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: forged.map((digest) => ({
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        digest,
        size: 100,
        artifactType: 'application/vnd.example.note',
      })),
    }),
  );
  let forgedGets = 0;
  const served: Record<string, Buffer> = {
    [newestDigest.replace(':', '-')]: fallbackIndex,
    [digestOf(manifestOf('middle')).replace(':', '-')]: forgedIndex,
    [referrerDigest]: referrer,
  };

  before(async () => {
    api = await stowageApi();
    server = await startHostileServer((req, res, url) => {
      if (url.pathname === '/v2/') return json(res, {});
      if (url.pathname === '/v2/app/tags/list') return json(res, { name: 'app', tags: TAGS });
      const named = /^\/v2\/app\/manifests\/([^/]+)$/.exec(url.pathname)?.[1];
      const extra = named !== undefined ? served[decodeURIComponent(named)] : undefined;
      if (named && extra) {
        if (req.method === 'GET') manifestGets.set(named, (manifestGets.get(named) ?? 0) + 1);
        res.writeHead(200, {
          'content-type': JSON.parse(extra.toString()).mediaType,
          'content-length': String(extra.length),
          'docker-content-digest': digestOf(extra),
        });
        return void res.end(req.method === 'HEAD' ? undefined : extra);
      }
      const tag = /^\/v2\/app\/manifests\/([^/]+)$/.exec(url.pathname)?.[1];
      if (tag && TAGS.includes(tag)) {
        if (req.method === 'GET') manifestGets.set(tag, (manifestGets.get(tag) ?? 0) + 1);
        const bytes = manifestOf(tag);
        res.writeHead(200, {
          'content-type': 'application/vnd.oci.image.manifest.v1+json',
          'content-length': String(bytes.length),
          'docker-content-digest': `sha256:${createHash('sha256').update(bytes).digest('hex')}`,
        });
        return void res.end(req.method === 'HEAD' ? undefined : bytes);
      }
      if (named && req.method === 'GET' && forged.includes(decodeURIComponent(named))) forgedGets++;
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"errors":[{"code":"NOT_FOUND"}]}');
    });
    await vscode.workspace
      .getConfiguration('stowage')
      .update('tree.tagOrder', 'recent', vscode.ConfigurationTarget.Global);
    await setRegistries([{ host: server.host, plainHttp: true, repositories: ['app'] }]);
  });
  after(async () => {
    await vscode.workspace
      .getConfiguration('stowage')
      .update('tree.tagOrder', undefined, vscode.ConfigurationTarget.Global);
    await setRegistries([]);
    await server.close();
  });

  async function describedTags(): Promise<ManifestNode[]> {
    const root = await waitFor('the scripted registry in the view', async () =>
      (await children(api.registries)).find(
        (n): n is RegistryNode => n.type === 'registry' && n.setting.host === server.host,
      ),
    );
    const repository = (await child(api.registries, root, 'app')) as RepositoryNode;
    const tags = (await children(api.registries, repository)) as ManifestNode[];
    // Drawing a tag starts its description; it is drawn again (with its digest known) once that arrived.
    await waitFor('every tag described', async () => {
      for (const node of tags) api.registries.getTreeItem(node);
      return tags.every((node) => node.descriptor !== undefined);
    });
    return tags;
  }

  it('orders the tags by creation time and describes them with one manifest GET per tag; a listed referrer is judged and named with one', async () => {
    const tags = await describedTags();
    assert.deepEqual(
      tags.map((t) => t.tag),
      ['newest', 'middle', 'old'],
    );
    assert.deepEqual(Object.fromEntries(manifestGets), { old: 1, newest: 1, middle: 1 });

    // Expanding "newest" judges its listed referrer (is it one?) and drawing the referrer names it: one read.
    manifestGets.clear();
    const groups = await children(api.registries, tags[0]!);
    const [note] = await children(
      api.registries,
      groups.find((n) => n.type === 'referrers')!,
    );
    const before = api.registries.getTreeItem(note!).label;
    await waitFor('the referrer named', () => api.registries.getTreeItem(note!).label !== before);
    assert.equal(manifestGets.get(referrerDigest), 1, JSON.stringify(Object.fromEntries(manifestGets)));

    // A refresh forgets what was read (a tag may have moved): one more GET per tag, still not two.
    manifestGets.clear();
    api.registries.refresh();
    await describedTags();
    assert.deepEqual(Object.fromEntries(manifestGets), { old: 1, newest: 1, middle: 1 });
  });

  it('reads each of 600 forged referrers of one artifact once to judge them, shows none, and says so', async () => {
    const tags = await describedTags();
    const middle = tags.find((t) => t.tag === 'middle')!;
    forgedGets = 0;
    const rows = await children(api.registries, middle);
    assert.equal(forgedGets, 600, `${forgedGets} forged referrers read to judge them`);
    const warning = rows.find((n) => n.type === 'action' && n.id.endsWith('/not-referrers'));
    assert.match(
      String(warning && api.registries.getTreeItem(warning).label),
      /^600 listed referrers not shown: not a referrer · Check Referrers…$/,
    );
  });
});
