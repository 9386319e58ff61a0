// The Stowage log's levels: failed requests are warnings, successful ones Debug (Info only when asked for), so the
// default Info level shows what the user did rather than every request behind it.
import * as assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import { createHttpLogger, untrustedTextLog } from '../../../src/vscode/log';
import { CANCELLED, type HttpLogEntry } from '../../../src/core/registry';

function recordingChannel() {
  const lines: [string, string][] = [];
  const at = (level: string) => (message: string) => lines.push([level, message]);
  const channel = { info: at('info'), debug: at('debug'), warn: at('warn') } as unknown as vscode.LogOutputChannel;
  return { channel, lines };
}

const entry = (status: number | undefined, more: Partial<HttpLogEntry> = {}): HttpLogEntry =>
  ({ method: 'GET', url: 'https://r.example/v2/', status, durationMs: 12, attempt: 0, ...more }) as HttpLogEntry;

describe('HTTP request log levels', () => {
  it('writes successes at Debug and failures as warnings by default; successes at Info when verbose', () => {
    const quiet = recordingChannel();
    const log = createHttpLogger(quiet.channel, () => false);
    log(entry(200));
    log(entry(500));
    log(entry(403));
    log(entry(401, { attempt: 1 }));
    log(entry(undefined, { error: 'ECONNRESET' }));
    assert.deepEqual(
      quiet.lines.map(([level]) => level),
      ['debug', 'warn', 'warn', 'warn', 'warn'],
    );
    const verbose = recordingChannel();
    createHttpLogger(verbose.channel, () => true)(entry(200));
    assert.deepEqual(verbose.lines, [['info', 'GET https://r.example/v2/ → 200 in 12 ms']]);
  });
});

describe('HTTP answers that are part of normal work', () => {
  it('logs a lookup that finds nothing (404) and the first challenge (401) at Debug, not as warnings', () => {
    const { channel, lines } = recordingChannel();
    const log = createHttpLogger(channel, () => false);
    log(entry(404, { method: 'HEAD' }));
    log(entry(401));
    assert.deepEqual(
      lines.map(([level]) => level),
      ['debug', 'debug'],
    );
  });

  it('says a cancelled request was cancelled, once at Info', () => {
    const { channel, lines } = recordingChannel();
    createHttpLogger(channel, () => false)(entry(undefined, { method: 'PATCH', error: CANCELLED }));
    assert.deepEqual(lines, [['info', 'PATCH https://r.example/v2/ → cancelled in 12 ms']]);
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
