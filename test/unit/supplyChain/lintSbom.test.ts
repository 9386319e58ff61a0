// lintSbom places every schema problem at the property at fault, for `stowage lint` and the editor's live linter
// (on each pause in typing). An SBOM is anyone's file: it must neither overflow the stack (nesting) nor cost a
// position lookup and a diagnostic per problem for hundreds of thousands of them.
import * as assert from 'node:assert/strict';
import { MAX_JSON_DEPTH } from '../../../src/core/oci';
import { validateSbom } from '../../../src/core/sbom';
import { lintSbom, MAX_SBOM_PROBLEMS } from '../../../src/core/supplyChain';

/** CycloneDX whose components nest `depth` deep (each level a components array and a component object). */
function deeplyNested(depth: number): string {
  const open = '{"type":"library","name":"a","components":['.repeat(depth);
  return `{"bomFormat":"CycloneDX","specVersion":"1.5","version":1,"components":[${open}${']}'.repeat(depth)}]}`;
}

/** SPDX 2.3 with `count` relationships, each with three invalid values. */
function manyProblems(count: number): string {
  return JSON.stringify({
    spdxVersion: 'SPDX-2.3',
    dataLicense: 'CC0-1.0',
    SPDXID: 'SPDXRef-DOCUMENT',
    name: 'x',
    documentNamespace: 'https://example.com/x',
    creationInfo: { created: '2026-01-01T00:00:00Z', creators: ['Tool: x'] },
    relationships: Array.from({ length: count }, () => ({
      spdxElementId: 'x',
      relationshipType: 'NOPE',
      relatedSpdxElement: 'y',
    })),
  });
}

describe('supplyChain/lintSbom: hostile SBOM files', function () {
  // Compiling a CycloneDX schema takes over a second per version, more on a busy machine.
  this.timeout(60_000);

  it(`reports an SBOM nested deeper than ${MAX_JSON_DEPTH} levels at the bracket that goes too deep, instead of overflowing the stack`, async () => {
    const text = deeplyNested(20_000);
    const problems = (await lintSbom(text))!;
    assert.deepEqual(
      problems.map((p) => [p.code, p.severity, p.length]),
      [['json-too-deep', 'error', 1]],
    );
    // The bracket that opens level MAX_JSON_DEPTH + 1 (no bracket closes before it).
    const { offset } = problems[0]!;
    assert.equal(text.slice(0, offset).replace(/[^[{]/g, '').length, MAX_JSON_DEPTH);
    assert.ok('[{'.includes(text[offset]!));
    // Attach SBOM…, `sbom --sbom` and attach's warning validate through validateSbom: a problem there too.
    assert.deepEqual(await validateSbom(text), [
      { path: '', message: `nested deeper than ${MAX_JSON_DEPTH} levels; not validated` },
    ]);
  });

  it(`places at most MAX_SBOM_PROBLEMS problems and counts the rest in one more`, async () => {
    const problems = (await lintSbom(manyProblems(2_000)))!;
    assert.equal(problems.length, MAX_SBOM_PROBLEMS + 1);
    assert.match(problems[0]!.message, /^SPDX SBOM \/relationships\/0\/spdxElementId: must match pattern/);
    const last = problems[MAX_SBOM_PROBLEMS]!;
    assert.equal(last.code, 'sbom-invalid');
    assert.equal(last.message, `SPDX SBOM: ${6_000 - MAX_SBOM_PROBLEMS} more problems not listed`);
    assert.deepEqual([last.offset, last.length, last.path], [0, 1, []]);
  });
});
