import * as assert from 'node:assert/strict';
import { errorForTransport } from '../../../src/core/registry/registryErrors';
import { AuthError, NetworkError, OciError, RateLimitError, TlsError } from '../../../src/core/oci/errors';
import { adviseOn, isCancellation, stepCommand } from '../../../src/vscode/errorAdvice';

describe('error advice', () => {
  it('offers Log In… for auth failures, Set CA File… for an untrusted certificate, Use Plain HTTP… for a plain HTTP answer, Use HTTPS for an HTTPS-only registry set up as plain HTTP and Retry otherwise', () => {
    assert.equal(adviseOn(new AuthError('r.example', 'r.example: authentication required')).stepLabel, 'Log In…');
    assert.equal(adviseOn(new AuthError('r.example', 'denied', 'DENIED')).step, 'login');
    assert.equal(
      adviseOn(new TlsError('r.example', 'certificate signed by unknown authority', { untrusted: true })).stepLabel,
      'Set CA File…',
    );
    assert.equal(
      adviseOn(new TlsError('r.example', 'its certificate has expired')).step,
      'retry',
      'a CA file cannot help',
    );
    const plain = adviseOn(
      new TlsError('r.example', 'TLS with r.example failed: it answers in plain HTTP', { speaksPlainHttp: true }),
    );
    assert.deepEqual(
      [plain.step, plain.stepLabel, stepCommand(plain.step)],
      ['usePlainHttp', 'Use Plain HTTP…', 'stowage.registry.usePlainHttp'],
    );
    const https = adviseOn(
      new TlsError('127.0.0.1:5000', '127.0.0.1:5000 speaks HTTPS and refused a plain-HTTP request', {
        speaksTls: true,
      }),
    );
    assert.deepEqual(
      [https.step, https.stepLabel, stepCommand(https.step)],
      ['useHttps', 'Use HTTPS', 'stowage.registry.useHttps'],
      'Retry would fail the same way: the setting says plain HTTP',
    );
    assert.equal(stepCommand('retry'), undefined);
    assert.equal(adviseOn(new NetworkError('r.example', 'connection refused')).stepLabel, 'Retry');
    assert.equal(adviseOn(new Error('boom')).step, 'retry');
  });

  it("offers Log In… when a registry's quota is used up (Docker Hub's anonymous pull limit), Retry for a passing 429", () => {
    assert.equal(
      adviseOn(new RateLimitError('docker.io', 'docker.io refused …: its limit … is used up', true)).step,
      'login',
    );
    assert.equal(
      adviseOn(new RateLimitError('r.example', 'r.example refused …: too many requests', false)).step,
      'retry',
    );
  });

  it('offers Set Client Certificate… when the registry closed a TLS connection unanswered after a small request (mutual TLS), Retry otherwise', () => {
    const socketClosed = (bytesWritten: number) =>
      Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET', socket: { bytesRead: 0, bytesWritten } });
    const over = (protocol: string, bytesWritten: number) =>
      errorForTransport('r.example', socketClosed(bytesWritten), undefined, { proxy: {}, protocol });
    const advice = adviseOn(over('https:', 900));
    assert.deepEqual(
      [advice.step, advice.stepLabel, stepCommand(advice.step)],
      ['setClientCertificate', 'Set Client Certificate…', 'stowage.registry.setClientCertificate'],
    );
    assert.equal(
      advice.message,
      'cannot reach r.example (UND_ERR_SOCKET): if it asks for a client certificate (mutual TLS), set one for it',
    );
    assert.equal(adviseOn(over('http:', 900)).step, 'retry', 'plain HTTP has no client certificates');
    assert.equal(adviseOn(over('https:', 5 * 1024 * 1024)).step, 'retry', 'a registry that died during an upload');
  });

  it('keeps one line and escapes control characters', () => {
    assert.equal(adviseOn(new Error('first\u0007 line\nsecond line')).message, 'first⟨U+0007⟩ line');
  });

  it('recognises cancellation', () => {
    assert.equal(isCancellation(new OciError('ABORTED', 'cancelled')), true);
    assert.equal(isCancellation(new NetworkError('h', 'x')), false);
  });
});
