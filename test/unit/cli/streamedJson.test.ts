import * as assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { printJson, type CliIO } from '../../../src/cli/command';
import { streamedJsonArray } from '../../../src/cli/streamedJson';

function capturingIo(): { io: CliIO; printed: () => string } {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (chunk: Buffer) => chunks.push(chunk));
  const io: CliIO = { out, err: new PassThrough(), stdin: new PassThrough(), env: {}, interactive: false };
  return { io, printed: () => Buffer.concat(chunks).toString() };
}

describe('JSON printed element by element', () => {
  const tags = [
    { tag: 'v1', verdict: 'passed', signatures: [{ signer: 'CN=a', verified: true }], empty: [] },
    // A registry's text: escaped as printJson escapes it (a bidi override and an escape sequence).
    { tag: 'v2\u202e\u001b]0;x\u0007', verdict: 'unsigned', signatures: [], note: undefined },
  ];
  const cases: [string, Record<string, unknown>, unknown[], Record<string, unknown>][] = [
    ['members on both sides', { location: 'r/app', require: ['sbom'] }, tags, { summary: { tags: 2 }, passed: false }],
    ['an empty array', { location: 'r/app', require: [] }, [], { summary: { tags: 0 }, passed: false }],
    ['no members around it', {}, tags, {}],
  ];
  for (const [name, before, elements, after] of cases)
    it(`prints what printJson prints of the whole object: ${name}`, async () => {
      const whole = capturingIo();
      printJson(whole.io, { ...before, tags: elements, ...after });
      const streamed = capturingIo();
      const json = streamedJsonArray(streamed.io, before, 'tags');
      for (const element of elements) json.add(element);
      json.close(after);
      await new Promise((resolve) => setImmediate(resolve));
      assert.equal(streamed.printed(), whole.printed());
    });
});
