// ORAS 1.3 flags found missing in a second pass over ORAS's command reference: a client certificate for mutual TLS
// (--cert-file/--key-file, a copy's --from-/--to- forms), --oci-layout-path, discover --platform, delete --force of
// what is not there, manifest fetch --media-type given twice; and the ORAS flags Stowage refuses, each naming what
// to type instead. Against the real registry (one that asks for client certificates too).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { startRegistry, type TestRegistry } from '../../fixtures/registry';
import { cli, cliOk } from '../../helpers/runCli';

const DIGEST = /sha256:[0-9a-f]{64}/;

describe('stowage CLI: ORAS 1.3 flags of the second pass (mutual TLS, --oci-layout-path, discover --platform…)', function () {
  this.timeout(180_000);
  let plain: TestRegistry;
  let mutual: TestRegistry;
  let work: string;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    [plain, mutual] = await Promise.all([
      startRegistry({ variant: 'plain', logLevel: 'warn' }),
      startRegistry({ variant: 'basic-tls', mutualTls: true, logLevel: 'warn' }),
    ]);
    work = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-oras-flags-'));
    env = {
      DOCKER_CONFIG: path.join(work, 'docker'),
      REGISTRY_AUTH_FILE: path.join(work, 'no-podman.json'),
      XDG_CONFIG_HOME: path.join(work, 'xdg'),
      HOME: work,
    };
    await fs.writeFile(path.join(work, 'hi.txt'), 'hi\n');
  });

  after(async () => {
    await Promise.all([plain?.stop(), mutual?.stop()]);
    await fs.rm(work, { recursive: true, force: true });
  });

  const at = (name: string) => path.join(work, name);
  const run = (args: string[], stdin?: string) => cli(args, { env, stdin });
  const ok = (args: string[]) => cliOk(args, { env });
  /** -u/-p and the CA of the mutual-TLS registry, as a user types them. */
  const mutualLogin = () => ['--ca-file', mutual.caFile!, '-u', mutual.username!, '-p', mutual.password!];
  const clientCertificate = () => [
    '--cert-file',
    mutual.clientCertificate!.certFile,
    '--key-file',
    mutual.clientCertificate!.keyFile,
  ];

  describe('--cert-file and --key-file (mutual TLS)', () => {
    it('a registry that asks for a client certificate refuses a push without one and takes it with --cert-file/--key-file', async () => {
      const ref = `${mutual.host}/mtls/app:v1`;
      const without = await run(['push', ref, at('hi.txt'), ...mutualLogin()]);
      assert.equal(without.code, 1, without.stderr);
      assert.match(without.stderr, /hint: if .* asks for a client certificate \(mutual TLS\), pass --cert-file/);

      const pushed = await ok(['push', ref, at('hi.txt'), ...mutualLogin(), ...clientCertificate()]);
      assert.match(pushed.stdout, /^Pushed \[registry\] /m);
      await ok(['pull', ref, '-o', at('mtls-out'), ...mutualLogin(), ...clientCertificate()]);
      assert.equal(await fs.readFile(at('mtls-out/hi.txt'), 'utf8'), 'hi\n');
    });

    it('a certificate without its key (or a key alone) is a usage error naming the pair', async () => {
      const certOnly = await run(['resolve', `${mutual.host}/mtls/app:v1`, '--cert-file', at('hi.txt')]);
      assert.equal(certOnly.code, 2);
      assert.match(certOnly.stderr, /--cert-file and --key-file go together/);
      const keyOnly = await run(['cp', `${plain.host}/a:v1`, `${mutual.host}/a:v1`, '--to-key-file', at('hi.txt')]);
      assert.equal(keyOnly.code, 2);
      assert.match(keyOnly.stderr, /--to-cert-file and --to-key-file go together/);
    });

    it('cp --to-cert-file/--to-key-file give the certificate to the destination registry alone', async () => {
      await ok(['push', `${plain.host}/source/app:v1`, at('hi.txt')]);
      const copied = await ok([
        'cp',
        `${plain.host}/source/app:v1`,
        `${mutual.host}/copied/app:v1`,
        '--to-ca-file',
        mutual.caFile!,
        '--to-username',
        mutual.username!,
        '--to-password',
        mutual.password!,
        '--to-cert-file',
        mutual.clientCertificate!.certFile,
        '--to-key-file',
        mutual.clientCertificate!.keyFile,
      ]);
      const digest = DIGEST.exec(copied.stdout)![0];
      const resolved = await ok(['resolve', `${mutual.host}/copied/app:v1`, ...mutualLogin(), ...clientCertificate()]);
      assert.equal(resolved.stdout.trim(), digest);
    });
  });

  describe('--oci-layout-path', () => {
    it('push and pull take the layout folder apart: the reference is its tag (tags a,b) or digest', async () => {
      const layout = at('layout-path');
      const pushed = await ok(['push', 'v1,v2', at('hi.txt'), '--oci-layout-path', layout]);
      assert.match(pushed.stdout, /^Pushed \[oci-layout\] /m);
      const digest = DIGEST.exec(pushed.stdout)![0];
      assert.equal((await ok(['resolve', `oci:${layout}:v2`])).stdout.trim(), digest);

      await ok(['pull', 'v2', '--oci-layout-path', layout, '-o', at('by-tag')]);
      assert.equal(await fs.readFile(at('by-tag/hi.txt'), 'utf8'), 'hi\n');
      await ok(['pull', `@${digest}`, '--oci-layout-path', layout, '-o', at('by-digest')]);
      assert.equal(await fs.readFile(at('by-digest/hi.txt'), 'utf8'), 'hi\n');
    });

    it('blob push, fetch and delete take the layout folder apart: push names no blob or its digest, the others the digest', async () => {
      const blob = at('blob.bin');
      await fs.writeFile(blob, 'a blob of its own\n');
      for (const layout of [at('blob-layout'), at('blob:colon')]) {
        const pushed = await ok(['blob', 'push', '--oci-layout-path', layout, blob, '--descriptor']);
        const { digest } = JSON.parse(pushed.stdout) as { digest: string };
        await ok(['blob', 'push', '--oci-layout-path', layout, `@${digest}`, blob]);
        const fetched = await ok(['blob', 'fetch', '--oci-layout-path', layout, digest, '-o', '-']);
        assert.equal(fetched.stdout, 'a blob of its own\n', layout);
        const deleted = await run(['blob', 'delete', '--oci-layout-path', layout, `@${digest}`, '--force']);
        assert.match(deleted.stderr, /oci:.*blob[-:][a-z]+\/? deletes blobs by garbage collection/, layout);
      }
      const wrong = await run([
        'blob',
        'push',
        '--oci-layout-path',
        at('blob-layout'),
        `@sha256:${'0'.repeat(64)}`,
        blob,
      ]);
      assert.equal(wrong.code, 1);
      const tagged = await run(['blob', 'fetch', '--oci-layout-path', at('blob-layout'), 'v1', '-o', '-']);
      assert.equal(tagged.code, 2);
      assert.match(tagged.stderr, /with --oci-layout-path a blob is named by its digest \(@sha256:…\), not "v1"/);
    });

    it('a layout folder whose name holds ":" is that folder, by digest too (not tag "b" of folder "a")', async () => {
      const layout = at('colon:b');
      const pushed = await ok(['push', 'v1', at('hi.txt'), '--oci-layout-path', layout]);
      const digest = DIGEST.exec(pushed.stdout)![0];
      await ok(['pull', digest, '--oci-layout-path', layout, '-o', at('colon-by-digest')]);
      assert.equal(await fs.readFile(at('colon-by-digest/hi.txt'), 'utf8'), 'hi\n');
      const archive = await run(['pull', digest, '--oci-layout-path', at('colon:b.tar')]);
      assert.equal(archive.code, 2);
      assert.match(archive.stderr, /an archive whose name holds ":" or "@" cannot be named with a digest/);
    });

    it('a reference that is no tag or digest, or --oci-layout beside it, is a usage error saying why', async () => {
      const named = await run(['push', 'example.com:test', at('hi.txt'), '--oci-layout-path', at('layout-path')]);
      assert.equal(named.code, 2);
      assert.match(named.stderr, /the reference is a tag or digest in .*not "example\.com:test"/);
      const both = await run(['pull', 'v1', '--oci-layout', '--oci-layout-path', at('layout-path')]);
      assert.equal(both.code, 2);
      assert.match(both.stderr, /give it without --oci-layout/);
    });
  });

  it('discover --platform shows the referrers of that platform’s manifest in an index', async () => {
    const repo = `${plain.host}/multi/app`;
    await ok(['push', `${repo}:amd64`, at('hi.txt'), '--artifact-platform', 'linux/amd64']);
    await ok(['push', `${repo}:arm64`, at('hi.txt'), '--artifact-platform', 'linux/arm64']);
    await ok(['manifest', 'index', 'create', `${repo}:multi`, 'amd64', 'arm64']);
    const attached = await ok([
      'attach',
      `${repo}:multi`,
      '--platform',
      'linux/amd64',
      '--artifact-type',
      'doc/example',
      '-a',
      'k=v',
    ]);
    const referrer = /^Digest: (sha256:[0-9a-f]{64})$/m.exec(attached.stdout)![1]!;
    const amd64 = (await ok(['resolve', `${repo}:amd64`])).stdout.trim();

    const discovered = await ok(['discover', `${repo}:multi`, '--platform', 'linux/amd64', '--format', 'json']);
    const json = JSON.parse(discovered.stdout) as { digest: string; referrers: Array<{ digest: string }> };
    assert.equal(json.digest, amd64);
    assert.deepEqual(
      json.referrers.map((r) => r.digest),
      [referrer],
    );
    const index = JSON.parse((await ok(['discover', `${repo}:multi`, '--format', 'json'])).stdout) as typeof json;
    assert.deepEqual(index.referrers, [], 'the index itself has no referrers');
  });

  it('manifest delete --force and blob delete --force of what is not there print Missing and succeed, as ORAS', async () => {
    const gone = `${plain.host}/cleanup/app:gone`;
    await ok(['push', `${plain.host}/cleanup/app:v1`, at('hi.txt')]);
    const manifest = await ok(['manifest', 'delete', '--force', gone]);
    assert.equal(manifest.stdout, `Missing ${gone}\n`);
    const blobRef = `${plain.host}/cleanup/app@sha256:${'0'.repeat(64)}`;
    const blob = await ok(['blob', 'delete', '--force', blobRef]);
    assert.equal(blob.stdout, `Missing ${blobRef}\n`);
    // --descriptor prints what was deleted: there is nothing to print, so it still fails.
    const described = await run(['manifest', 'delete', '--force', '--descriptor', gone]);
    assert.equal(described.code, 1);
    assert.match(described.stderr, /not found/);
  });

  it('manifest fetch --media-type given twice accepts either type, as ORAS’s repeatable flag', async () => {
    const ref = `${plain.host}/types/app:v1`;
    await ok(['push', ref, at('hi.txt')]);
    const fetched = await ok([
      'manifest',
      'fetch',
      ref,
      '--media-type',
      'application/vnd.oci.image.manifest.v1+json',
      '--media-type',
      'application/vnd.oci.image.index.v1+json',
    ]);
    assert.equal(
      (JSON.parse(fetched.stdout) as { mediaType: string }).mediaType,
      'application/vnd.oci.image.manifest.v1+json',
    );
  });

  it('manifest push - and blob push - refuse a token or password on standard input too: it holds one of them', async () => {
    const repo = `${plain.host}/stdin/app`;
    const manifest = await run(['manifest', 'push', `${repo}:v1`, '-', '--identity-token-stdin'], '{}');
    assert.equal(manifest.code, 2);
    assert.match(manifest.stderr, /standard input cannot hold both the manifest and the identity token/);
    const blob = await run(['blob', 'push', repo, '-', '--password-stdin'], 'hi\n');
    assert.equal(blob.code, 2);
    assert.match(blob.stderr, /standard input cannot hold both the blob and the password/);
  });

  it('ORAS flags Stowage refuses say what to type instead: pull -T and --config, cp --from-/--to-registry-config', async () => {
    const ref = `${plain.host}/refused/app:v1`;
    const traversal = await run(['pull', '-T', ref, '-o', at('never')]);
    assert.equal(traversal.code, 2);
    assert.match(traversal.stderr, /--allow-path-traversal is refused: .*pull into the folder you want with -o DIR/);

    const config = await run(['pull', ref, '--config', 'config.json', '-o', at('never')]);
    assert.equal(config.code, 2);
    assert.ok(
      config.stderr.includes(`stowage manifest fetch-config ${ref} -o config.json`),
      `names the command that writes the config:\n${config.stderr}`,
    );

    const files = await run([
      'cp',
      ref,
      `${plain.host}/copy/app:v1`,
      '--from-registry-config',
      'src.json',
      '--to-registry-config',
      'dst.json',
    ]);
    assert.equal(files.code, 2);
    assert.match(files.stderr, /--registry-config src\.json --registry-config dst\.json/);
    await assert.rejects(fs.stat(at('never')), 'nothing was written');
  });
});
