// Proves that every quick fix the linter offers removes the problem it was offered for, and keeps JSON valid.
import * as assert from 'node:assert/strict';
import { applyFix, lint, type Problem } from '../../../src/core/lint';
import { corpus } from './corpus';

/** Every kind of fix the rules can offer; each must be exercised by the invalid corpus or the extra cases. */
const FIXABLE_CODES = [
  'schema-version',
  'media-type-missing',
  'media-type-mismatch',
  'media-type-typo',
  'artifact-type-missing',
  'empty-descriptor',
  'digest-case',
  'size-invalid',
  'data-size-mismatch',
  'data-digest-mismatch',
  'annotation-not-string',
  'layout-version',
  'media-type-invalid',
  'property-typo',
  'config-empty-image',
  'platform-name',
  'artifact-manifest',
];

const EXTRA_CASES: { name: string; text: string }[] = [
  {
    name: 'media type with a space near a known one',
    text: '{"mediaType":"application/vnd.oci.image.layer.v1.tar +gzip","digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","size":2}',
  },
  {
    name: 'empty descriptor missing its size, indented with tabs',
    text: '{\n\t"schemaVersion": 2,\n\t"mediaType": "application/vnd.oci.image.manifest.v1+json",\n\t"artifactType": "application/vnd.x",\n\t"config": {\n\t\t"mediaType": "application/vnd.oci.empty.v1+json",\n\t\t"digest": "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"\n\t},\n\t"layers": []\n}\n',
  },
  {
    name: 'compact manifest without mediaType',
    text: '{"schemaVersion":2,"config":{"mediaType":"application/vnd.oci.empty.v1+json","digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","size":2},"layers":[]}',
  },
  {
    name: 'size written with an exponent',
    text: '{"mediaType":"application/octet-stream","digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","size":2e0}',
  },
];

function sameProblem(a: Problem, b: Problem): boolean {
  return a.code === b.code && JSON.stringify(a.path) === JSON.stringify(b.path);
}

describe('lint quick fixes', () => {
  const documents = [...corpus('invalid'), ...EXTRA_CASES];
  const seen = new Set<string>();

  for (const document of documents) {
    const problems = lint(document.text, { fileName: document.name }).filter((p) => p.fix);
    for (const problem of problems) {
      it(`"${problem.fix!.title}" removes ${problem.code} in ${document.name}`, () => {
        seen.add(problem.code);
        const fixed = applyFix(document.text, problem.fix!);
        assert.doesNotThrow(() => JSON.parse(fixed), 'the fixed text is JSON');
        const after = lint(fixed, { fileName: document.name });
        assert.equal(
          after.find((p) => sameProblem(p, problem)),
          undefined,
          `${problem.code} still reported:\n${fixed}`,
        );
        const raised = after.filter(
          (p) => p.severity === 'error' && JSON.stringify(p.path) === JSON.stringify(problem.path),
        );
        assert.deepEqual(
          raised.map((p) => p.code),
          [],
          `the fix raised another error where it edited:\n${fixed}`,
        );
        const errors = (list: Problem[]) => list.filter((p) => p.severity === 'error').length;
        assert.ok(errors(after) <= errors(lint(document.text, { fileName: document.name })), 'fixing adds no error');
      });
    }
  }

  it('offers "Quote the value" only when the quoted value is valid: never for a number as the creation time', () => {
    const manifest = (annotations: string) =>
      `{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","artifactType":"application/vnd.x","config":{"mediaType":"application/vnd.oci.empty.v1+json","digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","size":2},"layers":[],"annotations":${annotations}}`;
    const annotationProblems = (text: string) => lint(text).filter((p) => p.code.startsWith('annotation'));
    const created = annotationProblems(manifest('{"org.opencontainers.image.created":5}'));
    assert.deepEqual(
      created.map((p) => [p.code, p.fix?.title]),
      [['annotation-not-string', undefined]],
    );
    const refName = annotationProblems(manifest('{"org.opencontainers.image.ref.name":5}'));
    assert.deepEqual(
      refName.map((p) => [p.code, p.fix?.title]),
      [['annotation-not-string', 'Quote the value']],
      'a bare 5 is a valid reference name once quoted',
    );
    const digest = annotationProblems(manifest('{"vnd.docker.reference.digest":5}'));
    assert.deepEqual(
      digest.map((p) => [p.code, p.fix?.title]),
      [['annotation-not-string', undefined]],
    );
    const plain = annotationProblems(manifest('{"com.example.unpack":true}'));
    assert.equal(plain[0]?.fix?.title, 'Quote the value');
    assert.equal(
      applyFix(manifest('{"com.example.unpack":true}'), plain[0]!.fix!),
      manifest('{"com.example.unpack":"true"}'),
    );
  });

  it('covers every kind of fix', () => {
    assert.deepEqual(
      FIXABLE_CODES.filter((code) => !seen.has(code)),
      [],
    );
  });

  it('keeps a compact document on one line', () => {
    const text = EXTRA_CASES[2]!.text;
    const fix = lint(text).find((p) => p.code === 'media-type-missing')!.fix!;
    assert.ok(!applyFix(text, fix).includes('\n'));
  });

  it('adds mediaType after schemaVersion and artifactType after mediaType', () => {
    const text = EXTRA_CASES[2]!.text;
    const withMediaType = applyFix(text, lint(text).find((p) => p.code === 'media-type-missing')!.fix!);
    assert.match(
      withMediaType,
      /^\{"schemaVersion":2,"mediaType": ?"application\/vnd\.oci\.image\.manifest\.v1\+json","config"/,
    );
    const withArtifactType = applyFix(
      withMediaType,
      lint(withMediaType).find((p) => p.code === 'artifact-type-missing')!.fix!,
    );
    assert.match(
      withArtifactType,
      /"mediaType": ?"application\/vnd\.oci\.image\.manifest\.v1\+json","artifactType": ?"application\/vnd\.unknown\.artifact\.v1","config"/,
    );
  });

  it('keeps tab indentation', () => {
    const text = EXTRA_CASES[1]!.text;
    const fixed = applyFix(text, lint(text).find((p) => p.code === 'empty-descriptor')!.fix!);
    assert.match(fixed, /\n\t\t"size": 2\n\t}/);
  });
});
