// Proves rules the corpus cannot show well: sizes of whole documents, media type hints, dates, and what
// is deliberately not reported.
import * as assert from 'node:assert/strict';
import { lint } from '../../../src/core/lint';
import { Annotation, MAX_MANIFEST_BYTES, MediaType } from '../../../src/core/oci/mediaTypes';
import { editDistance, suggestMediaType } from '../../../src/core/lint/mediaTypeNames';
import { isRfc3339 } from '../../../src/core/lint/rfc3339';

const EMPTY = {
  mediaType: MediaType.ociEmpty,
  digest: 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a',
  size: 2,
};
const codes = (text: string, fileName?: string) => lint(text, { fileName }).map((p) => `${p.severity}:${p.code}`);

describe('lint rules', () => {
  it('says why a media type is none, as push and attach do (a 300-character subtype, a space, no slash)', () => {
    const message = (artifactType: string) =>
      lint(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: MediaType.ociManifest,
          artifactType,
          config: EMPTY,
          layers: [EMPTY],
        }),
      ).find((p) => p.code === 'media-type-invalid')?.message;
    assert.match(
      message(`application/${'x'.repeat(300)}`)!,
      /its subtype is 300 characters long; RFC 6838 allows at most 127/,
    );
    assert.match(message('application/vnd x')!, /its subtype holds U\+0020/);
    assert.match(message('sbom')!, /it has no "\/"/);
  });

  it('reports manifests and indexes over 4 MiB, which registries refuse, as errors naming the size and the limit', () => {
    const padding = 'x'.repeat(MAX_MANIFEST_BYTES);
    const text = JSON.stringify({
      schemaVersion: 2,
      mediaType: MediaType.ociManifest,
      artifactType: 'application/vnd.x',
      config: EMPTY,
      layers: [EMPTY],
      annotations: { padding },
    });
    assert.deepEqual(codes(text), ['error:manifest-too-large']);
    const problem = lint(text)[0]!;
    assert.deepEqual([problem.offset, problem.length], [0, 1]);
    assert.match(
      problem.message,
      new RegExp(`${Buffer.byteLength(text).toLocaleString('en-US')} bytes, over the 4,194,304-byte \\(4 MiB\\) limit`),
    );
    const index = JSON.stringify({
      schemaVersion: 2,
      mediaType: MediaType.ociIndex,
      manifests: [],
      annotations: { padding },
    });
    assert.deepEqual(codes(index), ['error:manifest-too-large']);
    // Multi-byte characters count as the bytes they take: 1.4 M three-byte characters are over the limit.
    const wide = JSON.stringify({
      schemaVersion: 2,
      mediaType: MediaType.ociIndex,
      manifests: [],
      annotations: { padding: '\u20ac'.repeat(1_400_000) },
    });
    assert.deepEqual(codes(wide), ['error:manifest-too-large']);
    const atLimit = JSON.stringify({
      schemaVersion: 2,
      mediaType: MediaType.ociIndex,
      manifests: [],
      annotations: { p: '' },
    });
    const exactly = atLimit.replace('"p":""', `"p":"${'x'.repeat(MAX_MANIFEST_BYTES - atLimit.length)}"`);
    assert.equal(Buffer.byteLength(exactly), MAX_MANIFEST_BYTES);
    assert.deepEqual(codes(exactly), [], 'exactly 4 MiB is accepted');
    assert.deepEqual(codes(index, 'index.json'), [], "a layout's index.json is never pushed as it is");
  });

  it("checks org.opencontainers.image.ref.name against image-spec's grammar wherever it appears", () => {
    const index = (name: string, fileName?: string) =>
      lint(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: MediaType.ociIndex,
          manifests: [
            {
              mediaType: MediaType.ociManifest,
              digest: EMPTY.digest,
              size: 2,
              annotations: { [Annotation.refName]: name },
            },
          ],
        }),
        { fileName },
      );
    for (const valid of [
      'v1',
      'latest',
      '1.0.0-rc.1',
      'docker.io/library/alpine:3.20',
      'ghcr.io/acme/app@sha256:abc',
      'a--b',
      'A+B_c',
      'localhost:5000/x/y:z',
    ]) {
      assert.deepEqual(index(valid), [], valid);
    }
    const invalid: [string, RegExp][] = [
      ['my tag', /the space at position 3 is not allowed/],
      ['', /it is empty/],
      ['-v1', /separators/],
      ['v1-', /separators/],
      ['a---b', /separators/],
      ['a..b', /separators/],
      ['a//b', /separators/],
      ['/a', /separators/],
      ['tag#1', /"#" at position 4/],
      ['v\t1', /control character U\+0009/],
      ['caf\u00e9', /"\u00e9" at position 4/],
    ];
    for (const [name, why] of invalid) {
      for (const fileName of [undefined, 'index.json']) {
        const problems = index(name, fileName);
        assert.deepEqual(
          problems.map((p) => `${p.severity}:${p.code}`),
          ['error:ref-name-format'],
          `${JSON.stringify(name)} in ${fileName ?? 'an index'}`,
        );
        assert.match(problems[0]!.message, why);
        assert.equal(problems[0]!.fix, undefined, "no fix: a new name is the author's choice");
      }
    }
  });

  it('wants image-config Env entries as VARNAME=VARVALUE, with no fix to guess', () => {
    const config = (Env: unknown) =>
      lint(
        JSON.stringify({
          architecture: 'amd64',
          os: 'linux',
          config: { Env },
          rootfs: { type: 'layers', diff_ids: [] },
        }),
      );
    assert.deepEqual(config(['PATH=/bin', 'EMPTY=', 'EQ=a=b', 'MULTI=line\nbreak', 'lower_case=1']), []);
    assert.deepEqual(config(null), [], 'Docker writes null');
    const problems = config(['OK=1', 'DEBUG', '=value', '']);
    assert.deepEqual(
      problems.map((p) => [p.severity, p.code, p.path.join('.')]),
      [
        ['error', 'config-env-format', 'config.Env.1'],
        ['error', 'config-env-format', 'config.Env.2'],
        ['error', 'config-env-format', 'config.Env.3'],
      ],
    );
    assert.match(problems[0]!.message, /"DEBUG" is not VARNAME=VARVALUE: it has no "="/);
    assert.match(problems[1]!.message, /the name before "=" is empty/);
    assert.ok(problems.every((p) => p.fix === undefined));
    assert.deepEqual(
      config([7353]).map((p) => p.code),
      ['schema-type'],
      "a non-string is the schema's finding, reported once",
    );
  });

  it('suggests well-known media types for near-misses only', () => {
    assert.equal(suggestMediaType('application/vnd.oci.image.manifest.v1+jsn'), MediaType.ociManifest);
    assert.equal(suggestMediaType('application/vnd.OCI.image.index.v1+json'), MediaType.ociIndex);
    assert.equal(suggestMediaType('application/vnd.docker.image.rootfs.diff.tar.gz'), MediaType.dockerLayerGzip);
    assert.equal(suggestMediaType(MediaType.ociManifest), undefined, 'a known type is not a typo');
    assert.equal(
      suggestMediaType('application/vnd.dev.sigstore.bundle.v0.2+json'),
      undefined,
      'another version is not a typo',
    );
    assert.equal(suggestMediaType('application/vnd.acme.rocket.config'), undefined);
    assert.equal(suggestMediaType('text/plain'), undefined);
  });

  it('computes bounded edit distances', () => {
    assert.equal(editDistance('kitten', 'sitting', 5), 3);
    assert.equal(editDistance('kitten', 'sitting', 2), 3, 'gives up past the limit');
    assert.equal(editDistance('', 'ab', 2), 2);
  });

  it('accepts RFC 3339 date-times and rejects look-alikes', () => {
    for (const ok of [
      '2024-06-12T08:15:30Z',
      '2024-06-12t08:15:30.5+02:00',
      '2024-02-29T00:00:00Z',
      '1985-04-12T23:20:50.52Z',
      '2016-12-31T23:59:60Z',
    ])
      assert.ok(isRfc3339(ok), ok);
    for (const bad of [
      '2024-06-12',
      '2024-06-12 08:15:30Z',
      '2023-02-29T00:00:00Z',
      '2024-13-01T00:00:00Z',
      '2024-06-12T24:00:00Z',
      '2024-06-12T08:15:30',
      '2024-06-12T08:15:30+0200',
    ])
      assert.ok(!isRfc3339(bad), bad);
  });

  it('lints Docker schema2 by its own rules and never as "not OCI"', () => {
    const docker = JSON.stringify({
      schemaVersion: 2,
      mediaType: MediaType.dockerManifest,
      config: { mediaType: MediaType.dockerConfig, size: 10, digest: 'sha256:' + 'a'.repeat(64) },
      layers: [],
    });
    assert.deepEqual(codes(docker), []);
    const list = JSON.stringify({
      schemaVersion: 2,
      mediaType: MediaType.dockerManifestList,
      manifests: [{ mediaType: MediaType.dockerManifest, size: 10, digest: 'sha256:' + 'b'.repeat(64) }],
    });
    assert.deepEqual(codes(list), ['error:schema-required'], 'Docker lists require a platform per entry');
  });

  it('wants mediaType on an index, but not on a layout index.json (skopeo omits it)', () => {
    const index = JSON.stringify({ schemaVersion: 2, manifests: [] });
    assert.deepEqual(codes(index), ['warning:media-type-missing']);
    assert.deepEqual(codes(index, 'layout/index.json'), []);
  });

  it('accepts unknown/unknown platforms and entries of other artifact types', () => {
    const index = JSON.stringify({
      schemaVersion: 2,
      mediaType: MediaType.ociIndex,
      manifests: [
        {
          mediaType: MediaType.ociManifest,
          digest: 'sha256:' + 'c'.repeat(64),
          size: 1,
          platform: { architecture: 'unknown', os: 'unknown' },
        },
        { mediaType: MediaType.ociManifest, digest: 'sha256:' + 'd'.repeat(64), size: 1, artifactType: MediaType.spdx },
      ],
    });
    assert.deepEqual(codes(index), []);
  });

  it('names the Go platform meant by uname and OS spellings (x86_64, armv7l, Linux), and leaves Go names and unknown alone', () => {
    const entry = (platform: object) => ({
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      digest: `sha256:${'e'.repeat(64)}`,
      size: 1,
      platform,
    });
    const index = (...platforms: object[]) =>
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.index.v1+json',
        manifests: platforms.map(entry),
      });
    const named = (text: string) =>
      lint(text)
        .filter((p) => p.code === 'platform-name')
        .map((p) => [p.severity, p.path.join('.'), p.message, p.fix?.title]);
    assert.deepEqual(named(index({ os: 'Linux', architecture: 'armv7l' })), [
      [
        'warning',
        'manifests.0.platform.os',
        'manifests[0].platform.os "Linux" is not a Go GOOS name, which runtimes match platforms by; did you mean "linux"?',
        'Replace with "linux"',
      ],
      [
        'warning',
        'manifests.0.platform.architecture',
        'manifests[0].platform.architecture "armv7l" is not a Go GOARCH name, which runtimes match platforms by; did you mean "arm" with "variant": "v7"?',
        'Replace with "arm"',
      ],
    ]);
    assert.deepEqual(
      named(
        index(
          { os: 'linux', architecture: 'amd64' },
          { os: 'unknown', architecture: 'unknown' },
          { os: 'windows', architecture: 'arm64', variant: 'v8' },
          { os: 'linux', architecture: 'mystery' },
        ),
      ),
      [],
    );
  });

  it('reports a size beyond the safe integers even when the text is an integer', () => {
    const text = `{"mediaType":"application/octet-stream","digest":"sha256:${'e'.repeat(64)}","size":18446744073709551616}`;
    assert.deepEqual(codes(text), ['error:size-invalid']);
  });

  it('places schema findings under keys with "/" and "~" (JSON pointer escapes)', () => {
    const config = {
      architecture: 'amd64',
      os: 'linux',
      rootfs: { type: 'layers', diff_ids: [] },
      config: { Labels: { 'a/b~c': 1 } },
    };
    const text = JSON.stringify(config);
    const [problem] = lint(text);
    assert.deepEqual([problem?.code, problem?.path], ['schema-type', ['config', 'Labels', 'a/b~c']]);
    assert.equal(text.slice(problem!.offset, problem!.offset + problem!.length), '1');
  });

  it("reports the schema's findings where no rule is more precise, at the offending value", () => {
    const text = JSON.stringify({
      schemaVersion: 2,
      mediaType: MediaType.ociManifest,
      config: EMPTY,
      layers: [EMPTY],
      artifactType: 'application/vnd.x',
      annotations: ['x'],
    });
    const [problem] = lint(text);
    assert.equal(problem?.code, 'schema-type');
    assert.equal(text.slice(problem!.offset, problem!.offset + problem!.length), '["x"]');
    assert.match(problem!.message, /"annotations" must be of type object/);
  });
});
