// A proxy setting that is no URL is named in the error, and its credentials never are, however the URL is broken:
// the error is shown exactly where a user reads it (a terminal, a notification), often pasted into a ticket.
import * as assert from 'node:assert/strict';
import { normalizeProxy } from '../../../src/core/registry/dispatchers';

function messageFor(httpsProxy: string, setIn?: 'environment' | 'editor'): string {
  try {
    normalizeProxy({ httpsProxy, setIn });
  } catch (err) {
    return (err as Error).message;
  }
  assert.fail(`${httpsProxy} was taken for a URL`);
}

describe('a proxy setting that is no URL', () => {
  for (const [what, proxy] of [
    ['written without a scheme', 'alice:s3cret@proxy.corp.example:31x8'],
    ['with a "/" in the password', 'http://alice:s3/cret@proxy.corp.example:3128'],
    ['with a space in the password', 'http://alice:s3 cret@proxy corp:3128'],
    ['with an "@" in the password', 'http://alice:s3@cret@proxy corp:3128'],
  ])
    it(`names it without its credentials: ${what}`, () => {
      const message = messageFor(proxy);
      assert.match(
        message,
        /is not a URL \(http:\/\/host:port\): correct the HTTPS_PROXY\/HTTP_PROXY environment variable/,
      );
      assert.match(message, /\[redacted\]@/, message);
      assert.doesNotMatch(message, /alice|s3|cret/, message);
    });

  it('still names where it points, and the setting to correct in the words of who set it: the environment (the command line) or the editor', () => {
    const broken = 'http://user:pw@proxy host:3128';
    assert.equal(
      messageFor(broken, 'environment'),
      'the proxy "http://[redacted]@proxy host:3128" is not a URL (http://host:port): correct the HTTPS_PROXY/HTTP_PROXY environment variable',
    );
    assert.equal(messageFor(broken), messageFor(broken, 'environment'), 'the engine reads the environment by default');
    assert.equal(
      messageFor(broken, 'editor'),
      'the proxy "http://[redacted]@proxy host:3128" is not a URL (http://host:port): correct HTTPS_PROXY/HTTP_PROXY, or http.proxy in the editor',
    );
  });
});
