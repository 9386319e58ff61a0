// A pipeline that pushes the same files twice (a rerun job, two runners) gets the same manifest digest when it says
// when the content was made: SOURCE_DATE_EPOCH, as reproducible builds and buildkit set it, or --created.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cli } from '../../helpers/runCli';

const CREATED = 'org.opencontainers.image.created';

describe('stowage push: the creation time from SOURCE_DATE_EPOCH', () => {
  let dir: string;
  let layout: string;

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-cli-reproducible-'));
    await fs.mkdir(path.join(dir, 'site'));
    await fs.writeFile(path.join(dir, 'site', 'index.html'), '<p>hi</p>');
    await fs.writeFile(path.join(dir, 'report.txt'), 'all green');
    layout = path.join(dir, 'layout');
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  async function push(tag: string, env: NodeJS.ProcessEnv, ...flags: string[]): Promise<string> {
    const run = await cli(
      [
        'push',
        `oci:${layout}:${tag}`,
        path.join(dir, 'report.txt'),
        path.join(dir, 'site'),
        '--format',
        'json',
        ...flags,
      ],
      { env },
    );
    assert.equal(run.code, 0, run.stderr);
    return (JSON.parse(run.stdout) as { digest: string }).digest;
  }

  async function createdOf(tag: string): Promise<string | undefined> {
    const run = await cli(['manifest', 'fetch', `oci:${layout}:${tag}`]);
    assert.equal(run.code, 0, run.stderr);
    return (JSON.parse(run.stdout) as { annotations?: Record<string, string> }).annotations?.[CREATED];
  }

  it('records SOURCE_DATE_EPOCH, so pushing the same files again (touched since) gives the same digest', async () => {
    const env = { SOURCE_DATE_EPOCH: '1700000000' };
    const first = await push('a', env);
    // A checkout on another runner: same bytes, new modification times.
    const later = new Date(Date.now() + 5000);
    await fs.utimes(path.join(dir, 'report.txt'), later, later);
    await fs.utimes(path.join(dir, 'site', 'index.html'), later, later);
    const second = await push('b', env);
    assert.equal(await createdOf('a'), '2023-11-14T22:13:20Z');
    assert.equal(second, first);
  });

  it('lets --created and then -a org.opencontainers.image.created win over SOURCE_DATE_EPOCH', async () => {
    const env = { SOURCE_DATE_EPOCH: '1700000000' };
    await push('flag', env, '--created', '2024-01-31T12:00:00Z');
    assert.equal(await createdOf('flag'), '2024-01-31T12:00:00Z');
    await push('annotation', env, '--created', '2024-01-31T12:00:00Z', '-a', `${CREATED}=2025-05-05T05:05:05Z`);
    assert.equal(await createdOf('annotation'), '2025-05-05T05:05:05Z');
  });

  it('records the time of the push when SOURCE_DATE_EPOCH is unset or empty', async () => {
    const before = Math.floor(Date.now() / 1000) * 1000;
    await push('now', { SOURCE_DATE_EPOCH: '' });
    const created = Date.parse((await createdOf('now'))!);
    assert.ok(created >= before && created <= Date.now(), `${created} is not the time of the push`);
  });

  it('attach records it too', async () => {
    await push('subject', { SOURCE_DATE_EPOCH: '' });
    const run = await cli(
      [
        'attach',
        `oci:${layout}:subject`,
        path.join(dir, 'report.txt'),
        '--artifact-type',
        'application/vnd.example.report',
        '--format',
        'json',
      ],
      { env: { SOURCE_DATE_EPOCH: '1700000000' } },
    );
    assert.equal(run.code, 0, run.stderr);
    const digest = (JSON.parse(run.stdout) as { digest: string }).digest;
    const fetched = await cli(['manifest', 'fetch', `oci:${layout}@${digest}`]);
    assert.equal(
      (JSON.parse(fetched.stdout) as { annotations: Record<string, string> }).annotations[CREATED],
      '2023-11-14T22:13:20Z',
    );
  });

  it('refuses a SOURCE_DATE_EPOCH that is not whole seconds (exit 2), naming it, before anything is written', async () => {
    for (const value of ['yesterday', '1700000000.5', '-1']) {
      const run = await cli(['push', `oci:${layout}:bad`, path.join(dir, 'report.txt')], {
        env: { SOURCE_DATE_EPOCH: value },
      });
      assert.equal(run.code, 2, run.stderr);
      assert.match(
        run.stderr,
        new RegExp(`^stowage push: SOURCE_DATE_EPOCH must be whole seconds .*not "${value.replace('.', '\\.')}"\\n`),
      );
    }
    await assert.rejects(fs.stat(layout), /ENOENT/);
  });

  it('refuses a SOURCE_DATE_EPOCH past the year 9999, which RFC 3339 cannot write, and takes the last second before it', async () => {
    // 10000-01-01T00:00:00Z would be written "+010000-01-01…": no RFC 3339 reader (Go's time.Parse) takes it.
    for (const value of ['253402300800', '999999999999']) {
      const run = await cli(['push', `oci:${layout}:far`, path.join(dir, 'report.txt')], {
        env: { SOURCE_DATE_EPOCH: value },
      });
      assert.equal(run.code, 2, run.stderr);
      assert.match(run.stderr, new RegExp(`^stowage push: SOURCE_DATE_EPOCH .*9999.*not "${value}"\\n`));
    }
    await assert.rejects(fs.stat(layout), /ENOENT/);
    await push('last', { SOURCE_DATE_EPOCH: '253402300799' });
    assert.equal(await createdOf('last'), '9999-12-31T23:59:59Z');
  });
});
