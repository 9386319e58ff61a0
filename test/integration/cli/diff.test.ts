// `stowage diff` between an image umoci built, copied to the real registry by skopeo, and its next version in a
// layout (a second layer that changes a file's content at the same size, deletes one by a whiteout, changes a mode,
// adds a link and a folder): the facts that changed, the layers, and with --files the files, as extraction leaves
// them; identical digests say so; --exit-code answers as git diff's; a hostile label reaches the terminal escaped.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startRegistry, type TestRegistry } from '../../fixtures/registry';
import { cli, cliOk } from '../../helpers/runCli';
import { run } from '../helpers/tools';

describe('stowage diff: what differs between two artifacts', function () {
  this.timeout(120_000);
  let registry: TestRegistry;
  let dir: string;
  let layout: string;
  let v1: string;

  before(async () => {
    registry = await startRegistry({ variant: 'plain' });
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-diff-'));
    layout = path.join(dir, 'img');
    const bundle = (name: string) => path.join(dir, name);
    await run('umoci', ['init', '--layout', layout]);
    await run('umoci', ['new', '--image', `${layout}:v1`]);
    await run('umoci', ['unpack', '--rootless', '--image', `${layout}:v1`, bundle('b1')]);
    const root1 = path.join(bundle('b1'), 'rootfs');
    await fs.mkdir(path.join(root1, 'etc'), { recursive: true });
    await fs.mkdir(path.join(root1, 'app'), { recursive: true });
    await fs.writeFile(path.join(root1, 'etc/app.conf'), 'level=1\n');
    await fs.writeFile(path.join(root1, 'app/run'), '#!/bin/sh\n', { mode: 0o644 });
    await fs.writeFile(path.join(root1, 'app/old.txt'), 'old\n');
    await run('umoci', ['repack', '--image', `${layout}:v1`, bundle('b1')]);
    await run('umoci', [
      'config',
      '--image',
      `${layout}:v1`,
      '--config.env',
      'PATH=/usr/bin',
      '--config.env',
      'LEVEL=1',
      '--config.label',
      'version=1',
      '--config.label',
      'evil=\u001b]0;owned\u0007',
    ]);
    await run('umoci', ['unpack', '--rootless', '--image', `${layout}:v1`, bundle('b2')]);
    const root2 = path.join(bundle('b2'), 'rootfs');
    await fs.writeFile(path.join(root2, 'etc/app.conf'), 'level=2\n');
    await fs.rm(path.join(root2, 'app/old.txt'));
    await fs.chmod(path.join(root2, 'app/run'), 0o755);
    await fs.symlink('/etc/app.conf', path.join(root2, 'app/conf'));
    await fs.mkdir(path.join(root2, 'app/data'));
    await run('umoci', ['repack', '--image', `${layout}:v2`, bundle('b2')]);
    await run('umoci', [
      'config',
      '--image',
      `${layout}:v2`,
      '--config.env',
      'LEVEL=2',
      '--config.label',
      'version=2',
      '--config.label',
      'evil=\u202egnp.exe',
    ]);
    v1 = `${registry.host}/diff/app:v1`;
    await run('skopeo', [
      'copy',
      '--preserve-digests',
      '--dest-tls-verify=false',
      `oci:${layout}:v1`,
      `docker://${v1}`,
    ]);
  });

  after(async () => {
    await registry?.stop();
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  it('names the facts, layers and files that differ between a registry and a layout', async () => {
    const { stdout } = await cliOk(['diff', '--plain-http', '--files', v1, `oci:${layout}:v2`]);
    const lines = stdout.split('\n');
    assert.match(lines[0]!, new RegExp(`^--- ${v1}  sha256:[0-9a-f]{64}  \\(Image\\)$`));
    assert.match(lines[1]!, /^\+\+\+ oci:.*img:v2 {2}sha256:[0-9a-f]{64} {2}\(Image\)$/);
    const body = lines.slice(2).filter((line) => !/^(Config|Created):/.test(line));
    assert.deepEqual(body.slice(0, 6), [
      'Labels:',
      '  ~ evil: ⟨U+001B⟩]0;owned⟨U+0007⟩ → ⟨U+202E⟩gnp.exe',
      '  ~ version: 1 → 2',
      'Env:',
      '  ~ LEVEL: 1 → 2',
      body[5]!,
    ]);
    assert.match(body[5]!, /^Layers: {8}1 → 2; 1 shared from the bottom; \d+ B → \d+ B \(\+\d+ B\)$/);
    assert.match(
      body[6]!,
      /^ {2}\+ 2 {2}sha256:[0-9a-f]{64} {2}\d+ B {2}application\/vnd\.oci\.image\.layer\.v1\.tar\+gzip$/,
    );
    assert.deepEqual(body.slice(7), [
      'Files:         2 added, 1 removed, 2 changed',
      '  + app/conf -> /etc/app.conf',
      '  + app/data/',
      '  - app/old.txt  4 B',
      '  ~ app/run  mode 0644 → 0755',
      '  ~ etc/app.conf  content (8 B)',
      '',
    ]);
  });

  it('says identical digests are identical; --exit-code exits 1 only when the two differ', async () => {
    const same = await cli(['diff', '--plain-http', '--exit-code', v1, `oci:${layout}:v1`]);
    assert.equal(same.code, 0, same.stderr);
    assert.match(same.stdout, /^Identical: both name sha256:[0-9a-f]{64}$/m);
    const differ = await cli(['diff', '--plain-http', '--exit-code', v1, `oci:${layout}:v2`]);
    assert.equal(differ.code, 1, differ.stderr);
    assert.equal(differ.stderr, '');
    assert.equal(
      (await cli(['diff', '--plain-http', v1, `oci:${layout}:v2`])).code,
      0,
      'without it, a difference is success',
    );
  });

  it('gives each difference, the layers and the files as JSON', async () => {
    const result = JSON.parse(
      (await cliOk(['diff', '--plain-http', '--files', '--format', 'json', v1, `oci:${layout}:v2`])).stdout,
    ) as {
      from: { reference: string; digest: string; kind: string };
      identical: boolean;
      differences: { fact: string; key?: string; change: string; from?: string; to?: string }[];
      layers: { sharedFromBottom: number; changes: { change: string; position: number }[] };
      files: { added: { path: string }[]; removed: { path: string }[]; changed: { path: string; what: string[] }[] };
    };
    assert.equal(result.from.reference, v1);
    assert.equal(result.from.kind, 'Image');
    assert.equal(result.identical, false);
    assert.deepEqual(
      result.differences.find((d) => d.key === 'evil'),
      { fact: 'Labels', key: 'evil', change: 'changed', from: '\u001b]0;owned\u0007', to: '\u202egnp.exe' },
      'JSON keeps the value exact (escaped only where it prints to a terminal)',
    );
    assert.equal(result.layers.sharedFromBottom, 1);
    assert.deepEqual(
      result.layers.changes.map((c) => [c.change, c.position]),
      [['added', 2]],
    );
    assert.deepEqual(
      result.files.added.map((f) => f.path),
      ['app/conf', 'app/data'],
    );
    assert.deepEqual(
      result.files.removed.map((f) => f.path),
      ['app/old.txt'],
    );
    assert.deepEqual(
      result.files.changed.map((f) => [f.path, f.what]),
      [
        ['app/run', ['mode']],
        ['etc/app.conf', ['content']],
      ],
    );
  });

  it('names a reference that is not there, with the tags that are; with --exit-code that is trouble (2), not a difference', async () => {
    const missing = await cli(['diff', '--plain-http', v1, `${registry.host}/diff/app:v9`]);
    assert.equal(missing.code, 1);
    const scripted = await cli(['diff', '--plain-http', '--exit-code', v1, `${registry.host}/diff/app:v9`]);
    assert.equal(scripted.code, 2, scripted.stderr);
    assert.match(scripted.stderr, /v9/);
    assert.match(missing.stderr, /v9/);
    assert.match(missing.stderr, /v1/);
  });
});
