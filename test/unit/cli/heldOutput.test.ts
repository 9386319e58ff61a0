import * as assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { HeldOutput } from '../../../src/cli/heldOutput';
import { printFailureJson, printJson, type CliIO } from '../../../src/cli/command';

/** An io whose stdout is held from its first write on (as once a command staged a write), and what got out. */
function heldIo(): { io: CliIO; held: HeldOutput; printed: () => string } {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (chunk: Buffer) => chunks.push(chunk));
  const held = new HeldOutput(out, () => true);
  const io: CliIO = { out: held, err: new PassThrough(), stdin: new PassThrough(), env: {}, interactive: false };
  return { io, held, printed: () => Buffer.concat(chunks).toString() };
}

describe('CLI output held for durable writes', () => {
  it('drops a held summary when the writes fail, but a record of where the run stopped gets out', async () => {
    const { io, held, printed } = heldIo();
    printJson(io, { copied: 3 });
    printFailureJson(io, { stopped: { tag: 'b' } });
    held.discard();
    printFailureJson(io, { stopped: { tag: 'c' } });
    printJson(io, { copied: 4 });
    await held.flushed();
    assert.deepEqual(
      printed()
        .trim()
        .split(/\n(?=\{)/)
        .map((text) => JSON.parse(text) as unknown),
      [{ stopped: { tag: 'b' } }, { stopped: { tag: 'c' } }],
    );
  });

  it('prints what it held, in order after what passed, once the writes are durable', async () => {
    const { io, held, printed } = heldIo();
    printJson(io, { copied: 3 });
    printFailureJson(io, { stopped: { tag: 'b' } });
    held.release();
    await held.flushed();
    assert.equal(
      printed(),
      `${JSON.stringify({ stopped: { tag: 'b' } }, null, 2)}\n${JSON.stringify({ copied: 3 }, null, 2)}\n`,
    );
  });
});
