// `stowage referrers check|repair` on the real distribution registry (no referrers API), with fallback indexes
// broken on purpose by raw HTTP PUTs and DELETEs the way old tools left them, and on the scripted registry for
// a registry that gained the API (--to-api).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { request } from 'undici';
import { digestOf } from '../../src/core/content/hashing';
import type { Descriptor } from '../../src/core/oci/descriptor';
import { MediaType } from '../../src/core/oci/mediaTypes';
import { RegistryClient } from '../../src/core/registry/RegistryClient';
import { RegistryTarget } from '../../src/core/registry/RegistryTarget';
import { startQuirksRegistry, type QuirksRegistry } from '../fixtures/quirksRegistry';
import { startRegistry, type TestRegistry } from '../fixtures/registry';
import { clientFor } from '../fixtures/registryClients';
import { pushArtifact } from '../helpers/sampleArtifact';
import { cli, cliOk } from '../helpers/runCli';

const ACCEPT = `${MediaType.ociIndex}, ${MediaType.ociManifest}`;
const tagOf = (digest: string) => digest.replace(':', '-');

interface Report {
  referrersApi: boolean;
  problems: { kind: string; subject: string; digest?: string; tag?: string; message: string }[];
  orphanedReferrers: { digest: string; subject: string; tag?: string }[];
  scan: { tags: number; manifestsRead: number; truncated: boolean; durationMs: number };
}

/** The raw HTTP an old tool would send: PUT an index under a tag, DELETE a manifest by digest, GET a tag. */
function raw(origin: string) {
  return {
    async putIndex(repository: string, tag: string, entries: Descriptor[]): Promise<string> {
      const body = JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: entries });
      const res = await request(`${origin}/v2/${repository}/manifests/${tag}`, {
        method: 'PUT',
        headers: { 'content-type': MediaType.ociIndex },
        body,
      });
      await res.body.dump();
      assert.equal(res.statusCode, 201, `PUT ${tag}`);
      return digestOf(Buffer.from(body));
    },
    async remove(repository: string, digest: string): Promise<void> {
      const res = await request(`${origin}/v2/${repository}/manifests/${digest}`, { method: 'DELETE' });
      await res.body.dump();
      assert.equal(res.statusCode, 202, `DELETE ${digest}`);
    },
    async get(repository: string, tag: string): Promise<{ status: number; digest?: string; body: string }> {
      const res = await request(`${origin}/v2/${repository}/manifests/${tag}`, { headers: { accept: ACCEPT } });
      const body = await res.body.text();
      return { status: res.statusCode, digest: res.headers['docker-content-digest'] as string | undefined, body };
    },
  };
}

