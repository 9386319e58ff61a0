// The CLI end to end against real registries in all three variants: files and folders round trip
// byte for byte, referrers are attached and discovered through the fallback tag, copies keep the graph.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { startRegistry, type RegistryVariant, type TestRegistry } from '../../fixtures/registry';
import { cli, cliOk } from '../../helpers/runCli';

interface Setup {
  registry: TestRegistry;
  flags: string[];
  env: NodeJS.ProcessEnv;
}

/** Flags and a docker config that let the CLI reach `registry` the way a user would set it up. */
async function setUp(registry: TestRegistry, home: string): Promise<Setup> {
  const dockerConfig = path.join(home, `docker-${registry.variant}`);
  await fs.mkdir(dockerConfig, { recursive: true });
  const auths = registry.username
    ? { [registry.host]: { auth: Buffer.from(`${registry.username}:${registry.password}`).toString('base64') } }
    : {};
  await fs.writeFile(path.join(dockerConfig, 'config.json'), JSON.stringify({ auths }));
  const flags = registry.url.startsWith('http:')
    ? ['--plain-http']
    : registry.caFile
      ? ['--ca-file', registry.caFile]
      : [];
  return { registry, flags, env: { DOCKER_CONFIG: dockerConfig } };
}

async function sha256File(file: string): Promise<string> {
  return createHash('sha256')
    .update(await fs.readFile(file))
    .digest('hex');
}

async function makeWorkspace(root: string): Promise<{ files: string[]; folder: string }> {
  await fs.mkdir(path.join(root, 'site', 'assets'), { recursive: true });
  await fs.writeFile(path.join(root, 'readme.txt'), 'hello from stowage\n');
  await fs.writeFile(path.join(root, 'data.bin'), randomBytes(300_000));
  await fs.writeFile(path.join(root, 'site', 'index.html'), '<h1>hi</h1>\n');
  await fs.writeFile(path.join(root, 'site', 'assets', 'app.js'), 'console.log(1);\n');
  return { files: [path.join(root, 'readme.txt'), path.join(root, 'data.bin')], folder: path.join(root, 'site') };
}

const VARIANTS: RegistryVariant[] = ['plain', 'basic-tls', 'token'];

