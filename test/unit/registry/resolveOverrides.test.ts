// `--resolve host:port:address[:address_port]` as curl and ORAS write it, IPv6 in brackets.
import * as assert from 'node:assert/strict';
import { OciError } from '../../../src/core/oci/errors';
import { overrideFor, parseResolveOverride } from '../../../src/core/registry/resolveOverrides';

describe('--resolve entries', () => {
  it('reads host:port:address, an address port, IPv6 in brackets and a host in any case', () => {
    assert.deepEqual(parseResolveOverride('Registry.Example:5000:10.0.0.7'), {
      host: 'registry.example',
      port: 5000,
      address: '10.0.0.7',
      addressPort: 5000,
    });
    assert.deepEqual(parseResolveOverride('registry.example:443:[::1]:5443'), {
      host: 'registry.example',
      port: 443,
      address: '::1',
      addressPort: 5443,
    });
    assert.deepEqual(parseResolveOverride('[fd00::1]:443:127.0.0.1'), {
      host: 'fd00::1',
      port: 443,
      address: '127.0.0.1',
      addressPort: 443,
    });
  });

  it('refuses what is not host:port:address[:port], a name as the address and ports out of range', () => {
    for (const [line, message] of [
      ['registry.example:5000', /is not host:port:address\[:address_port\]/],
      ['registry.example:5000:::1', /is not host:port:address/],
      ['registry.example:5000:gateway.internal', /"gateway\.internal" is not an IP address/],
      ['registry.example:70000:10.0.0.7', /port 70000 is out of range/],
      ['registry.example:443:10.0.0.7:0', /port 0 is out of range/],
    ] as const)
      assert.throws(
        () => parseResolveOverride(line),
        (e: unknown) => OciError.is(e, 'USAGE') && message.test(e.message),
        line,
      );
  });

  it('matches a connection by host name (brackets and case aside) and port', () => {
    const overrides = [
      parseResolveOverride('registry.example:443:10.0.0.7'),
      parseResolveOverride('[::1]:80:127.0.0.1'),
    ];
    assert.equal(overrideFor(overrides, 'REGISTRY.example', 443)?.address, '10.0.0.7');
    assert.equal(overrideFor(overrides, 'registry.example', 5000), undefined);
    assert.equal(overrideFor(overrides, '[::1]', 80)?.address, '127.0.0.1');
    assert.equal(overrideFor(undefined, 'registry.example', 443), undefined);
  });
});