describe('stowage referrers check and repair on distribution with broken fallback indexes', function () {
  this.timeout(120_000);
  let registry: TestRegistry;
  let target: RegistryTarget;
  let http: ReturnType<typeof raw>;
  const repo = 'doctor/app';
  const flags = ['--plain-http'];
  const ids: Record<string, Descriptor> = {};

  before(async () => {
    registry = await startRegistry({ variant: 'plain', logLevel: 'error' });
    target = new RegistryTarget(clientFor(registry), repo);
    http = raw(registry.url);
    const subject = (await pushArtifact(target, 'subject', { tag: 'v1' })).manifest;
    const withType = (d: Descriptor) => ({ ...d, artifactType: 'application/vnd.stowage.test' });
    ids.subject = subject;
    ids.a = (await pushArtifact(target, 'referrer a', { subject })).manifest;
    // b refers to the subject and is tagged (so the scan can find it), but no index lists it: lost.
    ids.b = (await pushArtifact(target, 'referrer b', { subject, tag: 'b-tagged' })).manifest;
    ids.c = (await pushArtifact(target, 'referrer c', { subject })).manifest;
    // The index: a without its artifactType (cosign#4641), a again, and c, deleted afterwards (dangling).
    await http.putIndex(repo, tagOf(subject.digest), [ids.a, ids.a, withType(ids.c)]);
    await http.remove(repo, ids.c.digest);
    // A second subject with a referrer and a cosign signature tag, then the subject deleted: both tags orphaned.
    ids.gone = (await pushArtifact(target, 'subject to delete')).manifest;
    ids.d = (await pushArtifact(target, 'referrer d', { subject: ids.gone })).manifest;
    // e refers to it too and is tagged, unlisted: once the subject is gone, a referrer of nothing that a tag keeps.
    ids.e = (await pushArtifact(target, 'referrer e', { subject: ids.gone, tag: 'e-tagged' })).manifest;
    await http.putIndex(repo, tagOf(ids.gone.digest), [withType(ids.d)]);
    // The signature tag is forged at an image tagged prod too: pruning the tag must not delete prod.
    ids.sig = (await pushArtifact(target, 'an image that is not a signature', { tag: 'prod' })).manifest;
    await target.tag(ids.sig, `${tagOf(ids.gone.digest)}.sig`);
    await http.remove(repo, ids.gone.digest);
  });
  after(async () => {
    await registry?.stop();
  });

  const check = async (ref: string) => {
    const run = await cli(['referrers', 'check', ref, '--format', 'json', ...flags]);
    return { code: run.code, report: JSON.parse(run.stdout) as Report };
  };
  const kinds = (report: Report) => report.problems.map((p) => `${p.kind} ${p.digest ?? ''}`).sort();

  it('check reports every broken entry, the lost referrer and the orphaned tags, and exits 1', async () => {
    const { code, report } = await check(`${registry.host}/${repo}`);
    assert.equal(code, 1);
    assert.equal(report.referrersApi, false);
    assert.deepEqual(
      kinds(report),
      [
        `dangling-entry ${ids.c!.digest}`,
        `duplicate-entry ${ids.a!.digest}`,
        `incomplete-entry ${ids.a!.digest}`,
        `missing-from-fallback ${ids.b!.digest}`,
        `orphaned-cosign-tag ${ids.sig!.digest}`,
        `orphaned-fallback-tag ${(await http.get(repo, tagOf(ids.gone!.digest))).digest}`,
      ].sort(),
    );
    assert.deepEqual(report.orphanedReferrers, [{ digest: ids.e!.digest, subject: ids.gone!.digest, tag: 'e-tagged' }]);
    const text = await cli(['referrers', 'check', `${registry.host}/${repo}`, ...flags]);
    assert.match(text.stdout, /referrers API no; read 4 tagged manifests of 7 tags in \d+ ms/);
    assert.match(text.stdout, /6 problems in 2 subjects/);
    assert.ok(
      text.stdout.includes(
        `note: ${ids.e!.digest} (tag e-tagged) refers to ${ids.gone!.digest}, which is gone; it stays, as no repair deletes a manifest (to delete it: stowage delete ${registry.host}/${repo}@${ids.e!.digest} --plain-http)`,
      ),
      text.stdout,
    );
    assert.ok(
      text.stdout.includes(`; see "stowage referrers repair ${registry.host}/${repo} --plain-http --dry-run"`),
      text.stdout,
    );

    const one = await check(`${registry.host}/${repo}:v1`);
    assert.deepEqual(
      new Set(one.report.problems.map((p) => p.subject)),
      new Set([ids.subject!.digest]),
      'a subject check reports that subject only',
    );
  });

  it('repair --dry-run lists every change and changes nothing', async () => {
    const before = await http.get(repo, tagOf(ids.subject!.digest));
    const run = await cliOk(['referrers', 'repair', `${registry.host}/${repo}`, '--dry-run', ...flags]);
    const lines = run.stdout.trim().split('\n');
    assert.match(
      lines[0]!,
      /^would rewrite-index sha256-[0-9a-f]{64}: add 1 lost referrer, drop 1 entry naming no referrer of it, drop 1 duplicate/,
    );
    assert.ok(
      lines.some((l) =>
        /^would delete-index sha256-[0-9a-f]{64} .*its subject .* is gone \(only with --prune\)$/.test(l),
      ),
    );
    assert.ok(lines.some((l) => l.startsWith(`would delete-cosign-tag ${tagOf(ids.gone!.digest)}.sig`)));
    // The commands to run next are whole, with the reference and this run's connection flags: ready to paste.
    const repair = `stowage referrers repair ${registry.host}/${repo} ${flags.join(' ')}`;
    assert.equal(lines.at(-2), `to repair: ${repair}`);
    assert.match(lines.at(-1)!, new RegExp(`^to prune: ${repair} --prune --confirm sha256:[0-9a-f]{64}$`));
    assert.deepEqual(await http.get(repo, tagOf(ids.subject!.digest)), before);
  });

  it('repair rebuilds the index from the manifests that exist and leaves deletions to --prune', async () => {
    const run = await cliOk(['referrers', 'repair', `${registry.host}/${repo}`, ...flags]);
    assert.match(run.stdout, /^done rewrite-index /m);
    assert.match(
      run.stdout,
      new RegExp(
        `2 deletions left; to make them: stowage referrers repair ${registry.host}/${repo} ${flags.join(' ')} --prune --confirm sha256:`,
      ),
    );
    const index = JSON.parse((await http.get(repo, tagOf(ids.subject!.digest))).body) as { manifests: Descriptor[] };
    assert.deepEqual(index.manifests.map((d) => d.digest).sort(), [ids.a!.digest, ids.b!.digest].sort());
    assert.ok(index.manifests.every((d) => d.artifactType === 'application/vnd.stowage.test'));
    const { report } = await check(`${registry.host}/${repo}`);
    assert.deepEqual(report.problems.map((p) => p.kind).sort(), ['orphaned-cosign-tag', 'orphaned-fallback-tag']);
    // The orphaned tag's message says what it means for the referrers it lists: they stay, pruning or not.
    assert.match(
      report.problems.find((p) => p.kind === 'orphaned-fallback-tag')!.message,
      /^fallback tag sha256-[0-9a-f]{64} lists 1 referrer of sha256:[0-9a-f]{64}, which is gone; that referrer stays in the repository without it \(pruning removes the tag, not them\)$/,
    );
    const discovered = JSON.parse(
      (await cliOk(['discover', `${registry.host}/${repo}:v1`, '--format', 'graph', ...flags])).stdout,
    ) as { nodes: { depth: number; descriptor: Descriptor }[] };
    assert.equal(discovered.nodes.filter((n) => n.depth === 1).length, 2);
  });

  it('repair --prune asks for the plan digest, then deletes the orphaned tags; check is clean', async () => {
    const asked = await cli(['referrers', 'repair', `${registry.host}/${repo}`, '--prune', ...flags]);
    assert.equal(asked.code, 2);
    const digest = /--prune --confirm (sha256:[0-9a-f]{64})/.exec(asked.stderr)?.[1];
    assert.ok(digest, asked.stderr);
    assert.equal((await http.get(repo, `${tagOf(ids.gone!.digest)}.sig`)).status, 200, 'nothing deleted yet');
    const wrong = await cli([
      'referrers',
      'repair',
      `${registry.host}/${repo}`,
      '--prune',
      '--confirm',
      digestOf('x'),
      ...flags,
    ]);
    assert.equal(wrong.code, 2);
    assert.match(wrong.stderr, /is not this plan's digest; nothing changed/);

    await cliOk(['referrers', 'repair', `${registry.host}/${repo}`, '--prune', '--confirm', digest, ...flags]);
    assert.equal((await http.get(repo, `${tagOf(ids.gone!.digest)}.sig`)).status, 404);
    assert.equal((await http.get(repo, tagOf(ids.gone!.digest))).status, 404);
    assert.equal((await http.get(repo, 'prod')).digest, ids.sig!.digest, 'the tag went, not what it named');
    const { code, report } = await check(`${registry.host}/${repo}`);
    assert.equal(code, 0, JSON.stringify(report.problems));
    assert.deepEqual(
      report.orphanedReferrers.map((o) => o.digest),
      [ids.e!.digest],
      'still noted: no repair deletes it',
    );
  });

  it('bounds the scan: --max-scan stops reading tagged manifests and says so; 200 tags take well under a minute', async () => {
    const scanRepo = 'doctor/many';
    const many = new RegistryTarget(clientFor(registry), scanRepo);
    const subject = (await pushArtifact(many, 'scanned subject', { tag: 'main' })).manifest;
    for (let i = 0; i < 200; i++)
      await pushArtifact(many, `tagged ${i}`, { tag: `t${i}`, ...(i % 100 === 0 ? { subject } : {}) });
    const full = (await check(`${registry.host}/${scanRepo}`)).report;
    assert.equal(full.scan.manifestsRead, 201);
    assert.equal(full.scan.truncated, false);
    assert.equal(full.problems.filter((p) => p.kind === 'missing-from-fallback').length, 2);
    assert.ok(full.scan.durationMs < 60_000, `${full.scan.durationMs} ms`);
    console.log(`      referrers check of 201 tagged manifests: ${full.scan.durationMs} ms`);
    const capped = JSON.parse(
      (
        await cli([
          'referrers',
          'check',
          `${registry.host}/${scanRepo}`,
          '--max-scan',
          '50',
          '--format',
          'json',
          ...flags,
        ])
      ).stdout,
    ) as Report;
    assert.equal(capped.scan.manifestsRead, 50);
    assert.equal(capped.scan.truncated, true);
  });
});

describe('stowage referrers repair --to-api on a registry that gained the referrers API (scripted)', function () {
  this.timeout(60_000);
  let registry: QuirksRegistry;
  let home: string;

  before(async () => {
    registry = await startQuirksRegistry({});
    home = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-toapi-'));
  });
  after(async () => {
    await registry?.stop();
    await fs.rm(home, { recursive: true, force: true });
  });

  it('moves fallback referrers into the API, then prunes the emptied index', async () => {
    const flags = ['--plain-http'];
    const ref = `${registry.host}/app:v1`;
    const client = { host: registry.host, plainHttp: true };
    const target = new RegistryTarget(new RegistryClient(client, { credentials: { ignoreToolConfig: true } }), 'app');
    const subject = (await pushArtifact(target, 'subject', { tag: 'v1' })).manifest;
    const file = path.join(home, 'sbom.json');
    await fs.writeFile(file, '{}');
    const attached = /Digest: (sha256:[0-9a-f]{64})/.exec(
      (await cliOk(['attach', ref, `${file}:application/json`, '--artifact-type', 'application/spdx+json', ...flags]))
        .stdout,
    )![1]!;

    const noApi = await cli(['referrers', 'repair', ref, '--to-api', ...flags]);
    assert.equal(noApi.code, 1);
    assert.match(noApi.stderr, /has no referrers API .*run without --to-api/);

    registry.quirks = { referrersApi: true };
    const checked = JSON.parse((await cli(['referrers', 'check', ref, '--format', 'json', ...flags])).stdout) as Report;
    assert.deepEqual(
      checked.problems.map((p) => [p.kind, p.digest]),
      [['missing-from-api', attached]],
    );

    const dry = await cliOk(['referrers', 'repair', ref, '--to-api', '--dry-run', ...flags]);
    assert.match(dry.stdout, new RegExp(`^would push-to-api ${attached} \\(referrer of ${subject.digest}\\)`, 'm'));
    assert.match(
      dry.stdout,
      /^would delete-index sha256-[0-9a-f]{64} .*in the referrers API now \(only with --prune\)$/m,
    );

    const digest = /--confirm (sha256:[0-9a-f]{64})/.exec(dry.stdout)![1]!;
    await cliOk(['referrers', 'repair', ref, '--to-api', '--prune', '--confirm', digest, ...flags]);
    const after = JSON.parse((await cliOk(['discover', ref, '--format', 'graph', ...flags])).stdout) as {
      edges: { to: string; source: string }[];
    };
    assert.deepEqual(
      after.edges.map((e) => [e.to, e.source]),
      [[attached, 'api']],
    );
    assert.ok(
      !(await registry.repository('app').listTags()[Symbol.asyncIterator]().next()).value?.includes(
        subject.digest.replace(':', '-'),
      ),
    );
    const clean = await cli(['referrers', 'check', ref, ...flags]);
    assert.equal(clean.code, 0, clean.stdout);
  });
});
