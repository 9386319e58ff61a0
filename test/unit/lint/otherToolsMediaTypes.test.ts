// The media types Helm, Flux and the three WebAssembly layouts write: each has a meaning for hovers (a user
// pointing at `application/wasm` learns it is the CNCF layout's module), none is taken for a typo of another, and
// manifests as those tools write them lint clean.
import * as assert from 'node:assert/strict';
import { lint, MEDIA_TYPE_MEANINGS } from '../../../src/core/lint';
import { suggestMediaType } from '../../../src/core/lint/mediaTypeNames';
import { EMPTY_DESCRIPTOR } from '../../../src/core/oci';

const digest = (digit: string) => `sha256:${digit.repeat(64)}`;

/** Config and layer types, by the tool that writes them, with words its meaning must hold. */
const WRITTEN_BY_TOOLS: readonly [tool: string, config: string, layers: string[], words: RegExp][] = [
  [
    'helm push',
    'application/vnd.cncf.helm.config.v1+json',
    ['application/vnd.cncf.helm.chart.content.v1.tar+gzip', 'application/vnd.cncf.helm.chart.provenance.v1.prov'],
    /Helm/,
  ],
  [
    'flux push artifact',
    'application/vnd.cncf.flux.config.v1+json',
    ['application/vnd.cncf.flux.content.v1.tar+gzip'],
    /Flux/,
  ],
  ['the CNCF Wasm OCI artifact layout', 'application/vnd.wasm.config.v0+json', ['application/wasm'], /CNCF/],
  ['wasm-to-oci', 'application/vnd.wasm.config.v1+json', ['application/vnd.wasm.content.layer.v1+wasm'], /wasm-to-oci/],
  [
    "Solo's Wasm image spec",
    'application/vnd.module.wasm.config.v1+json',
    ['application/vnd.module.wasm.content.layer.v1+wasm'],
    /Solo/,
  ],
];

describe("media types other tools write: Helm's, Flux's, WebAssembly's", () => {
  for (const [tool, config, layers, words] of WRITTEN_BY_TOOLS) {
    it(`${tool}: each type has a meaning naming where it comes from, and none is called a typo`, () => {
      for (const type of [config, ...layers]) {
        assert.match(MEDIA_TYPE_MEANINGS[type] ?? '(no meaning)', words, type);
        assert.equal(suggestMediaType(type), undefined, `${type} is no typo`);
      }
    });

    it(`${tool}: a manifest as it writes one lints clean`, () => {
      const manifest = {
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: { mediaType: config, digest: digest('c'), size: 233 },
        layers: layers.map((mediaType, i) => ({ mediaType, digest: digest(String(i)), size: 1000 })),
        annotations: { 'org.opencontainers.image.created': '2026-12-06T05:00:00Z' },
      };
      assert.deepEqual(lint(JSON.stringify(manifest)), []);
    });
  }

  it('a Wasm component with the artifactType wkg sets over an empty config lints clean', () => {
    const manifest = {
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      artifactType: 'application/vnd.wasm.component.v1+wasm',
      config: EMPTY_DESCRIPTOR,
      layers: [{ mediaType: 'application/wasm', digest: digest('a'), size: 1000 }],
    };
    assert.deepEqual(lint(JSON.stringify(manifest)), []);
  });
});
