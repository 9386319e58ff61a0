import * as assert from 'node:assert/strict';
import {
  credentialRefusal,
  isLoopbackHost,
  type RegistryChannel,
} from '../../../src/core/registry/plainHttpCredentials';

describe('where credentials may go', () => {
  it('counts 127.0.0.0/8, ::1 and localhost as loopback, in any spelling and with a port', () => {
    for (const host of [
      '127.0.0.1',
      '127.0.0.1:5000',
      '127.9.8.7:1',
      '127.1',
      'LOCALHOST:5000',
      'localhost',
      '[::1]:5000',
      '[::ffff:127.0.0.1]:80',
      '0x7f.1',
    ]) {
      assert.equal(isLoopbackHost(host), true, host);
    }
  });

  it('does not count other hosts, names that merely resolve to loopback, or look-alikes', () => {
    for (const host of [
      '192.168.1.10:5000',
      '128.0.0.1',
      '10.127.0.1',
      'registry.lan',
      'localhost.example.com',
      'mylocalhost',
      '127.0.0.1.nip.io',
      '[::2]',
      '[::ffff:10.0.0.1]',
      'not a host',
      '',
    ]) {
      assert.equal(isLoopbackHost(host), false, host);
    }
  });

  // One row per case: the registry's channel, where the secret would go, and the verdict (undefined = send).
  const channel = (origin: string, more: Partial<RegistryChannel> = {}): RegistryChannel => ({
    origin: new URL(origin),
    ...more,
  });
  const cases: [string, RegistryChannel, string, ReturnType<typeof credentialRefusal>][] = [
    // Basic to the registry itself.
    ['verified TLS registry', channel('https://registry.lan'), 'https://registry.lan/v2/', undefined],
    ['plain-HTTP loopback registry', channel('http://127.0.0.1:5000'), 'http://127.0.0.1:5000/v2/', undefined],
    [
      'plain-HTTP registry off this machine',
      channel('http://registry.lan:5000'),
      'http://registry.lan:5000/v2/',
      'registry-plain-http',
    ],
    [
      'plain-HTTP registry that allows it',
      channel('http://registry.lan:5000', { allowCredentialsOverHttp: true }),
      'http://registry.lan:5000/v2/',
      undefined,
    ],
    [
      'unverified TLS registry off this machine',
      channel('https://registry.lan', { skipTlsVerify: true }),
      'https://registry.lan/v2/',
      'registry-unverified-tls',
    ],
    [
      'unverified TLS loopback registry',
      channel('https://localhost:5000', { skipTlsVerify: true }),
      'https://localhost:5000/v2/',
      undefined,
    ],
    [
      'unverified TLS registry that allows it',
      channel('https://registry.lan', { skipTlsVerify: true, allowCredentialsOverHttp: true }),
      'https://registry.lan/v2/',
      undefined,
    ],
    // A token realm named by the registry's challenge.
    ['HTTPS realm of a verified TLS registry', channel('https://ghcr.io'), 'https://ghcr.io/token', undefined],
    [
      'HTTPS realm on another host of a verified TLS registry',
      channel('https://registry-1.docker.io'),
      'https://auth.docker.io/token',
      undefined,
    ],
    [
      'HTTPS realm named by a plain-HTTP registry off this machine',
      channel('http://registry.lan:5000'),
      'https://auth.example/token',
      'registry-plain-http',
    ],
    [
      'HTTPS realm named by an unverified TLS registry off this machine',
      channel('https://registry.lan', { skipTlsVerify: true }),
      'https://auth.example/token',
      'registry-unverified-tls',
    ],
    [
      'HTTPS realm named by a plain-HTTP loopback registry',
      channel('http://localhost:5000'),
      'https://auth.example/token',
      undefined,
    ],
    [
      'HTTPS realm named by a plain-HTTP registry that allows it',
      channel('http://registry.lan:5000', { allowCredentialsOverHttp: true }),
      'https://auth.example/token',
      undefined,
    ],
    [
      'plain-HTTP loopback realm of a loopback registry',
      channel('http://localhost:5000'),
      'http://127.0.0.1:5001/token',
      undefined,
    ],
    [
      'plain-HTTP loopback realm of a verified TLS registry',
      channel('https://registry.lan'),
      'http://127.0.0.1:5001/token',
      undefined,
    ],
    [
      'plain-HTTP realm on the own host of a verified TLS registry',
      channel('https://registry.lan'),
      'http://registry.lan:5001/token',
      'destination-plain-http',
    ],
    [
      'plain-HTTP realm on the own host of a registry that allows it',
      channel('http://registry.lan:5000', { allowCredentialsOverHttp: true }),
      'http://REGISTRY.lan:5001/token',
      undefined,
    ],
    [
      'plain-HTTP realm on another host of a registry that allows it',
      channel('http://registry.lan:5000', { allowCredentialsOverHttp: true }),
      'http://auth.lan/token',
      'other-host-plain-http',
    ],
    [
      'plain-HTTP realm on another host of a loopback registry',
      channel('http://127.0.0.1:5000'),
      'http://auth.lan/token',
      'other-host-plain-http',
    ],
    [
      'plain-HTTP realm on another host of a verified TLS registry',
      channel('https://registry.lan'),
      'http://auth.lan/token',
      'other-host-plain-http',
    ],
  ];
  for (const [name, registry, destination, verdict] of cases) {
    it(`${verdict ? 'refuses' : 'allows'}: ${name}`, () => {
      assert.equal(credentialRefusal(registry, new URL(destination)), verdict);
    });
  }
});
