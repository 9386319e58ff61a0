// What `stowage diff` reports between two inspections: facts that changed, keyed facts by key (an environment
// variable by its name), layers by digest (the shared base from the bottom, those only one side has, a reordering),
// an index's entries by platform; and the lines a person reads.
import * as assert from 'node:assert/strict';
import type { Descriptor } from '../../../src/core/oci/descriptor';
import {
  compareInspections,
  comparisonLines,
  filesLines,
  type Inspection,
  type InspectedManifest,
} from '../../../src/core/supplyChain';

const digest = (c: string) => `sha256:${c.repeat(64)}`;
const layer = (c: string, size = 10): Descriptor => ({
  mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
  digest: digest(c),
  size,
});

function image(c: string, changes: Partial<InspectedManifest> = {}): Inspection {
  const descriptor = { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: digest(c), size: 500 };
  return {
    name: 'registry.example/app',
    descriptor,
    manifest: {
      descriptor,
      kindLabel: 'Image',
      details: [],
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: digest('c'), size: 100 },
      layers: [layer('1'), layer('2')],
      image: { os: 'linux', architecture: 'amd64', env: ['PATH=/bin', 'A=1'], labels: { v: '1', gone: 'x' } },
      ...changes,
    },
  };
}

describe('compareInspections: what differs between two artifacts', () => {
  it('says two equal digests are identical, and compares nothing else', () => {
    const comparison = compareInspections(image('a'), image('a', { kindLabel: 'Helm chart' }));
    assert.deepEqual(comparison, { identical: true, differences: [] });
  });

  it('reports facts, keyed facts by key and environment variables by name', () => {
    const to = image('b', {
      image: { os: 'linux', architecture: 'arm64', env: ['PATH=/usr/bin', 'B=2'], labels: { v: '2', new: 'y' } },
      annotations: { 'org.opencontainers.image.version': '2' },
    });
    const { differences } = compareInspections(image('a'), to);
    assert.deepEqual(differences, [
      { fact: 'Platform', change: 'changed', from: 'linux/amd64', to: 'linux/arm64' },
      { fact: 'Annotations', key: 'org.opencontainers.image.version', change: 'added', to: '2' },
      { fact: 'Labels', key: 'v', change: 'changed', from: '1', to: '2' },
      { fact: 'Labels', key: 'gone', change: 'removed', from: 'x' },
      { fact: 'Labels', key: 'new', change: 'added', to: 'y' },
      { fact: 'Env', key: 'PATH', change: 'changed', from: '/bin', to: '/usr/bin' },
      { fact: 'Env', key: 'A', change: 'removed', from: '1' },
      { fact: 'Env', key: 'B', change: 'added', to: '2' },
    ]);
  });

  it('compares layers by digest: the shared base, those only one side has, a layer listed twice, a reordering', () => {
    const grown = compareInspections(image('a'), image('b', { layers: [layer('1'), layer('3', 30), layer('2')] }));
    assert.deepEqual(grown.layers, {
      sharedFromBottom: 1,
      fromCount: 2,
      toCount: 3,
      fromBytes: 20,
      toBytes: 50,
      changes: [{ change: 'added', position: 2, layer: layer('3', 30) }],
      reordered: false,
    });
    const twice = compareInspections(image('a'), image('b', { layers: [layer('1'), layer('2'), layer('2')] }));
    assert.deepEqual(twice.layers?.changes, [{ change: 'added', position: 3, layer: layer('2') }]);
    const reordered = compareInspections(image('a'), image('b', { layers: [layer('2'), layer('1')] }));
    assert.equal(reordered.layers?.reordered, true);
    assert.equal(reordered.layers?.changes.length, 0);
  });

  it('compares an index’s entries by platform, and the manifest each chose', () => {
    const index = (c: string, entries: Descriptor[]): Inspection => ({
      name: 'r/app',
      descriptor: { mediaType: 'application/vnd.oci.image.index.v1+json', digest: digest(c), size: 300 },
      entries,
    });
    const entry = (c: string, architecture: string): Descriptor => ({
      ...layer(c),
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      platform: { os: 'linux', architecture },
    });
    const { differences, layers } = compareInspections(
      index('a', [entry('1', 'amd64'), entry('2', 'arm64')]),
      index('b', [entry('1', 'amd64'), entry('3', 'arm64'), entry('4', 's390x')]),
    );
    assert.deepEqual(differences, [
      { fact: 'Manifests', key: 'linux/arm64', change: 'changed', from: digest('2'), to: digest('3') },
      { fact: 'Manifests', key: 'linux/s390x', change: 'added', to: digest('4') },
    ]);
    assert.equal(layers, undefined);
  });

  it('reads as lines: scalar facts, keyed facts grouped, layers summed, files by path', () => {
    const from = image('a');
    const to = image('b', {
      layers: [layer('1'), layer('3', 30)],
      image: { ...from.manifest!.image!, labels: { v: '2' } },
    });
    const lines = comparisonLines(
      { label: 'app:1', descriptor: from.descriptor, kind: 'Image' },
      { label: 'app:2', descriptor: to.descriptor },
      compareInspections(from, to),
    );
    assert.deepEqual(lines, [
      `--- app:1  ${digest('a')}  (Image)`,
      `+++ app:2  ${digest('b')}`,
      'Labels:',
      '  ~ v: 1 → 2',
      '  - gone: x',
      'Layers:        2; 1 shared from the bottom; 20 B → 40 B (+20 B)',
      `  - 2  ${digest('2')}  10 B  application/vnd.oci.image.layer.v1.tar+gzip`,
      `  + 2  ${digest('3')}  30 B  application/vnd.oci.image.layer.v1.tar+gzip`,
    ]);
    const entry = (path: string, type: 'file' | 'directory' | 'symlink', more = {}) => ({
      path,
      type,
      size: type === 'file' ? 4 : 0,
      mode: 0o644,
      layer: 1,
      ...more,
    });
    assert.deepEqual(
      filesLines({
        added: [entry('usr/new', 'directory'), entry('bin/sh', 'symlink', { linkname: 'busybox' })],
        removed: [entry('etc/old', 'file')],
        changed: [
          {
            path: 'etc/conf',
            from: entry('etc/conf', 'file'),
            to: entry('etc/conf', 'file', { size: 6 }),
            what: ['content'],
          },
          { path: 'run', from: entry('run', 'file'), to: entry('run', 'file', { mode: 0o755 }), what: ['mode'] },
        ],
        unread: { from: [], to: [3] },
      }),
      [
        'Files:         2 added, 1 removed, 2 changed',
        '  + bin/sh -> busybox',
        '  ~ etc/conf  content, 4 B → 6 B (+2 B)',
        '  - etc/old  4 B',
        '  ~ run  mode 0644 → 0755',
        '  + usr/new/',
        '  (not compared, no file system: layer 3 of the second)',
      ],
    );
  });
});
