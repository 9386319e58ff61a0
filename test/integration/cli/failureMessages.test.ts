// What the CLI says when a command fails against a real registry, read as a new user reads it: the thing at
// fault named first, the registry's own words after it, and the command line that gets past it.
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { startRegistry, type TestRegistry } from '../../fixtures/registry';
import { cli, cliOk } from '../../helpers/runCli';

describe('CLI failure messages against a real registry', function () {
  this.timeout(120_000);
  let plain: TestRegistry;
  let token: TestRegistry;
  let basicTls: TestRegistry;
  let work: string;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    plain = await startRegistry({ variant: 'plain' });
    token = await startRegistry({ variant: 'token' });
    basicTls = await startRegistry({ variant: 'basic-tls' });
    work = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-failure-messages-'));
    env = { DOCKER_CONFIG: path.join(work, 'docker'), HOME: work };
    await fs.writeFile(path.join(work, 'hi.txt'), 'hi\n');
    await cliOk(['push', `${plain.host}/demo:v1`, path.join(work, 'hi.txt')], { env });
  });

  after(async () => {
    await plain.stop();
    await token.stop();
    await basicTls.stop();
    await fs.rm(work, { recursive: true, force: true });
  });

  it('says a repository is not there, then what the registry said (not "the tags of … (NAME_UNKNOWN…) not found")', async () => {
    for (const args of [['tags'], ['repo', 'tags']]) {
      const run = await cli([...args, `${plain.host}/nothere`], { env });
      assert.equal(run.code, 1);
      assert.match(
        run.stderr,
        new RegExp(
          `^stowage ${args[0]}: repository ${plain.host}/nothere not found \\(NAME_UNKNOWN: repository name not known to registry\\)\\n$`,
        ),
      );
    }
    const manifest = await cli(['manifest', 'fetch', `${plain.host}/demo:nope`], { env });
    assert.equal(manifest.code, 1);
    assert.match(
      manifest.stderr,
      new RegExp(
        `^stowage manifest: manifest ${plain.host}/demo:nope not found \\(MANIFEST_UNKNOWN: manifest unknown\\)\\n`,
      ),
    );
    assert.match(manifest.stderr, /hint: .*demo has no tag "nope"; its tags include v1/);
  });

  it('tells how to log in when a registry wants credentials, and that a saved login may be stale when it is refused', async () => {
    for (const registry of [token, basicTls]) {
      const flags = registry.caFile ? ['--ca-file', registry.caFile] : [];
      const ref = `${registry.host}/demo`;
      const loggedOut = await cli(['tags', ref, ...flags], { env });
      assert.equal(loggedOut.code, 1, registry.variant);
      assert.match(loggedOut.stderr, /no credentials were found|none were found/);
      // The login it suggests carries this command line's connection flags (the CA file): it works as given.
      const login = `stowage login ${registry.host}${registry.caFile ? ` --ca-file ${registry.caFile}` : ''}`;
      assert.ok(
        loggedOut.stderr.endsWith(`\n  hint: log in with "${login}", or pass -u <user> --password-stdin\n`),
        loggedOut.stderr,
      );

      const stale = path.join(work, `stale-${registry.variant}`);
      await fs.mkdir(stale, { recursive: true });
      const auth = Buffer.from(`${registry.username}:an-old-password`).toString('base64');
      await fs.writeFile(path.join(stale, 'config.json'), JSON.stringify({ auths: { [registry.host]: { auth } } }));
      const refused = await cli(['tags', ref, ...flags], { env: { ...env, DOCKER_CONFIG: stale } });
      assert.equal(refused.code, 1);
      assert.match(refused.stderr, /rejected the credentials in docker's config\.json/);
      assert.ok(
        refused.stderr.endsWith(`\n  hint: the saved login may be out of date: run "${login}" to replace it\n`),
        refused.stderr,
      );
      const relogin = await cli([...login.split(' ').slice(1), '-u', registry.username!, '--password-stdin'], {
        env: { ...env, DOCKER_CONFIG: stale },
        stdin: registry.password!,
      });
      assert.equal(relogin.code, 0, relogin.stderr);

      // Credentials typed on this command line: the message says they were refused; no login to suggest.
      const given = await cli(['tags', ref, '-u', registry.username!, '--password-stdin', ...flags], {
        env,
        stdin: 'wrong',
      });
      assert.equal(given.code, 1);
      assert.match(given.stderr, /rejected the credentials given to the command \(-u with -p or --password-stdin/);
      assert.doesNotMatch(given.stderr, /hint/);

      // A copy's destination credentials (--to-username/--to-password): the refusal names those flags too.
      const copied = await cli(
        [
          'copy',
          `${plain.host}/demo:v1`,
          `${ref}:v1`,
          '--to-username',
          registry.username!,
          '--to-password',
          'wrong',
          ...(registry.caFile ? ['--to-ca-file', registry.caFile] : []),
        ],
        { env },
      );
      assert.equal(copied.code, 1, copied.stderr);
      assert.match(copied.stderr, /rejected the credentials given to the command \(.*--from-\/--to- forms\)/);
    }
  });

  it('leaves no empty layout behind when a copy or backup into a new folder fails before writing anything', async () => {
    const copyTo = path.join(work, 'copy-dest');
    const copy = await cli(['copy', `${plain.host}/demo:nope`, `oci:${copyTo}:v1`], { env });
    assert.equal(copy.code, 1);
    assert.match(copy.stderr, /demo:nope not found/);
    await assert.rejects(fs.access(copyTo), 'the layout made for the copy is gone');

    const unreachable = await cli(['copy', '127.0.0.1:1/demo:v1', `oci:${copyTo}:v1`], { env });
    assert.equal(unreachable.code, 1);
    await assert.rejects(fs.access(copyTo));

    // A nested new path: every folder the run made goes, up to the one that was there.
    const nested = path.join(work, 'new-parent', 'deeper', 'layout');
    const deep = await cli(['copy', `${plain.host}/demo:nope`, `oci:${nested}:v1`], { env });
    assert.equal(deep.code, 1);
    await assert.rejects(fs.access(path.join(work, 'new-parent')), 'the folders made above the layout are gone');
    await fs.access(work);

    const backupTo = path.join(work, 'backup-dest');
    const backup = await cli(['backup', '--output', backupTo, `${plain.host}/nothere`], { env });
    assert.equal(backup.code, 1);
    assert.match(backup.stderr, /repository .*nothere not found/);
    await assert.rejects(fs.access(backupTo), 'the layout made for the backup is gone');

    const globTo = path.join(work, 'glob-dest');
    const glob = await cli(['backup', '--output', globTo, `${plain.host}/demo`, '--tags', 'V*'], { env });
    assert.equal(glob.code, 1, 'a --tags pattern that matches nothing is a mistake, not an empty backup');
    assert.equal(glob.stderr, `stowage backup: a tag matching "V*" in ${plain.host}/demo not found (its tags: v1)\n`);
    await assert.rejects(fs.access(globTo));

    // A folder that was there before is the user's, empty or not; a layout with content stays for a rerun.
    const existing = path.join(work, 'existing');
    await fs.mkdir(existing);
    assert.equal((await cli(['copy', `${plain.host}/demo:nope`, `oci:${existing}:v1`], { env })).code, 1);
    await fs.access(existing);
    await cliOk(['copy', `${plain.host}/demo:v1`, `oci:${copyTo}:v1`], { env });
    assert.deepEqual((await fs.readdir(copyTo)).sort(), ['blobs', 'index.json', 'oci-layout']);
    assert.equal((await cli(['copy', `${plain.host}/demo:nope`, `oci:${copyTo}:v2`], { env })).code, 1);
    assert.equal((await cliOk(['resolve', `oci:${copyTo}:v1`], { env })).code, 0);
  });

  it('says a registry speaks HTTPS when told to use plain HTTP, for a listing (GET) and a pull (HEAD, no body)', async () => {
    const host = basicTls.host;
    for (const args of [
      ['tags', `${host}/demo`, '--plain-http'],
      ['pull', `${host}/demo:v1`, '-o', path.join(work, 'never'), '--plain-http-registry', host],
    ]) {
      const run = await cli(args, { env });
      assert.equal(run.code, 1, args.join(' '));
      const [message, hint, ...rest] = run.stderr.trimEnd().split('\n');
      assert.match(
        message!,
        new RegExp(
          `^stowage ${args[0]}: ${host} speaks HTTPS and refused a plain-HTTP request for .* \\(Client sent an HTTP request to an HTTPS server\\.\\)$`,
        ),
      );
      assert.equal(
        hint,
        `  hint: drop --plain-http (or --plain-http-registry ${host}, or "plainHttp": true in --hosts-config) for this registry`,
      );
      assert.deepEqual(rest, []);
    }
    await assert.rejects(fs.access(path.join(work, 'never')));
  });

  it('fails at once, naming the folder, when an output folder cannot be created (pull -o, a layout, key create)', async () => {
    // Under /proc Node's recursive mkdir never returned: `pull -o /proc/x` hung until killed.
    assert.ok(existsSync('/proc/self'), 'this test needs Linux /proc, where the hang happened');
    const folder = `/proc/stowage-${process.pid}`;
    for (const args of [
      ['pull', `${plain.host}/demo:v1`, '-o', `${folder}/out`],
      ['copy', `${plain.host}/demo:v1`, `oci:${folder}/layout:v1`],
      ['key', 'create', '--out', `${folder}/keys`],
    ]) {
      const started = Date.now();
      const run = await cli(args, { env });
      assert.equal(run.code, 1, args.join(' '));
      assert.equal(
        run.stderr,
        `stowage ${args[0]}: cannot create the folder ${folder}: /proc does not accept new folders\n`,
      );
      assert.ok(Date.now() - started < 10_000, `${args[0]} took ${Date.now() - started} ms`);
    }
  });

  it('names the blob a registry misses when it refuses a manifest pushed with --force (MANIFEST_BLOB_UNKNOWN: its digest, its field, what to do)', async () => {
    const missing = `sha256:${'ab'.repeat(32)}`;
    const manifest = path.join(work, 'missing-blob.json');
    await fs.writeFile(
      manifest,
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        artifactType: 'application/x.example',
        config: { mediaType: 'application/vnd.oci.empty.v1+json', digest: missing, size: 2 },
        layers: [],
      }),
    );
    // --force: past Stowage's own checks (which name the config's wrong digest first), to what the registry says.
    const run = await cli(['manifest', 'push', `${plain.host}/demo:broken`, manifest, '--force'], { env });
    assert.equal(run.code, 1);
    assert.match(run.stderr, /missing-blob\.json:1:\d+ error empty-descriptor config\.digest is wrong/);
    assert.equal(
      run.stderr.slice(run.stderr.indexOf('stowage manifest:')),
      // The registry's MANIFEST_BLOB_UNKNOWN, said with the field the check found missing and what to do.
      `stowage manifest: ${plain.host}/demo lacks blob ${missing} (config): push that blob there first, then the manifest again.\n`,
    );
  });

  it('names the output file as written when its folder is missing (blob fetch -o, fetch-config -o), not a temporary file', async () => {
    const digest = `sha256:${createHash('sha256').update('hi\n').digest('hex')}`;
    const output = path.join(work, 'no-such-folder', 'hi.txt');
    for (const args of [
      ['blob', 'fetch', `${plain.host}/demo@${digest}`, '-o', output],
      ['manifest', 'fetch-config', `${plain.host}/demo:v1`, '-o', output],
    ]) {
      const run = await cli(args, { env });
      assert.equal(run.code, 2, args.join(' '));
      assert.equal(
        run.stderr.split('\n')[0],
        `stowage ${args[0]}: --output ${output}: the folder ${path.dirname(output)} does not exist`,
      );
    }
  });
});
