// Lines cut or wrapped by the columns a terminal gives them, not by UTF-16 units: a tag of CJK or emoji takes two
// columns a character, and a redrawn progress line that overflows its row wraps, leaving a trail on every redraw.
import * as assert from 'node:assert/strict';
import type { CliIO } from '../../../src/cli/command';
import { twoColumns, wrapWords } from '../../../src/cli/helpLayout';
import { progressReporter } from '../../../src/cli/progress';

/** What one progress update draws on a terminal `columns` wide, for the transfer labelled `label`. */
function drawnLine(label: string, columns: number): string {
  let written = '';
  const io = {
    interactive: true,
    env: { TERM: 'xterm' },
    err: { columns, write: (text: string) => (written += text) },
  } as unknown as CliIO;
  progressReporter(io, label).onProgress!({
    doneBytes: 1,
    totalBytes: 2,
    doneItems: 0,
    totalItems: 1,
    skippedItems: 0,
  });
  return written.split('\r\u001b[K').join('');
}

describe('CLI lines by display width', () => {
  it('cuts a progress line with a wide (CJK, emoji) tag to the row: two columns a character, the last column free', () => {
    // 40 columns: 38 for text, one for "…", the last left free; 19 wide characters fill the 38.
    assert.equal(drawnLine(`${'标签'.repeat(15)}`, 40), `${'标签'.repeat(9)}标…`);
    assert.equal(drawnLine(`${'😀'.repeat(30)}`, 40), `${'😀'.repeat(19)}…`);
    // A wide character that would straddle the edge goes with the rest: 'a' + 18 wide = 37 columns, the next is 39.
    assert.equal(drawnLine(`a${'漢'.repeat(30)}`, 40), `a${'漢'.repeat(18)}…`);
  });

  it('counts combining marks as no column: a tag of decomposed accents is not cut at half the row', () => {
    const accented = 'e\u0301'.repeat(60);
    assert.equal(drawnLine(accented, 40), `${'e\u0301'.repeat(38)}…`);
    // A line that fits is left whole, whatever its length in UTF-16 units.
    const short = `${'e\u0301'.repeat(10)}`;
    assert.ok(drawnLine(short, 40).startsWith(`${short} 1 B / 2 B`), drawnLine(short, 40));
  });

  it('keeps at most 30 combining marks in a row: a tag stacking 10,000 on one letter is cut there, not drawn whole', () => {
    // Each mark is no column, so the row never filled and all 10,000 went to the terminal on every redraw.
    // The label is cut there; the counts after it stay.
    assert.equal(drawnLine(`x${'\u0301'.repeat(10_000)}y`, 40), `x${'\u0301'.repeat(30)}… 1 B / 2 B (50%), 0/1 items`);
    // Thirty pass: Unicode's stream-safe text allows as many (UAX #15).
    const thirty = `x${'\u0301'.repeat(30)}y`;
    assert.ok(drawnLine(thirty, 40).startsWith(`${thirty} 1 B / 2 B`), drawnLine(thirty, 40));
  });

  it('wraps help and pads its columns by display width (a usage error may quote a CJK name)', () => {
    const wrapped = wrapWords(`${'标签 '.repeat(20)}end`, 60, 4);
    for (const line of wrapped.split('\n')) {
      const columns = [...line].reduce((n, c) => n + (/[标签]/.test(c) ? 2 : 1), 0);
      assert.ok(columns <= 60, `${columns} columns: ${line}`);
    }
    assert.equal(wrapped.split('\n')[0], `${'标签 '.repeat(11)}标签`, 'twelve words of 4 columns and their spaces: 59');
    // The descriptions start in one column after a CJK term as after an ASCII one.
    const rows = twoColumns(
      [
        ['--标签', 'a'],
        ['--abcdef', 'b'],
      ],
      80,
    ).split('\n');
    assert.deepEqual(rows, ['  --标签    a', '  --abcdef  b']);
  });
});
