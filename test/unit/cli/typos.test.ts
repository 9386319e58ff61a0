import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { closest } from '../../../src/cli/suggest';
import { cli } from '../../helpers/runCli';

describe('CLI typos: what was meant, and where the list is', () => {
  it('finds the name one or two edits away, and nothing for a word unlike any', () => {
    const commands = ['push', 'pull', 'copy', 'tags', 'tag', 'discover'];
    assert.equal(closest('pul', commands), 'pull');
    assert.equal(closest('psuh', commands), 'push', 'two letters swapped');
    assert.equal(closest('dicsover', commands), 'discover');
    assert.equal(closest('Pull', commands), 'pull');
    assert.equal(closest('tags', commands), 'tags', 'an exact name wins over a near one');
    assert.equal(closest('xyzzy', commands), undefined);
    assert.equal(closest('a', commands), undefined);
  });

  it("guesses a mistyped tag quickly whatever a registry's tag page holds: a tag megabytes long, a million tags", function () {
    this.timeout(60_000);
    let started = Date.now();
    assert.equal(closest('release-candidate', ['x'.repeat(8_000_000), 'relase-candidate']), 'relase-candidate');
    assert.ok(Date.now() - started < 1000, `one long tag took ${Date.now() - started} ms`);
    const many = Array.from({ length: 1_000_000 }, (_, i) => `release-${String(i).padStart(9, '0')}`);
    started = Date.now();
    assert.equal(closest('release-000000012', many), 'release-000000012');
    assert.ok(Date.now() - started < 3000, `a page of a million tags took ${Date.now() - started} ms`);
  });

  it('a file named on the command line that is missing, or endless, is a usage error naming it (exit 2)', async () => {
    const hosts = await cli(['tags', '--hosts-config', 'nosuch.json', '127.0.0.1:1/x']);
    assert.equal(hosts.code, 2, hosts.stderr);
    assert.match(hosts.stderr, /^stowage tags: --hosts-config nosuch\.json: no such file\n/);
    const missing = await cli(['manifest', 'push', '127.0.0.1:1/x:v1', 'nosuch.json']);
    assert.equal(missing.code, 2, missing.stderr);
    assert.match(missing.stderr, /nosuch\.json: no such file/);
    // A device without end is read up to a manifest's cap, not into memory whole.
    const endless = await cli(['manifest', 'push', '127.0.0.1:1/x:v1', '/dev/zero']);
    assert.equal(endless.code, 2, endless.stderr);
    assert.match(endless.stderr, /\/dev\/zero is larger than a manifest may be \(4194304 bytes\)/);
  });

  it('answers an unknown command with the one meant and where the list is, not the whole help (exit 2)', async () => {
    const run = await cli(['pul', 'localhost:5000/x:v1']);
    assert.equal(run.code, 2);
    assert.equal(run.stdout, '');
    assert.deepEqual(run.stderr.trimEnd().split('\n'), [
      'stowage: unknown command "pul" (did you mean "pull"?)',
      'Run "stowage --help" for the list of commands.',
    ]);
    assert.match((await cli(['versoin'])).stderr, /unknown command "versoin" \(did you mean "version"\?\)/);
    assert.match((await cli(['xyzzy'])).stderr, /^stowage: unknown command "xyzzy"\n/);
  });

  it('suggests the option meant, also for a long name typed with one dash', async () => {
    const typo = await cli(['pull', 'localhost:5000/x:v1', '--outptu', 'dir']);
    assert.equal(typo.code, 2);
    assert.match(typo.stderr, /^stowage pull: unknown option --outptu \(did you mean --output\?\)\n/);
    const oneDash = await cli(['pull', 'localhost:5000/x:v1', '-output', 'dir']);
    assert.match(oneDash.stderr, /^stowage pull: unknown option -output \(did you mean --output\?\)\n/);
    assert.match((await cli(['pull', 'x', '--bogus'])).stderr, /^stowage pull: unknown option --bogus\n/);
  });

  it('suggests the one longer option a name is the end of: push --platform is ORAS’s push --artifact-platform', async () => {
    const platform = await cli(['push', 'localhost:5000/x:v1', 'hi.txt', '--platform', 'linux/amd64']);
    assert.equal(platform.code, 2);
    assert.match(platform.stderr, /^stowage push: unknown option --platform \(did you mean --artifact-platform\?\)\n/);
    // Two longer forms (--from-/--to-…): no guess.
    assert.match((await cli(['copy', 'a:v1', 'b:v1', '--spec', 'x'])).stderr, /unknown option --spec\n/);
  });

  it('checks the verb of a command with verbs before counting its arguments', async () => {
    const none = await cli(['manifest']);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /^stowage manifest: manifest needs one of: fetch, fetch-config, push, delete, index\n/);
    const typo = await cli(['manifest', 'fetc', 'localhost:5000/x:v1']);
    assert.equal(typo.code, 2);
    assert.match(
      typo.stderr,
      /^stowage manifest: manifest takes fetch, fetch-config, push, delete, index, not "fetc" \(did you mean "fetch"\?\)\n/,
    );
    // `manifest bogus` used to say "manifest takes 2 to any number of arguments, got 1".
    assert.match(
      (await cli(['manifest', 'bogus'])).stderr,
      /manifest takes fetch, fetch-config, push, delete, index, not "bogus"\n/,
    );
    assert.match((await cli(['blob'])).stderr, /^stowage blob: blob needs one of: fetch, push, delete\n/);
    assert.match(
      (await cli(['repo', 'lst', 'x'])).stderr,
      /repo takes ls, list, tags, show-tags, not "lst" \(did you mean "ls"\?\)/,
    );
    assert.match(
      (await cli(['referrers', 'chek', 'x'])).stderr,
      /referrers takes check, repair, not "chek" \(did you mean "check"\?\)/,
    );
    assert.match((await cli(['completion'])).stderr, /completion needs one of: bash, zsh, fish/);
    assert.match((await cli(['key'])).stderr, /key needs one of: create/);
  });

  it('says how many arguments a command takes in words', async () => {
    assert.match(
      (await cli(['tag', 'localhost:5000/x:v1'])).stderr,
      /^stowage tag: tag takes at least 2 arguments, got 1\n/,
    );
    assert.match((await cli(['pull'])).stderr, /^stowage pull: pull takes 1 argument, got 0\n/);
    assert.match(
      (await cli(['copy', 'a', 'b', 'c'])).stderr,
      /^stowage copy: copy takes 2 arguments, got 3: "c" is one too many\n/,
    );
  });

  it('counts the words after a subcommand, as the user does, and names the ones too many', async () => {
    // They said "repo takes 2 arguments, got 3" and "key takes 1 argument, got 2".
    assert.match(
      (await cli(['repo', 'tags', 'a', 'b'])).stderr,
      /^stowage repo: repo tags takes 1 argument, got 2: "b" is one too many\n/,
    );
    assert.match(
      (await cli(['key', 'create', 'keys'])).stderr,
      /^stowage key: key create takes no argument, got 1: "keys" is one too many\n/,
    );
    assert.match(
      (await cli(['blob', 'push', 'a', 'b', 'c\u001b[2J'])).stderr,
      /^stowage blob: blob push takes at most 2 arguments, got 3: "c⟨U\+001B⟩\[2J" is one too many\n/,
    );
    assert.match((await cli(['repo', 'ls'])).stderr, /^stowage repo: repo ls takes 1 argument, got 0\n/);
  });

  it("counts each verb's words against its own range, not the widest verb's", async () => {
    // `blob fetch a b` said "blob fetch takes at most 2 arguments" (push's count); manifest said only its usage.
    for (const [args, said] of [
      [
        ['blob', 'fetch', 'r@sha256:a', 'b'],
        /^stowage blob: blob fetch takes 1 argument, got 2: "b" is one too many\n/,
      ],
      [
        ['blob', 'delete', 'r@sha256:a', 'b'],
        /^stowage blob: blob delete takes 1 argument, got 2: "b" is one too many\n/,
      ],
      [['blob', 'push'], /^stowage blob: blob push takes at least 1 argument, got 0\n/],
      [
        ['manifest', 'fetch', 'r:v1', 'b'],
        /^stowage manifest: manifest fetch takes 1 argument, got 2: "b" is one too many\n/,
      ],
      [
        ['manifest', 'get-config', 'r:v1', 'b'],
        /^stowage manifest: manifest get-config takes 1 argument, got 2: "b" is one too many\n/,
      ],
      [['manifest', 'push', 'r:v1'], /^stowage manifest: manifest push takes 2 arguments, got 1\n/],
      [['manifest', 'delete'], /^stowage manifest: manifest delete takes 1 argument, got 0\n/],
      [['manifest', 'index', 'create'], /^stowage manifest: manifest index takes at least 2 arguments, got 1\n/],
      [
        ['referrers', 'check', 'a', 'b'],
        /^stowage referrers: referrers check takes 1 argument, got 2: "b" is one too many\n/,
      ],
      [
        ['completion', 'bash', 'x'],
        /^stowage completion: completion bash takes no argument, got 1: "x" is one too many\n/,
      ],
    ] as const) {
      const run = await cli([...args]);
      assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, said, args.join(' '));
    }
  });

  it('refuses --concurrency out of 1–64 as a usage error (exit 2) before anything is opened, on every command', async () => {
    for (const [args, value] of [
      [['pull', 'oci:/no/such/layout:v1', '-o', '/no/such/out'], '0'],
      [['tags', 'oci:/no/such/layout'], '-1'],
      [['discover', 'oci:/no/such/layout:v1'], '65'],
    ] as const) {
      const run = await cli([...args, '--concurrency', value]);
      assert.equal(run.code, 2, `${args[0]} --concurrency ${value}: ${run.stderr}`);
      assert.match(
        run.stderr,
        new RegExp(`^stowage ${args[0]}: --concurrency must be a whole number from 1 to 64, not ${value}\n`),
      );
    }
  });

  it('refuses a reference that does not parse as a usage error (exit 2), naming it, so a pipeline tells it from a failed registry', async () => {
    for (const args of [
      ['push', '127.0.0.1:1/Demo:v1', __filename],
      ['pull', '127.0.0.1:1/demo:v1,v2', '-o', '/no/such/out'],
      ['copy', '127.0.0.1:1/demo:v1', '127.0.0.1:1/demo@sha256:abc'],
      ['tags', '127.0.0.1:1/Demo'],
      ['backup', '127.0.0.1:1/Demo', '-o', '/no/such/backup'],
    ]) {
      const run = await cli(args);
      assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, new RegExp(`^stowage ${args[0]}: invalid reference "[^"]+": `));
    }
  });

  it('says why `file:word` was read as a file name when the file is there: the word is no media type (push, attach)', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-cli-filetype-'));
    try {
      const sbom = path.join(dir, 'sbom.json');
      await fs.writeFile(sbom, '{}');
      const layout = `oci:${path.join(dir, 'layout')}:v1`;
      const push = await cli(['push', layout, `${sbom}:spdx`]);
      assert.equal(push.code, 2, push.stderr);
      assert.match(
        push.stderr,
        /cannot pack ".*sbom\.json:spdx": no such file or folder \(if "spdx" is meant as the media type of ".*sbom\.json": a media type is type\/subtype/,
      );
      const attach = await cli(['attach', layout, `${sbom}:spdx`, '--artifact-type', 'application/spdx+json']);
      assert.equal(attach.code, 2, attach.stderr);
      assert.match(attach.stderr, /if "spdx" is meant as the media type of/);
      // A missing file whose name holds a colon gets no such guess.
      const missing = await cli(['push', layout, `${path.join(dir, 'gone.json')}:spdx`]);
      assert.match(missing.stderr, /cannot pack ".*gone\.json:spdx": no such file or folder\n/);
      await assert.rejects(fs.stat(path.join(dir, 'layout')), /ENOENT/, 'nothing created');
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses an --artifact-type or --created that is no such value as a usage error (exit 2), naming the flag, before anything is opened', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-cli-flagvalues-'));
    try {
      const file = path.join(dir, 'a.txt');
      await fs.writeFile(file, 'a');
      const layout = path.join(dir, 'layout');
      for (const [args, message] of [
        [
          ['push', `oci:${layout}:v1`, file, '--artifact-type', 'sbom'],
          /--artifact-type: the artifact type "sbom" is not a media type/,
        ],
        [
          ['attach', `oci:${layout}:v1`, file, '--artifact-type', 'sbom'],
          /--artifact-type: the artifact type "sbom" is not a media type/,
        ],
        [
          ['push', `oci:${layout}:v1`, file, '--created', 'yesterday'],
          /--created: the creation time "yesterday" is not an RFC 3339 date-time/,
        ],
      ] as const) {
        const run = await cli([...args]);
        assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
        assert.match(run.stderr, new RegExp(`^stowage ${args[0]}: ${message.source}`));
      }
      await assert.rejects(fs.stat(layout), /ENOENT/, 'nothing created');
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses key create --days that is no whole number of days as a usage error naming --days, and writes no key', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-cli-keydays-'));
    try {
      for (const days of ['0', '-3', '1.5']) {
        const run = await cli(['key', 'create', '--out', dir, '--days', days]);
        assert.equal(run.code, 2, `--days ${days}: ${run.stderr}`);
        assert.match(
          run.stderr,
          new RegExp(`^stowage key: --days must be a whole number of days, 1 or more, not ${days}\n`),
        );
      }
      assert.deepEqual(await fs.readdir(dir), []);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('names the one of sign --key and --cert that is missing, and where a first pair comes from', async () => {
    const noCert = await cli(['sign', 'oci:/no/such/layout:v1', '--key', 'k.pem']);
    assert.equal(noCert.code, 2);
    assert.match(
      noCert.stderr,
      /^stowage sign: sign needs --cert CHAIN\.pem \(stowage key create --out DIR makes a key and its certificate\)\n/,
    );
    const neither = await cli(['sign', 'oci:/no/such/layout:v1']);
    assert.match(neither.stderr, /^stowage sign: sign needs --key KEY\.pem and --cert CHAIN\.pem \(/);
  });
});
