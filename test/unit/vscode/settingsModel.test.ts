import * as assert from 'node:assert/strict';
import { DEFAULT_SETTINGS, normaliseHost, normaliseSettings } from '../../../src/vscode/settingsModel';

describe('settings model', () => {
  it('keeps well-formed registries and drops malformed or duplicate ones', () => {
    const settings = normaliseSettings({
      registries: [
        { host: 'https://GHCR.io/', repositories: ['a/b', 3, 'a/b'] },
        { host: 'ghcr.io' },
        { name: 'no host' },
        'junk',
        { host: 'localhost:5000', plainHttp: true, caFile: '/ca.pem' },
        { host: 'mtls.example', certFile: '/client.pem', keyFile: '/client.key' },
        { host: 'odd.example', certFile: 42, keyFile: '' },
      ],
    });
    assert.deepEqual(settings.registries, [
      { host: 'ghcr.io', repositories: ['a/b'] },
      { host: 'localhost:5000', plainHttp: true, caFile: '/ca.pem' },
      { host: 'mtls.example', certFile: '/client.pem', keyFile: '/client.key' },
      { host: 'odd.example' },
    ]);
  });

  it('keeps namespaces as a list of distinct names, and the tag order recent', () => {
    const settings = normaliseSettings({
      registries: [
        { host: 'docker.io', namespaces: ['acme', ' acme ', '', 4, 'library'] },
        { host: 'ghcr.io', namespaces: 'octo' },
      ],
      tagOrder: 'recent',
    });
    assert.deepEqual(settings.registries, [
      { host: 'docker.io', namespaces: ['acme', 'library'] },
      { host: 'ghcr.io' },
    ]);
    assert.equal(settings.tagOrder, 'recent');
  });

  it('keeps allowCredentialsOverHttp only when it is exactly true', () => {
    const settings = normaliseSettings({
      registries: [
        { host: 'lan:5000', plainHttp: true, allowCredentialsOverHttp: true },
        { host: 'other:5000', allowCredentialsOverHttp: 'yes' },
      ],
    });
    assert.deepEqual(settings.registries, [
      { host: 'lan:5000', plainHttp: true, allowCredentialsOverHttp: true },
      { host: 'other:5000' },
    ]);
  });

  it('falls back to defaults for values of the wrong type or range', () => {
    const settings = normaliseSettings({
      concurrency: -2,
      pageSize: 5000,
      verboseHttpLog: 'yes',
      tagOrder: 'random',
      layouts: ['', 'a', 7],
    });
    assert.equal(settings.concurrency, DEFAULT_SETTINGS.concurrency);
    assert.equal(settings.pageSize, 1000);
    assert.equal(settings.verboseHttpLog, DEFAULT_SETTINGS.verboseHttpLog);
    assert.equal(settings.tagOrder, 'semver');
    assert.deepEqual(settings.layouts, ['a']);
  });

  it("reads stowage.limits.* in MiB and seconds into the engine's bytes and milliseconds, defaults for the rest", () => {
    const settings = normaliseSettings({
      limits: { maxPages: 50, maxListingMiB: 8, maxResponseMiB: 2, requestTimeoutSeconds: 5, maxItems: -1 },
    });
    assert.deepEqual(settings.limits, {
      maxPages: 50,
      maxItems: DEFAULT_SETTINGS.limits.maxItems,
      maxListingBytes: 8 * 1024 * 1024,
      maxResponseBytes: 2 * 1024 * 1024,
      requestTimeoutMs: 5000,
    });
    assert.deepEqual(normaliseSettings({}).limits, DEFAULT_SETTINGS.limits);
  });

  it('reduces pasted URLs to the host and port', () => {
    assert.equal(normaliseHost(' https://Registry.Example:5000/v2/ '), 'registry.example:5000');
  });
});
