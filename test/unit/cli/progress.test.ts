import * as assert from 'node:assert/strict';
import { describeProgress, LOG_PROGRESS_EVERY_MS, progressName, progressReporter } from '../../../src/cli/progress';
import { formatDuration, TransferRate } from '../../../src/core/oci';
import type { CliIO } from '../../../src/cli/command';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cli } from '../../helpers/runCli';

/** A CLI's IO whose stderr is recorded: `interactive` draws (a terminal), otherwise logs (a CI log). */
function recordingIO(interactive: boolean, columns?: number): { io: CliIO; written: () => string; clear: () => void } {
  let text = '';
  const io = {
    interactive,
    env: interactive ? { TERM: 'xterm' } : {},
    err: { columns, write: (more: string) => (text += more) },
  } as unknown as CliIO;
  return { io, written: () => text, clear: () => (text = '') };
}

describe('CLI progress', () => {
  it('shows sizes in the one format the editor and the webview use', () => {
    const line = describeProgress({
      doneBytes: 1536,
      totalBytes: 50 * 1024 * 1024,
      doneItems: 1,
      totalItems: 3,
      skippedItems: 0,
    });
    assert.equal(line, '1.5 KiB / 50 MiB (0%), 1/3 items');
  });

  it('gives the rate over the last seconds and the time left, once a second has passed', () => {
    const rate = new TransferRate();
    const p = (doneBytes: number) => ({
      doneBytes,
      totalBytes: 1024 ** 3,
      doneItems: 0,
      totalItems: 1,
      skippedItems: 0,
    });
    rate.sample(0, 0);
    rate.sample(500, 50 * 1024 ** 2);
    assert.equal(describeProgress(p(50 * 1024 ** 2), rate), '50 MiB / 1.0 GiB (4%), 0/1 items', 'not yet: noise');
    // A slow start (a token service, a cold registry), then 100 MiB/s: the rate follows the last 5 s.
    for (let at = 1000, done = 50; at <= 20_000; at += 100, done += 10) rate.sample(at, done * 1024 ** 2);
    assert.equal(rate.perSecond(), 100 * 1024 ** 2);
    assert.equal(
      describeProgress(p(1954 * 1024 ** 2 - 1024 ** 3), rate),
      '930 MiB / 1.0 GiB (90%) at 100 MiB/s, 1 s left, 0/1 items',
    );
    assert.equal(formatDuration(45.4), '45 s');
    assert.equal(formatDuration(200), '3 min 20 s');
    assert.equal(formatDuration(7500), '2 h 5 min');
    assert.equal(formatDuration(60), '1 min');
  });

  it('shows no rate for a count that went back (a layer retried from its start) nor for a total of 0', () => {
    const rate = new TransferRate();
    rate.sample(0, 900 * 1024 ** 2);
    rate.sample(1500, 10 * 1024 ** 2);
    const p = { doneBytes: 10 * 1024 ** 2, totalBytes: 1024 ** 3, doneItems: 0, totalItems: 1, skippedItems: 0 };
    assert.equal(describeProgress(p, rate), '10 MiB / 1.0 GiB (0%), 0/1 items');
    const empty = new TransferRate();
    empty.sample(0, 0);
    empty.sample(1500, 0);
    assert.equal(describeProgress({ ...p, doneBytes: 0, totalBytes: 0 }, empty), '0 B / 0 B at 0 B/s, 0/1 items');
  });

  it('cuts a drawn line to the terminal’s width: a wrapped line would not be cleared by the next redraw', () => {
    const { io, written } = recordingIO(true, 40);
    const reporter = progressReporter(io, 'pulling registry.example/team/app:v1.2.3');
    reporter.onProgress!({ doneBytes: 1, totalBytes: 2, doneItems: 0, totalItems: 1, skippedItems: 0 });
    const drawn = written().split('\r\u001b[K').join('');
    assert.equal(drawn.length, 39, drawn);
    assert.ok(drawn.endsWith('…'), drawn);
  });

  it('draws a label from a hostile layout (a tag holding escape sequences) with its control characters shown', () => {
    const { io, written } = recordingIO(true);
    const reporter = progressReporter(io, 'v1\u001b]0;PWNED\u0007\u001b[31mRED (1/1)');
    reporter.onProgress!({ doneBytes: 1, totalBytes: 2, doneItems: 1, totalItems: 1, skippedItems: 0 });
    reporter.done();
    const drawn = written().split('\r\u001b[K').join('');
    // eslint-disable-next-line no-control-regex
    assert.doesNotMatch(drawn, /[\u0000-\u001f]/, JSON.stringify(drawn));
    assert.match(drawn, /^v1⟨U\+001B⟩\]0;PWNED⟨U\+0007⟩⟨U\+001B⟩\[31mRED \(1\/1\) 1 B \/ 2 B/);
  });

  it('draws the packing of a push (a large folder packs before anything is sent), its title shown safely', () => {
    const { io, written } = recordingIO(true);
    const reporter = progressReporter(io, 'pushing');
    reporter.onPacking!({ title: 'site\u001b[2J', doneBytes: 5 * 1024 * 1024, totalBytes: 5 * 1024 * 1024 });
    reporter.done();
    const drawn = written().split('\r\u001b[K').join('');
    assert.equal(drawn, 'packing site⟨U+001B⟩[2J 5.0 MiB / 5.0 MiB');
  });

  it('logs a plain line every 30 s of a long transfer where it cannot redraw (a CI log), none for a quick one', () => {
    let clock = 1_000_000;
    const { io, written } = recordingIO(false);
    const reporter = progressReporter(io, 'pushing', () => clock);
    const at = (doneBytes: number, doneItems = 0) =>
      reporter.onProgress!({ doneBytes, totalBytes: 4 * 1024 ** 3, doneItems, totalItems: 2, skippedItems: 0 });
    at(1);
    clock += LOG_PROGRESS_EVERY_MS - 1;
    at(1024 ** 3);
    assert.equal(written(), '', 'nothing within the first 30 s');
    clock += 1;
    at(1024 ** 3);
    at(1024 ** 3 + 1);
    assert.equal(
      written(),
      'pushing 1.0 GiB / 4.0 GiB (25%) at 34 MiB/s, 1 min 30 s left, 0/2 items\n',
      'one line, then quiet again',
    );
    clock += LOG_PROGRESS_EVERY_MS;
    at(2 * 1024 ** 3, 1);
    clock += LOG_PROGRESS_EVERY_MS;
    at(4 * 1024 ** 3, 2);
    reporter.done();
    assert.equal(
      written(),
      'pushing 1.0 GiB / 4.0 GiB (25%) at 34 MiB/s, 1 min 30 s left, 0/2 items\n' +
        'pushing 2.0 GiB / 4.0 GiB (50%) at 34 MiB/s, 1 min left, 1/2 items\n',
      'no line for the end: the command says it is done',
    );
  });

  it('logs a huge hostile tag (where it cannot redraw) cut as the drawn line cuts it, the counts after it kept', () => {
    let clock = 1_000_000;
    const { io, written, clear } = recordingIO(false);
    const tag = `v1\u001b[2J${'界'.repeat(1024 * 1024)}`;
    const progress = { doneBytes: 1024, totalBytes: 2048, doneItems: 0, totalItems: 1, skippedItems: 0 };
    // As a backup names each tag, and as a command names what it does (a label of the caller's).
    for (const [label, after] of [
      [`${progressName(tag)} (3/10)`, ' (3/10) '],
      [tag, ' '],
    ] as const) {
      clear();
      const reporter = progressReporter(io, label, () => clock);
      clock += LOG_PROGRESS_EVERY_MS;
      reporter.onProgress!(progress);
      reporter.done();
      assert.ok(written().length < 200, `a logged line of ${written().length} characters`);
      assert.match(written(), /^v1⟨U\+001B⟩\[2J界+…/, written());
      assert.ok(written().includes(`…${after}1.0 KiB / 2.0 KiB (50%)`), written());
      assert.match(written(), /0\/1 items\n$/, 'one line, whole');
    }
  });

  it('draws nothing on a terminal that says it cannot clear a line (TERM=dumb): no escape sequences, no carriage returns', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-cli-dumb-'));
    try {
      await fs.writeFile(path.join(dir, 'big.bin'), randomBytes(3 * 1024 * 1024));
      const push = (tag: string, TERM: string) =>
        cli(['push', `oci:${path.join(dir, 'layout')}:${tag}`, path.join(dir, 'big.bin')], {
          interactive: true,
          env: { TERM },
        });
      const drawn = await push('v1', 'xterm');
      assert.equal(drawn.code, 0, drawn.stderr);
      assert.ok(drawn.stderr.includes('\r\u001b[Kpushing '), 'a capable terminal gets the progress line');
      const dumb = await push('v2', 'dumb');
      assert.equal(dumb.code, 0, dumb.stderr);
      assert.equal(dumb.stderr, '');
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
