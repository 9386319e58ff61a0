import * as assert from 'node:assert/strict';
import { redactSecrets } from '../../src/core/registry/redact';

describe('redactSecrets', () => {
  it('removes authorization values, token query parameters, JSON secrets and URL passwords', () => {
    const text = [
      'Authorization: Bearer eyJhbGciOiJFUzI1NiJ9.payload.sig',
      'Basic dXNlcjpodW50ZXIy',
      'https://auth.example/token?service=r&access_token=abc123secret&scope=x',
      '{"password":"hunter2","identitytoken":"tok-123"}',
      'https://user:hunter2@registry.example/v2/',
    ].join('\n');
    const out = redactSecrets(text);
    for (const secret of ['eyJhbGciOiJFUzI1NiJ9', 'dXNlcjpodW50ZXIy', 'abc123secret', 'hunter2', 'tok-123']) {
      assert.ok(!out.includes(secret), `${secret} leaked: ${out}`);
    }
    assert.match(out, /service=r/);
    assert.match(out, /registry\.example\/v2\//);
  });
});
