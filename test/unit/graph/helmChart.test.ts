// A Helm chart's config names it: name, version and appVersion are read as a chart states them, and nothing that
// could not be a chart's name (a path, control characters, an object) is ever taken for a file name.
import * as assert from 'node:assert/strict';
import { helmChartFileNames, LEGACY_HELM_CHART_LAYER, parseHelmChartMetadata } from '../../../src/core/graph';
import { type Descriptor, type ImageManifest, MediaType } from '../../../src/core/oci';

const json = (value: unknown) => Buffer.from(JSON.stringify(value));

function layer(mediaType: string, digit: string, annotations?: Record<string, string>): Descriptor {
  return { mediaType, digest: `sha256:${digit.repeat(64)}`, size: 10, ...(annotations ? { annotations } : {}) };
}

function chartManifest(layers: Descriptor[]): ImageManifest {
  return {
    schemaVersion: 2,
    mediaType: MediaType.ociManifest,
    config: layer(MediaType.helmConfig, 'c'),
    layers,
  };
}

describe('Helm charts: what their config names', () => {
  it('reads name, version (SemVer with build metadata) and appVersion from Chart.yaml as JSON', () => {
    assert.deepEqual(
      parseHelmChartMetadata(
        json({ apiVersion: 'v2', name: 'webapp', version: '0.1.0+build.7', appVersion: '1.16.0' }),
      ),
      { name: 'webapp', version: '0.1.0+build.7', appVersion: '1.16.0' },
    );
    assert.deepEqual(parseHelmChartMetadata(json({ name: 'webapp', version: '1.0.0' })), {
      name: 'webapp',
      version: '1.0.0',
    });
  });

  it('takes no name that is a path, hidden, empty or not text, and drops an appVersion with control characters', () => {
    for (const name of ['../evil', 'a/b', 'a\\b', '.hidden', '', 'x\u0007y', 'C:evil', 42, { toString: 'x' }])
      assert.equal(parseHelmChartMetadata(json({ name, version: '1.0.0' })), undefined, JSON.stringify(name));
    for (const version of ['1.0.0/../../x', '../1', '1.0.0\n', '', null])
      assert.equal(parseHelmChartMetadata(json({ name: 'ok', version })), undefined, JSON.stringify(version));
    assert.deepEqual(parseHelmChartMetadata(json({ name: 'ok', version: '1.0.0', appVersion: 'v1\u001b[31m' })), {
      name: 'ok',
      version: '1.0.0',
    });
    assert.equal(parseHelmChartMetadata(Buffer.from('not json')), undefined);
    assert.equal(parseHelmChartMetadata(json(['webapp'])), undefined);
  });

  it('names the chart layer (current or legacy type) <name>-<version>.tgz and the provenance layer .tgz.prov', () => {
    const chart = { name: 'webapp', version: '0.1.0+build.7' };
    const content = layer(MediaType.helmChart, 'a');
    const provenance = layer(MediaType.helmProvenance, 'b');
    const names = helmChartFileNames(chartManifest([provenance, content]), chart);
    assert.equal(names.get(content), 'webapp-0.1.0+build.7.tgz');
    assert.equal(names.get(provenance), 'webapp-0.1.0+build.7.tgz.prov');
    const legacy = layer(LEGACY_HELM_CHART_LAYER, 'a');
    assert.equal(helmChartFileNames(chartManifest([legacy]), chart).get(legacy), 'webapp-0.1.0+build.7.tgz');
  });

  it('names nothing Helm itself would refuse (two chart layers) and keeps a title a layer already has', () => {
    const chart = { name: 'webapp', version: '1.0.0' };
    assert.equal(
      helmChartFileNames(chartManifest([layer(MediaType.helmChart, 'a'), layer(MediaType.helmChart, 'b')]), chart).size,
      0,
    );
    const titled = layer(MediaType.helmChart, 'a', { 'org.opencontainers.image.title': 'mine.tgz' });
    assert.equal(helmChartFileNames(chartManifest([titled]), chart).size, 0);
  });
});