describe('stowage CLI against real registries', function () {
  this.timeout(180_000);
  let home: string;
  let work: { files: string[]; folder: string };
  const setups = new Map<RegistryVariant, Setup>();

  before(async () => {
    home = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-cli-'));
    work = await makeWorkspace(path.join(home, 'ws'));
    for (const variant of VARIANTS) setups.set(variant, await setUp(await startRegistry({ variant }), home));
  });

  after(async () => {
    for (const setup of setups.values()) await setup.registry.stop();
    await fs.rm(home, { recursive: true, force: true });
  });

  for (const variant of VARIANTS) {
    describe(`${variant} registry`, () => {
      it('pushes files and a folder, then pulls them back byte for byte', async () => {
        const { registry, flags, env } = setups.get(variant)!;
        const ref = `${registry.host}/demo/files:v1`;
        const push = await cliOk(
          [
            'push',
            ref,
            `${work.files[0]}:text/plain`,
            work.files[1]!,
            work.folder,
            '--artifact-type',
            'application/vnd.example.files.v1',
            '-a',
            'team=platform',
            '--format',
            'json',
            ...flags,
          ],
          { env },
        );
        const pushed = JSON.parse(push.stdout) as { digest: string };

        const resolved = await cliOk(['resolve', ref, ...flags], { env });
        assert.equal(resolved.stdout.trim(), pushed.digest);

        const manifest = JSON.parse((await cliOk(['manifest', 'fetch', ref, ...flags], { env })).stdout) as {
          artifactType: string;
          annotations: Record<string, string>;
          layers: Array<{ mediaType: string; annotations: Record<string, string> }>;
        };
        assert.equal(manifest.artifactType, 'application/vnd.example.files.v1');
        assert.equal(manifest.annotations['team'], 'platform');
        assert.deepEqual(
          manifest.layers.map((l) => l.annotations['org.opencontainers.image.title']),
          ['readme.txt', 'data.bin', 'site'],
        );
        assert.equal(manifest.layers[0]!.mediaType, 'text/plain');

        const out = path.join(home, `pulled-${variant}`);
        // On a terminal the pull draws its progress on stderr, redrawn in place, and clears it at the end.
        const pulled = await cliOk(['pull', ref, '-o', out, ...flags], { env, interactive: true });
        const drawn = pulled.stderr.replaceAll('\r\u001b[K', '<redraw>');
        assert.match(
          drawn,
          /^<redraw>pulling [\d.]+ (B|KiB|MiB) \/ [\d.]+ (B|KiB|MiB) \(\d+%\)( at [^,]+\/s)?(, [^,]+ left)?, \d\/3 items/,
        );
        assert.match(
          drawn,
          /<redraw>pulling ([\d.]+ (?:B|KiB|MiB)) \/ \1 \(100%\)( at [^,]+\/s)?, 3\/3 items<redraw>$/,
          'the last line is all bytes and items, then cleared',
        );
        // A folder's line gives its layer's packed size; the total is the bytes written, unpacked.
        assert.match(pulled.stdout, /^unpacked .*site\/ \([\d.]+ (B|KiB) packed\)$/m);
        assert.match(pulled.stdout, /^pulled sha256:[0-9a-f]{64}: 3 items, [\d.]+ KiB written$/m);
        assert.equal(await sha256File(path.join(out, 'readme.txt')), await sha256File(work.files[0]!));
        assert.equal(await sha256File(path.join(out, 'data.bin')), await sha256File(work.files[1]!));
        assert.equal(await fs.readFile(path.join(out, 'site', 'index.html'), 'utf8'), '<h1>hi</h1>\n');
        assert.equal(await fs.readFile(path.join(out, 'site', 'assets', 'app.js'), 'utf8'), 'console.log(1);\n');

        // Pulling again: the files and the unpacked folder are there as the artifact holds them: unchanged.
        const same = await cli(['pull', ref, '-o', out, ...flags], { env });
        assert.equal(same.code, 0, same.stderr);
        assert.equal(same.stdout.match(/^unchanged /gm)?.length, 3, same.stdout);
        // An edited file in the folder: refused, nothing written.
        await fs.writeFile(path.join(out, 'site', 'index.html'), '<h1>edited</h1>\n');
        const again = await cli(['pull', ref, '-o', out, ...flags], { env });
        assert.equal(again.code, 1);
        assert.match(
          again.stderr,
          /1 output already exists in .*: "site" \(they differ from what the artifact holds; nothing written/,
        );
        assert.equal(await fs.readFile(path.join(out, 'site', 'index.html'), 'utf8'), '<h1>edited</h1>\n');
        assert.match(again.stderr, /hint: pass --overwrite to replace what differs\n$/);
        const kept = await cli(['pull', ref, '-o', out, '-k', ...flags], { env });
        assert.match(kept.stderr, /hint: -k keeps what is there; pass --overwrite instead to replace what differs\n$/);
        const capped = await cli(
          ['pull', ref, '-o', path.join(home, `capped-${variant}`), '--max-size', '10', ...flags],
          { env },
        );
        assert.equal(capped.code, 1);
        assert.match(
          capped.stderr,
          /exceeds the limit of 10 bytes\n {2}hint: pass --max-size <bytes> to allow a larger pull/,
        );
      });

      it('attaches two referrers and discovers both through the fallback tag with their types and annotations', async () => {
        const { registry, flags, env } = setups.get(variant)!;
        const ref = `${registry.host}/demo/files:v1`;
        const sbom = path.join(home, `sbom-${variant}.spdx.json`);
        await fs.writeFile(sbom, JSON.stringify({ spdxVersion: 'SPDX-2.3', name: 'demo' }));
        const sig = path.join(home, `sig-${variant}.jws`);
        await fs.writeFile(sig, '{"payload":"e30","signatures":[]}');
        await cliOk(
          [
            'attach',
            ref,
            `${sbom}:application/spdx+json`,
            '--artifact-type',
            'application/spdx+json',
            '-a',
            'kind=sbom',
            ...flags,
          ],
          { env },
        );
        await cliOk(
          [
            'attach',
            ref,
            `${sig}:application/jose+json`,
            '--artifact-type',
            'application/vnd.cncf.notary.signature',
            '-a',
            'kind=signature',
            ...flags,
          ],
          { env },
        );

        const graph = JSON.parse((await cliOk(['discover', ref, '--format', 'graph', ...flags], { env })).stdout) as {
          edges: Array<{ source: string }>;
          nodes: Array<{ depth: number; descriptor: { artifactType?: string; annotations?: Record<string, string> } }>;
        };
        const referrers = graph.nodes.filter((n) => n.depth === 1);
        assert.deepEqual(referrers.map((n) => n.descriptor.artifactType).sort(), [
          'application/spdx+json',
          'application/vnd.cncf.notary.signature',
        ]);
        assert.deepEqual(referrers.map((n) => n.descriptor.annotations?.['kind']).sort(), ['sbom', 'signature']);
        assert.deepEqual([...new Set(graph.edges.map((e) => e.source))], ['fallback-tag']);

        const tree = (await cliOk(['discover', ref, ...flags], { env })).stdout;
        // ORAS's tree: the subject by digest, each referrer's artifact type, then its digest.
        assert.match(tree, /@sha256:[0-9a-f]{64}\n/);
        assert.match(tree, /── application\/spdx\+json\n[│ ]+└── sha256:[0-9a-f]{64}/);
      });
    });
  }

  // Nested so that it runs after the variants above have pushed and attached (mocha runs a suite's own tests first).
  describe('copy', () => {
    it('copies between repositories of one registry by mounting blobs instead of uploading them', async () => {
      const plain = setups.get('plain')!;
      const run = await cliOk([
        'copy',
        `${plain.registry.host}/demo/files:v1`,
        `${plain.registry.host}/mirror/files:v1`,
        '--plain-http',
        '--verbose',
      ]);
      assert.match(
        run.stderr,
        /POST http:\/\/127\.0\.0\.1:\d+\/v2\/mirror\/files\/blobs\/uploads\/\?mount=sha256%3A[0-9a-f]{64}&from=demo%2Ffiles → 201/,
      );
      assert.doesNotMatch(run.stderr, /PUT [^\n]*\/v2\/mirror\/files\/blobs\/uploads/);
      // ORAS's line, naming both sides (the source was missing: "copied sha256:… to …").
      const host = plain.registry.host.replace(/\./g, '\\.');
      assert.match(
        run.stdout,
        new RegExp(
          `^Copied \\[registry\\] ${host}/demo/files:v1 => \\[registry\\] ${host}/mirror/files:v1 \\(\\d+ items copied, 0 already there\\)\\nDigest: sha256:[0-9a-f]{64}\\n$`,
        ),
      );
      const toLayout = await cliOk([
        'copy',
        `${plain.registry.host}/mirror/files:v1`,
        `oci:${path.join(home, 'mirror')}`,
      ]);
      assert.match(
        toLayout.stdout,
        new RegExp(`^Copied \\[registry\\] ${host}/mirror/files:v1 => \\[oci-layout\\] oci:.*mirror:v1 \\(`),
      );
      const pulled = path.join(home, 'mirror-pull');
      await cliOk(['pull', `${plain.registry.host}/mirror/files:v1`, '-o', pulled, '--plain-http']);
      assert.equal(await sha256File(path.join(pulled, 'data.bin')), await sha256File(work.files[1]!));
    });

    it('pulls a container image (umoci made it) writing nothing, and says why and how to keep its layers', async () => {
      const plain = setups.get('plain')!;
      const image = path.join(home, 'umoci-image');
      const umoci = (...args: string[]) => promisify(execFile)('umoci', args);
      await umoci('init', '--layout', image);
      await umoci('new', '--image', `${image}:latest`);
      await fs.writeFile(path.join(home, 'hello'), 'hi\n');
      await umoci('insert', '--image', `${image}:latest`, path.join(home, 'hello'), '/hello');
      const ref = `${plain.registry.host}/images/hello:latest`;
      await cliOk(['copy', `oci:${image}:latest`, ref, '--plain-http']);
      const out = path.join(home, 'image-pull');
      const run = await cliOk(['pull', ref, '-o', out, '--plain-http']);
      assert.match(run.stdout, /: 0 items, 0 B written$/m);
      assert.match(
        run.stderr,
        /^note: not written: 1 layer without a file name \(annotation org\.opencontainers\.image\.title\)/m,
      );
      const hint = /^ {2}hint: to keep every layer, copy it into a layout: stowage copy (\S+) oci:<folder>$/m.exec(
        run.stderr,
      );
      assert.equal(hint?.[1], ref);
      await assert.rejects(fs.stat(out), { code: 'ENOENT' });
      const kept = path.join(home, 'image-kept');
      await cliOk(['copy', hint![1]!, `oci:${kept}:latest`, '--plain-http']);
      const listed = await umoci('ls', '--layout', kept);
      assert.match(listed.stdout, /^latest$/m);
    });

    it('delete names the referrers it leaves; --with-referrers deletes them too, deepest first, fallback tags and all', async () => {
      const plain = setups.get('plain')!;
      const note = path.join(home, 'note.txt');
      await fs.writeFile(note, 'a signature stand-in\n');
      /** An artifact with a referrer that has a referrer of its own; returns the artifact's digest. */
      const seed = async (repository: string): Promise<string> => {
        const ref = `${plain.registry.host}/${repository}:v1`;
        await cliOk(['push', ref, work.files[0]!, '--plain-http']);
        const signed = await cliOk(['attach', ref, note, '--artifact-type', 'application/x.sig', '--plain-http']);
        const signature = /^Digest: (sha256:[0-9a-f]{64})$/m.exec(signed.stdout)![1]!;
        const atSignature = `${plain.registry.host}/${repository}@${signature}`;
        await cliOk(['attach', atSignature, note, '--artifact-type', 'application/x.countersig', '--plain-http']);
        return (await cliOk(['resolve', ref, '--plain-http'])).stdout.trim();
      };
      const tagsOf = async (repository: string) =>
        (await cliOk(['tags', `${plain.registry.host}/${repository}`, '--plain-http'])).stdout
          .split('\n')
          .filter(Boolean);

      const kept = await seed('deleting/kept');
      const wrong = `sha256:${'0'.repeat(64)}`;
      const refused = await cli([
        'delete',
        `${plain.registry.host}/deleting/kept:v1`,
        '--confirm',
        wrong,
        '--plain-http',
      ]);
      assert.equal(refused.code, 1, 'a digest that does not match is a refusal, not a usage error');
      assert.match(
        refused.stderr,
        new RegExp(`names ${kept}, not ${wrong} \\(it moved since, or another digest was given\\); nothing deleted`),
      );
      assert.doesNotMatch(refused.stderr, /Usage:/);
      const left = await cliOk([
        'delete',
        `${plain.registry.host}/deleting/kept:v1`,
        '--confirm',
        kept,
        '--plain-http',
      ]);
      assert.equal(left.stdout, `Deleted [registry] ${plain.registry.host}/deleting/kept@${kept}\n`);
      assert.match(
        left.stderr,
        new RegExp(
          `^note: 2 referrers of ${kept} \\(signatures, SBOMs…\\) stay, without their subject; --with-referrers deletes them too$`,
          'm',
        ),
      );
      assert.equal((await tagsOf('deleting/kept')).length, 2, 'the two fallback tags of the referrers stay');

      const all = await seed('deleting/all');
      const gone = await cliOk([
        'delete',
        `${plain.registry.host}/deleting/all:v1`,
        '--confirm',
        all,
        '--with-referrers',
        '--plain-http',
      ]);
      assert.match(
        gone.stdout,
        new RegExp(
          `^(Deleted referrer \\[registry\\] ${plain.registry.host}/deleting/all@sha256:[0-9a-f]{64}\\n){2}Deleted \\[registry\\] ${plain.registry.host}/deleting/all@${all}\\n$`,
        ),
      );
      assert.equal(gone.stderr, '');
      assert.deepEqual(await tagsOf('deleting/all'), [], 'no tag and no fallback tag is left');

      // manifest delete names the referrers it took with it too, then the manifest as it was named (ORAS's line).
      await seed('deleting/manifest');
      const named = `${plain.registry.host}/deleting/manifest:v1`;
      const manifestGone = await cliOk(['manifest', 'delete', named, '--force', '--with-referrers', '--plain-http']);
      assert.match(
        manifestGone.stdout,
        new RegExp(
          `^(Deleted referrer \\[registry\\] ${plain.registry.host}/deleting/manifest@sha256:[0-9a-f]{64}\\n){2}Deleted \\[registry\\] ${named}\\n$`,
        ),
      );
    });

    /** v1 with one referrer, and prod, which v1's fallback index is forged to list too (someone with push rights). */
    async function forgedListing(repo: string) {
      const note = path.join(home, 'forged-note.txt');
      await fs.writeFile(note, 'a signature stand-in\n');
      await cliOk(['push', `${repo}:v1`, work.files[0]!, '--plain-http']);
      await cliOk(['push', `${repo}:prod`, work.files[1]!, '--plain-http']);
      const signed = await cliOk([
        'attach',
        `${repo}:v1`,
        note,
        '--artifact-type',
        'application/x.sig',
        '--plain-http',
      ]);
      const signature = /^Digest: (sha256:[0-9a-f]{64})$/m.exec(signed.stdout)![1]!;
      const subject = (await cliOk(['resolve', `${repo}:v1`, '--plain-http'])).stdout.trim();
      const prod = JSON.parse(
        (await cliOk(['manifest', 'fetch', `${repo}:prod`, '--descriptor', '--plain-http'])).stdout,
      ) as { mediaType: string; digest: string; size: number };
      const forged = path.join(home, 'forged-index.json');
      const listed = (await cliOk(['manifest', 'fetch', `${repo}:${subject.replace(':', '-')}`, '--plain-http']))
        .stdout;
      const index = JSON.parse(listed) as { manifests: unknown[] };
      index.manifests.push({ mediaType: prod.mediaType, digest: prod.digest, size: prod.size });
      await fs.writeFile(forged, JSON.stringify(index));
      await cliOk(['manifest', 'push', `${repo}:${subject.replace(':', '-')}`, forged, '--plain-http']);
      return { subject, signature, prod };
    }

    it('delete --with-referrers leaves alone a manifest a forged fallback index names, and says so', async () => {
      const repo = `${setups.get('plain')!.registry.host}/deleting/forged`;
      const { subject, signature, prod } = await forgedListing(repo);
      const run = await cliOk(['delete', `${repo}:v1`, '--confirm', subject, '--with-referrers', '--plain-http']);
      assert.equal(
        run.stdout,
        `Deleted referrer [registry] ${repo}@${signature}\nDeleted [registry] ${repo}@${subject}\n`,
      );
      assert.equal(
        run.stderr,
        `${prod.digest} is listed as a referrer of ${subject} but is not one (its manifest names no subject); not deleted\n`,
      );
      assert.equal((await cliOk(['resolve', `${repo}:prod`, '--plain-http'])).stdout.trim(), prod.digest);
      const tags = (await cliOk(['tags', repo, '--plain-http'])).stdout.split('\n').filter(Boolean);
      assert.deepEqual(tags, ['prod'], 'the forged fallback tag went with its subject; prod stays');
    });

    it('copy -r leaves out a manifest a forged fallback index names, and says so; backup too', async () => {
      const repo = `${setups.get('plain')!.registry.host}/copying/forged`;
      const { subject, signature, prod } = await forgedListing(repo);
      const layout = path.join(home, 'forged-copy');
      const run = await cliOk(['copy', '-r', `${repo}:v1`, `oci:${layout}:v1`, '--plain-http']);
      const warning = `warning: ${prod.digest} is listed as a referrer of ${subject} but is not one (its manifest names no subject); not copied\n`;
      assert.equal(run.stderr, warning);
      const copied = JSON.parse((await cliOk(['discover', `oci:${layout}:v1`, '--format', 'json'])).stdout) as {
        referrers: { digest: string }[];
      };
      assert.deepEqual(
        copied.referrers.map((m) => m.digest),
        [signature],
        'the true referrer came, prod did not',
      );
      assert.equal(
        (await cli(['manifest', 'fetch', `oci:${layout}@${prod.digest}`])).code,
        1,
        'prod is not in the layout',
      );

      const backup = await cliOk([
        'backup',
        '--output',
        path.join(home, 'forged-backup'),
        '--include-referrers',
        `${repo}:v1`,
        '--plain-http',
      ]);
      assert.ok(backup.stderr.includes(warning.replace('warning: ', '')), backup.stderr);
    });

    it('discover shows only true referrers under a forged fallback index, and names the rest on stderr', async () => {
      const repo = `${setups.get('plain')!.registry.host}/discovering/forged`;
      const { subject, signature, prod } = await forgedListing(repo);
      for (const format of ['json', 'tree', 'table', 'graph']) {
        const run = await cliOk(['discover', `${repo}:v1`, '--format', format, '--plain-http']);
        assert.equal(
          run.stderr,
          `warning: ${prod.digest} is listed as a referrer of ${subject} but is not one (its manifest names no subject); not shown\n`,
          format,
        );
        assert.ok(run.stdout.includes(signature), `${format}: the true referrer is shown`);
        assert.ok(!run.stdout.includes(prod.digest), `${format}: prod is not shown as a referrer`);
      }
    });

    it('copies registry → layout → registry with -r and keeps the referrer graph, digests unchanged', async () => {
      const plain = setups.get('plain')!;
      const token = setups.get('token')!;
      const src = `${plain.registry.host}/demo/files:v1`;
      const layout = path.join(home, 'copied-layout');
      const sourceGraph = JSON.parse((await cliOk(['discover', src, '--format', 'graph', '--plain-http'])).stdout) as {
        root: string;
        nodes: unknown[];
        edges: unknown[];
      };

      await cliOk(['copy', '-r', src, `oci:${layout}:v1`, '--plain-http']);
      const layoutGraph = JSON.parse(
        (await cliOk(['discover', `oci:${layout}:v1`, '--format', 'graph'])).stdout,
      ) as typeof sourceGraph;
      assert.equal(layoutGraph.root, sourceGraph.root);
      assert.equal(layoutGraph.nodes.length, 3);

      const dst = `${token.registry.host}/copied/files:v1`;
      await cliOk(['copy', '-r', `oci:${layout}:v1`, dst, ...token.flags], { env: token.env });
      const finalGraph = JSON.parse(
        (await cliOk(['discover', dst, '--format', 'graph', ...token.flags], { env: token.env })).stdout,
      ) as typeof sourceGraph;
      assert.equal(finalGraph.root, sourceGraph.root);
      assert.deepEqual(sortedDigests(finalGraph), sortedDigests(sourceGraph));
    });
  });

  it('fails with exit 2 and says why on usage errors, and exit 1 naming the reference on a missing tag', async () => {
    const usage = await cli(['push']);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /push takes/);
    const plain = setups.get('plain')!;
    const missing = await cli(['resolve', `${plain.registry.host}/demo/files:nope`, '--plain-http']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /nope/);
  });

  it('names a missing input file and creates no layout for a push that cannot start', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-push-missing-'));
    try {
      const layout = path.join(dir, 'new-layout');
      const run = await cli(['push', `oci:${layout}:v1`, path.join(dir, 'typo.txt')]);
      assert.equal(run.code, 2);
      assert.match(run.stderr, /cannot pack ".*typo\.txt": no such file or folder/);
      await assert.rejects(fs.access(layout), 'no empty layout left behind');
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});

function sortedDigests(graph: { nodes: unknown[] }): string[] {
  return (graph.nodes as Array<{ descriptor: { digest: string } }>).map((n) => n.descriptor.digest).sort();
}
