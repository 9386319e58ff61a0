// `stowage delete --tags <glob>`: a CI job's clean-up of its pull-request builds against the real registry (which
// deletes by digest, taking every tag naming the manifest) and in a layout folder. What the globs pick goes; a
// manifest `latest` also names stays; `--older-than` and `--keep` read the manifests' created times; a signature
// goes with its subject only when asked.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startRegistry, type TestRegistry } from '../../fixtures/registry';
import { cli, cliOk } from '../../helpers/runCli';

describe('stowage delete --tags: a clean-up by tag', function () {
  this.timeout(120_000);
  let registry: TestRegistry;
  let dir: string;

  before(async () => {
    registry = await startRegistry({ variant: 'plain' });
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-cleanup-'));
  });

  after(async () => {
    await registry.stop();
    await fs.rm(dir, { recursive: true, force: true });
  });

  /** A build pushed under `reference`, made `daysAgo` days ago (its created annotation). */
  async function build(reference: string, daysAgo: number): Promise<string> {
    const file = path.join(dir, 'build.txt');
    await fs.writeFile(file, `${reference}\n`);
    const created = new Date(Date.now() - daysAgo * 86_400_000).toISOString().replace(/\.\d+Z$/, 'Z');
    const pushed = await cliOk(['push', reference, file, '-a', `org.opencontainers.image.created=${created}`]);
    return /Digest: (sha256:[0-9a-f]{64})/.exec(pushed.stdout)![1]!;
  }

  async function tags(reference: string): Promise<string[]> {
    return (await cliOk(['tags', reference])).stdout.split('\n').filter(Boolean).sort();
  }

  it('deletes the old pull-request builds from a registry, keeps the one latest names and the newest, and needs --yes', async () => {
    const repo = `${registry.host}/ci/app`;
    await build(`${repo}:pr-1`, 40);
    await build(`${repo}:pr-2`, 30);
    const shipped = await build(`${repo}:pr-3`, 20);
    await cliOk(['tag', `${repo}:pr-3`, 'latest']);
    await build(`${repo}:pr-4`, 10);
    await build(`${repo}:pr-5`, 1);
    await build(`${repo}:main`, 50);
    const signature = path.join(dir, 'sig.json');
    await fs.writeFile(signature, '{"signed":true}\n');
    await cliOk([
      'attach',
      `${repo}:pr-1`,
      `${signature}:application/json`,
      '--artifact-type',
      'application/vnd.example.sig',
    ]);

    const unasked = await cli(['delete', '--tags', 'pr-*', '--older-than', '14d', repo]);
    assert.equal(unasked.code, 2, unasked.stderr);
    assert.match(unasked.stderr, /deleting by --tags needs --yes \(see what it would delete first with --dry-run\)/);

    const before = await tags(repo);
    const planned = await cliOk(['delete', '--tags', 'pr-*', '--older-than', '14d', '--keep', '1', '--dry-run', repo]);
    const lines = planned.stdout.trim().split('\n');
    assert.match(lines[0]!, /^would delete pr-1 \(sha256:[0-9a-f]{12}, made \d{4}-\d\d-\d\d\)$/);
    assert.match(lines[1]!, /^would delete pr-2 /);
    const kept = lines.filter((l) => l.startsWith('kept ')).map((l) => l.replace(/ \(.*\)/, ''));
    assert.deepEqual(kept, [
      'kept pr-3: also tagged latest, which the patterns do not pick',
      'kept pr-4: made 10 days ago',
      'kept pr-5: among the newest 1',
    ]);
    assert.ok(planned.stdout.includes(`(${shipped.slice(0, 'sha256:'.length + 12)}`), 'digests shown short');
    assert.match(lines.at(-1)!, new RegExp(`^would delete 2 manifests \\(2 tags\\) from ${repo}; 3 kept$`));
    assert.deepEqual(await tags(repo), before, 'a dry run deletes nothing');

    const done = await cli(['delete', '--tags', 'pr-*', '--older-than', '14d', '--keep', '1', '--yes', repo]);
    assert.equal(done.code, 0, done.stderr);
    assert.match(done.stdout, /^deleted pr-1 /m);
    assert.match(done.stdout, /^deleted 2 manifests \(2 tags\)/m);
    assert.match(
      done.stderr,
      /note: 1 referrer of sha256:[0-9a-f]{64} \(signatures, SBOMs…\) stay, without their subject; --with-referrers deletes them too/,
    );
    // pr-1's signature stays, as the note says, under its fallback tag.
    const pr1Fallback = /note: 1 referrer of sha256:([0-9a-f]{64})/.exec(done.stderr)![1]!;
    assert.deepEqual(await tags(repo), ['latest', 'main', 'pr-3', 'pr-4', 'pr-5', `sha256-${pr1Fallback}`]);
    assert.equal((await cliOk(['resolve', `${repo}:latest`])).stdout.trim(), shipped, 'latest untouched');
  });

  it('takes referrers along when asked, works in a layout folder, and refuses what does not belong', async () => {
    const layout = `oci:${path.join(dir, 'layout')}`;
    await build(`${layout}:pr-7`, 30);
    await build(`${layout}:pr-8`, 30);
    await build(`${layout}:stable`, 30);
    const signature = path.join(dir, 'sig.json');
    await fs.writeFile(signature, '{"signed":true}\n');
    await cliOk([
      'attach',
      `${layout}:pr-7`,
      `${signature}:application/json`,
      '--artifact-type',
      'application/vnd.example.sig',
    ]);

    const done = await cliOk([
      'delete',
      '--tags',
      'pr-7,pr-8',
      '--with-referrers',
      '--yes',
      '--format',
      'json',
      layout,
    ]);
    const result = JSON.parse(done.stdout) as { dryRun: boolean; deleted: { tags: string[] }[]; kept: unknown[] };
    assert.deepEqual(
      result.deleted.map((d) => d.tags),
      [['pr-7'], ['pr-8']],
    );
    assert.equal(result.dryRun, false);
    assert.deepEqual(await tags(layout), ['stable']);
    // The signature went with pr-7, and with it the fallback tag that listed it: index.json names stable only.
    const index = JSON.parse(await fs.readFile(path.join(dir, 'layout', 'index.json'), 'utf8')) as {
      manifests: { annotations?: Record<string, string> }[];
    };
    assert.deepEqual(
      index.manifests.map((m) => m.annotations?.['org.opencontainers.image.ref.name']),
      ['stable'],
    );

    for (const [args, words] of [
      [['delete', '--tags', 'pr-*', '--yes', `${layout}:stable`], /--tags deletes by pattern in a repository/],
      [['delete', '--keep', '2', `${layout}:stable`], /--keep goes with --tags/],
      [
        ['delete', '--tags', 'pr-*', '--older-than', '3 days', '--dry-run', layout],
        /--older-than takes an age such as 30m, 12h, 14d or 2w, not "3 days"/,
      ],
      [['delete', '--tags', 'nightly-*', '--dry-run', layout], /a tag matching "nightly-\*"/],
    ] as const) {
      const refused = await cli([...args]);
      assert.notEqual(refused.code, 0, args.join(' '));
      assert.match(refused.stderr, words, refused.stderr);
    }
  });
});
