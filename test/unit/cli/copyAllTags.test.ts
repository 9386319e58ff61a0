// `stowage copy --all-tags` / `--tags`: how it is asked for and what is refused as a usage error (exit 2) before
// anything opens; and the same command between two layouts (no registry needed), rerun moving nothing.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LayoutTarget } from '../../../src/core/layout';
import { cli } from '../../helpers/runCli';
import { pushArtifact } from '../../helpers/sampleArtifact';

describe('copy --all-tags and --tags (repository copy)', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-copy-all-'));
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('--help shows both forms and the flags crane and skopeo sync users look for', async () => {
    const { stdout, code } = await cli(['copy', '--help']);
    assert.equal(code, 0);
    assert.match(stdout, /^ {7}stowage copy --all-tags\|--tags <glob> <source-repository> <destination-repository>/m);
    assert.match(stdout, /\n {2}-a, --all-tags +copy every tag of the source repository/);
    assert.match(stdout, /\n {6}--tags <glob> +copy the source repository’s tags matching this pattern/);
    assert.match(stdout, /\n {6}--dry-run +with --all-tags or --tags/);
    assert.match(stdout, /\n {6}--keep-going +a tag that fails is named with its reason and the copy goes on/);
    assert.match(stdout, /\n {2}-n, --no-clobber +leave a tag that names another digest at the destination/);
    assert.match(stdout, /\n {6}--force-recursive +ask the destination for every blob and child manifest/);
  });

  it('refuses a tag or digest on either side, --platform with it, and --dry-run, --keep-going, -n or --force-recursive without it, as usage errors naming the input', async () => {
    const refusals: [string[], RegExp][] = [
      [
        ['copy', '--all-tags', '127.0.0.1:1/up/app:v1', '127.0.0.1:2/mirror/app'],
        /"127\.0\.0\.1:1\/up\/app:v1": --all-tags and --tags copy a repository's tags; name the source without the tag ":v1" \(pick tags with --tags <glob>\)/,
      ],
      [
        ['copy', '--tags', 'v*', '127.0.0.1:1/up/app', `127.0.0.1:2/mirror/app@sha256:${'a'.repeat(64)}`],
        /name the destination without a digest/,
      ],
      [
        ['copy', '-a', '--platform', 'linux/amd64', '127.0.0.1:1/up/app', '127.0.0.1:2/mirror/app'],
        /--platform picks a manifest of one artifact; drop it with --all-tags or --tags/,
      ],
      [
        ['copy', '--dry-run', '127.0.0.1:1/up/app:v1', '127.0.0.1:2/mirror/app:v1'],
        /--dry-run is for a repository copy: add --all-tags \(or --tags <glob>\)/,
      ],
      [
        ['copy', '--keep-going', '127.0.0.1:1/up/app:v1', '127.0.0.1:2/mirror/app:v1'],
        /--keep-going is for a repository copy/,
      ],
      [['copy', '-n', '127.0.0.1:1/up/app:v1', '127.0.0.1:2/mirror/app:v1'], /--no-clobber is for a repository copy/],
      [
        ['copy', '--force-recursive', '127.0.0.1:1/up/app:v1', '127.0.0.1:2/mirror/app:v1'],
        /--force-recursive is for a repository copy/,
      ],
    ];
    for (const [args, message] of refusals) {
      const run = await cli(args);
      assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, message, args.join(' '));
    }
  });

  it('copies every tag between two layouts, the destination made; a rerun copies nothing again', async () => {
    const source = await LayoutTarget.open(path.join(dir, 'src'), { create: true });
    for (const tag of ['v1', 'v2']) await pushArtifact(source, `release ${tag}`, { tag });
    const dst = path.join(dir, 'dst');
    const first = await cli(['copy', '-a', `oci:${source.root}`, `oci:${dst}`]);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /^copied 2 tags: 2 manifests, 0 referrers, 3 blobs/);
    const copied = await LayoutTarget.open(dst);
    for (const tag of ['v1', 'v2'])
      assert.equal((await copied.resolve(tag)).digest, (await source.resolve(tag)).digest);

    const again = await cli(['copy', '-a', `oci:${source.root}`, `oci:${dst}`]);
    assert.equal(again.code, 0, again.stderr);
    assert.match(
      again.stdout,
      /^copied 0 tags: 0 manifests, 0 referrers, 0 blobs, 0 B; 5 already there .*; 2 tags unchanged \(/,
    );
  });

  it('--format json prints each tag record as its tag is done, not all at the end, in the shape printed whole before', async () => {
    const source = await LayoutTarget.open(path.join(dir, 'src'), { create: true });
    for (const tag of ['v1', 'v2', 'v3']) await pushArtifact(source, `release ${tag}`, { tag });
    let stdout = '';
    /** What stdout held when each tag's "copied" line reached stderr. */
    const printedAtDone = new Map<string, string>();
    const run = await cli(['copy', '-a', `oci:${source.root}`, `oci:${path.join(dir, 'dst')}`, '--format', 'json'], {
      onStdout: (text) => (stdout += text),
      onStderr: (text) => {
        for (const [, tag] of text.matchAll(/^copied tag (\S+) /gm)) printedAtDone.set(tag!, stdout);
      },
    });
    assert.equal(run.code, 0, run.stderr);
    // The v1 record is out before v2 is done (the line for a tag follows its record).
    assert.match(printedAtDone.get('v2') ?? '', /"tag": "v1"/, 'the records waited for the end');
    assert.doesNotMatch(printedAtDone.get('v2') ?? '', /"tag": "v3"/);
    const summary = JSON.parse(run.stdout) as Record<string, unknown> & { tags: { tag: string; digest: string }[] };
    assert.deepEqual(Object.keys(summary), [
      'dryRun',
      'tags',
      'untagged',
      'kept',
      'failed',
      'manifests',
      'referrers',
      'blobs',
      'bytes',
      'skipped',
      'skippedBytes',
      'notReferrers',
    ]);
    assert.equal(run.stdout, `${JSON.stringify(summary, null, 2)}\n`, 'not the text printed whole');
    assert.deepEqual(
      summary.tags.map((t) => t.tag),
      ['v1', 'v2', 'v3'],
    );
    assert.equal(summary.tags[1]!.digest, (await source.resolve('v2')).digest);
  });

  it('--format json stopped midway is valid JSON: the tags done, then where it stopped', async () => {
    const source = await LayoutTarget.open(path.join(dir, 'src'), { create: true });
    const pushed = [];
    for (const tag of ['v1', 'v2', 'v3']) pushed.push(await pushArtifact(source, `release ${tag}`, { tag }));
    // v2's layer holds other bytes of its size: its copy fails the digest check and, without --keep-going, ends the run.
    await fs.writeFile(source.blobPath(pushed[1]!.layer.digest), Buffer.alloc(pushed[1]!.layerBytes.length, 'z'));
    const run = await cli(['copy', '-a', `oci:${source.root}`, `oci:${path.join(dir, 'dst')}`, '--format', 'json']);
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /^stopped at tag v2 \(2\/3\): 1 tag copied, 1 left /m);
    const summary = JSON.parse(run.stdout) as { dryRun: boolean; tags: { tag: string }[]; stopped: { tag: string } };
    assert.deepEqual(Object.keys(summary), ['dryRun', 'tags', 'stopped']);
    assert.deepEqual(
      summary.tags.map((t) => t.tag),
      ['v1'],
    );
    assert.equal(summary.stopped.tag, 'v2');
  });
});
