// The Stowage log's levels: failed requests are warnings, successful ones Debug (Info only when asked for), so the
// default Info level shows what the user did rather than every request behind it.
import * as assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import { createHttpLogger, untrustedTextLog } from '../../../src/vscode/log';
import type { HttpLogEntry } from '../../../src/core/registry';

function recordingChannel() {
  const lines: [string, string][] = [];
  const at = (level: string) => (message: string) => lines.push([level, message]);
  const channel = { info: at('info'), debug: at('debug'), warn: at('warn') } as unknown as vscode.LogOutputChannel;
  return { channel, lines };
}

const entry = (status: number | undefined): HttpLogEntry =>
  ({ method: 'GET', url: 'https://r.example/v2/', status, durationMs: 12, attempt: 0 }) as HttpLogEntry;

describe('HTTP request log levels', () => {
  it('writes successes at Debug and failures as warnings by default; successes at Info when verbose', () => {
    const quiet = recordingChannel();
    const log = createHttpLogger(quiet.channel, () => false);
    log(entry(200));
    log(entry(404));
    log(entry(undefined));
    assert.deepEqual(
      quiet.lines.map(([level]) => level),
      ['debug', 'warn', 'warn'],
    );
    const verbose = recordingChannel();
    createHttpLogger(verbose.channel, () => true)(entry(200));
    assert.deepEqual(verbose.lines, [['info', 'GET https://r.example/v2/ → 200 in 12 ms']]);
  });
});

describe('the Stowage log channel', () => {
  it('writes a registry value with a line break or an escape sequence on its own line, as code points', () => {
    const { channel, lines } = recordingChannel();
    Object.assign(channel, { name: 'Stowage' });
    const log = untrustedTextLog(channel);
    log.info('Attached sha256:1 (x/y\n2026-01-01 [info] forged\u001b[2J) to sha256:0');
    log.warn('tag\r\u202eexe');
    assert.deepEqual(lines, [
      ['info', 'Attached sha256:1 (x/y⟨U+000A⟩2026-01-01 [info] forged⟨U+001B⟩[2J) to sha256:0'],
      ['warn', 'tag⟨U+000D⟩⟨U+202E⟩exe'],
    ]);
    assert.equal(log.name, 'Stowage');
  });
});
