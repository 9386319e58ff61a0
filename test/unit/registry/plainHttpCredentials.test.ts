import * as assert from 'node:assert/strict';
import { isLoopbackHost, mayCarryCredentials } from '../../../src/core/registry/plainHttpCredentials';

describe('credentials over plain HTTP', () => {
  it('counts 127.0.0.0/8, ::1 and localhost as loopback, in any spelling and with a port', () => {
    for (const host of ['127.0.0.1', '127.0.0.1:5000', '127.9.8.7:1', '127.1', 'LOCALHOST:5000', 'localhost', '[::1]:5000', '[::ffff:127.0.0.1]:80', '0x7f.1']) {
      assert.equal(isLoopbackHost(host), true, host);
    }
  });

  it('does not count other hosts, names that merely resolve to loopback, or look-alikes', () => {
    for (const host of ['192.168.1.10:5000', '128.0.0.1', '10.127.0.1', 'registry.lan', 'localhost.example.com', 'mylocalhost', '127.0.0.1.nip.io', '[::2]', '[::ffff:10.0.0.1]', 'not a host', '']) {
      assert.equal(isLoopbackHost(host), false, host);
    }
  });

  it('lets credentials go over HTTPS always, over plain HTTP to loopback, or anywhere when the registry allows it', () => {
    assert.equal(mayCarryCredentials(new URL('https://registry.lan/token'), false), true);
    assert.equal(mayCarryCredentials(new URL('http://127.0.0.1:5000/v2/'), false), true);
    assert.equal(mayCarryCredentials(new URL('http://registry.lan:5000/v2/'), false), false);
    assert.equal(mayCarryCredentials(new URL('http://registry.lan:5000/v2/'), true), true);
  });
});
