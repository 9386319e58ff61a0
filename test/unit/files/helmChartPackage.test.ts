// A packaged chart is read as helm push reads it: Chart.yaml from the chart's folder, streamed and capped, with the
// name and version Helm requires; hostile archives and hostile Chart.yaml files are refused naming the fault.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { readHelmChartPackage } from '../../../src/core/files';
import { buildTar, type TarEntry } from '../../helpers/tarBuilder';

describe('Helm chart packages: Chart.yaml as helm push reads it', () => {
  let dir: string;
  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-chart-package-'));
  });
  after(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  let count = 0;
  async function chartFile(entries: TarEntry[]): Promise<string> {
    const file = path.join(dir, `chart-${count++}.tgz`);
    await fs.writeFile(file, gzipSync(await buildTar(entries)));
    return file;
  }
  const chartYaml = (text: string) => chartFile([{ name: 'web/Chart.yaml', content: text }]);

  it('reads name, version, the tag (+ as _) and the config in the order Helm marshals Chart.yaml', async () => {
    const file = await chartFile([
      { name: 'web/values.yaml', content: 'a: 1\n' },
      {
        name: 'web/Chart.yaml',
        content: [
          'type: application',
          'appVersion: 1.16',
          'annotations: { z: last, a: first, org.opencontainers.image.title: ignored }',
          'maintainers: [{ name: Ann, email: ann@example.org }, { name: Bo }]',
          'sources: [https://example.org/src]',
          'home: https://example.org',
          'description: Web app',
          'version: 0.1.0+g1',
          'name: web',
          'apiVersion: v2',
          'unknownField: dropped',
        ].join('\n'),
      },
    ]);
    const chart = await readHelmChartPackage(file);
    assert.equal(chart.name, 'web');
    assert.equal(chart.tag, '0.1.0_g1');
    assert.equal(
      chart.config.toString(),
      JSON.stringify({
        name: 'web',
        home: 'https://example.org',
        sources: ['https://example.org/src'],
        version: '0.1.0+g1',
        description: 'Web app',
        maintainers: [{ name: 'Ann', email: 'ann@example.org' }, { name: 'Bo' }],
        apiVersion: 'v2',
        appVersion: '1.16',
        annotations: { a: 'first', 'org.opencontainers.image.title': 'ignored', z: 'last' },
        type: 'application',
      }),
    );
    assert.deepEqual(chart.annotations, {
      'org.opencontainers.image.description': 'Web app',
      'org.opencontainers.image.title': 'web',
      'org.opencontainers.image.version': '0.1.0+g1',
      'org.opencontainers.image.url': 'https://example.org',
      'org.opencontainers.image.source': 'https://example.org/src',
      'org.opencontainers.image.authors': 'Ann (ann@example.org), Bo',
      a: 'first',
      z: 'last',
    });
  });

  const refusals: [string, string, RegExp][] = [
    ['a name climbing out', 'name: ../../escape', /"name" "\.\.\/\.\.\/escape" is not a chart name/],
    ['a name with a "/"', 'name: ns/web', /"name" "ns\/web" is not a chart name/],
    ['an absolute name', 'name: /tmp/web', /"name" "\/tmp\/web" is not a chart name/],
    ['a name with control characters', 'name: "we\\u001b[2Jb"', /"name" "we.*b" is not a chart name/],
    ['a name in capitals (no registry repository)', 'name: Web', /"name" "Web" is not a chart name/],
    ['a name that is not text', 'name: [a]', /"name" must be text/],
  ];
  for (const [what, nameLine, refusal] of refusals)
    it(`refuses ${what}`, async () => {
      const file = await chartYaml(`apiVersion: v2\n${nameLine}\nversion: 1.0.0\n`);
      await assert.rejects(readHelmChartPackage(file), (err: Error) => {
        assert.match(err.message, refusal);
        assert.ok(!err.message.includes('\u001b'), 'no control character reaches the message');
        return true;
      });
    });

  it('refuses versions Helm refuses (not SemVer, unquoted numbers) and a missing apiVersion', async () => {
    for (const [yaml, refusal] of [
      ['apiVersion: v2\nname: web\nversion: "1.0"\n', /"version" "1\.0" is not a SemVer 2 version/],
      ['apiVersion: v2\nname: web\nversion: 1.0\n', /"version" must be text/],
      ['apiVersion: v2\nname: web\nversion: "1.0.0/../x"\n', /is not a SemVer 2 version/],
      ['name: web\nversion: 1.0.0\n', /has no "apiVersion"/],
      ['apiVersion: v2\nname: web\nversion: 1.0.0\ntype: plugin\n', /"type" is "plugin"/],
    ] as const)
      await assert.rejects(readHelmChartPackage(await chartYaml(yaml)), refusal);
  });

  it('refuses YAML that is not a mapping, and alias bombs', async () => {
    await assert.rejects(readHelmChartPackage(await chartYaml('- a\n- b\n')), /not a mapping of fields/);
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 12; i++)
      bomb.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9)
          .fill(`*${String.fromCharCode(96 + i)}`)
          .join(',')}]`,
      );
    await assert.rejects(readHelmChartPackage(await chartYaml(bomb.join('\n'))), /not valid YAML/);
  });

  it('reads a Chart.yaml of the largest size allowed, all of it keys, in linear time (and still refuses a key twice)', async function () {
    // Comparing each key with every earlier one took minutes for 1 MiB of keys, with the editor waiting on it.
    this.timeout(60_000);
    const keys = Array.from({ length: 80_000 }, (_, i) => `  k${i}: v`).join('\n');
    const yaml = `apiVersion: v2\nname: web\nversion: 1.0.0\nannotations:\n${keys}\n`;
    assert.ok(yaml.length < 1024 * 1024);
    const started = Date.now();
    const chart = await readHelmChartPackage(await chartYaml(yaml));
    assert.equal(Object.keys(chart.annotations).length, 80_000 + 2);
    assert.ok(Date.now() - started < 30_000, `took ${Date.now() - started} ms`);
    for (const twice of [
      'apiVersion: v2\nname: web\nversion: 1.0.0\nname: other\n',
      'apiVersion: v2\nname: web\nversion: 1.0.0\nannotations: { a: x, "a": y }\n',
      'apiVersion: v2\nname: web\nversion: 1.0.0\nmaintainers: [{ name: a, name: b }]\n',
    ])
      await assert.rejects(readHelmChartPackage(await chartYaml(twice)), /not valid YAML.*key/i);
  });

  it('refuses a Chart.yaml nested deeper than Helm fields go before parsing it (1 MiB of "[" took seconds)', async () => {
    const deep = `apiVersion: v2\nname: web\nversion: 1.0.0\nimport: ${'['.repeat(1024 * 1024 - 64)}`;
    await assert.rejects(readHelmChartPackage(await chartYaml(deep)), /nested deeper than 64/);
    // Brackets in text are no nesting: a quoted or plain value holding them is read.
    const chart = await readHelmChartPackage(
      await chartYaml(
        `apiVersion: v2\nname: web\nversion: 1.0.0\ndescription: text ${'[{'.repeat(200)}\nhome: "${'['.repeat(200)}"\n`,
      ),
    );
    assert.equal(chart.name, 'web');
  });

  it('refuses archives without a chart folder Chart.yaml, a Chart.yaml that is a link or too big, and non-gzip files', async () => {
    await assert.rejects(
      readHelmChartPackage(await chartFile([{ name: 'Chart.yaml', content: 'name: web' }])),
      /no <chart>\/Chart\.yaml in it/,
    );
    await assert.rejects(
      readHelmChartPackage(await chartFile([{ name: 'web/Chart.yaml', type: 'symlink', linkname: '/etc/passwd' }])),
      /"web\/Chart\.yaml" is not a regular file/,
    );
    await assert.rejects(
      readHelmChartPackage(await chartFile([{ name: 'web/Chart.yaml', content: Buffer.alloc(1024 * 1024 + 1, 0x20) }])),
      /exceeds the limit of 1048576 bytes/,
    );
    const plain = path.join(dir, 'plain.tgz');
    await fs.writeFile(plain, 'not gzip at all');
    await assert.rejects(readHelmChartPackage(plain), /is not a gzip-compressed tar/);
  });

  it('stops a gzip bomb at the decompressed cap, before Chart.yaml is ever reached', async () => {
    const file = await chartFile([
      { name: 'web/zeros', content: Buffer.alloc(101 * 1024 * 1024) },
      { name: 'web/Chart.yaml', content: 'apiVersion: v2\nname: web\nversion: 1.0.0\n' },
    ]);
    assert.ok((await fs.stat(file)).size < 1024 * 1024, 'the bomb is small on disk');
    await assert.rejects(readHelmChartPackage(file), /the decompressed archive exceeds the limit of 104857600 bytes/);
  });
});
