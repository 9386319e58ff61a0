import * as assert from 'node:assert/strict';
import { formatReference, hostProblem, parseReference, type Reference } from '../../src/core/oci/reference';
import { apiHost as registryApiHost } from '../../src/core/registry/registryConfig';
import { InvalidReferenceError, OciError } from '../../src/core/oci/errors';

const D = `sha256:${'a'.repeat(64)}`;
const D512 = `sha512:${'b'.repeat(128)}`;

const valid: [string, Reference][] = [
  ['alpine', { kind: 'registry', host: 'docker.io', repository: 'library/alpine' }],
  ['alpine:3.19', { kind: 'registry', host: 'docker.io', repository: 'library/alpine', tag: '3.19' }],
  [`alpine@${D}`, { kind: 'registry', host: 'docker.io', repository: 'library/alpine', digest: D }],
  [`alpine:3@${D}`, { kind: 'registry', host: 'docker.io', repository: 'library/alpine', tag: '3', digest: D }],
  ['user/app', { kind: 'registry', host: 'docker.io', repository: 'user/app' }],
  ['docker.io/alpine', { kind: 'registry', host: 'docker.io', repository: 'library/alpine' }],
  ['index.docker.io/user/app:v1', { kind: 'registry', host: 'docker.io', repository: 'user/app', tag: 'v1' }],
  ['docker://ghcr.io/o/r:t', { kind: 'registry', host: 'ghcr.io', repository: 'o/r', tag: 't' }],
  ['ghcr.io/owner/repo:v1', { kind: 'registry', host: 'ghcr.io', repository: 'owner/repo', tag: 'v1' }],
  ['ghcr.io/single', { kind: 'registry', host: 'ghcr.io', repository: 'single' }],
  ['localhost/repo', { kind: 'registry', host: 'localhost', repository: 'repo' }],
  ['localhost:5000/a/b/c:latest', { kind: 'registry', host: 'localhost:5000', repository: 'a/b/c', tag: 'latest' }],
  ['127.0.0.1:5000/demo', { kind: 'registry', host: '127.0.0.1:5000', repository: 'demo' }],
  ['[::1]:5000/demo:x', { kind: 'registry', host: '[::1]:5000', repository: 'demo', tag: 'x' }],
  ['[2001:db8::1]/demo', { kind: 'registry', host: '[2001:db8::1]', repository: 'demo' }],
  ['Example.COM/r', { kind: 'registry', host: 'Example.COM', repository: 'r' }],
  [
    'my-registry.example.com:443/team/app',
    { kind: 'registry', host: 'my-registry.example.com:443', repository: 'team/app' },
  ],
  ['r.io/a.b/c_d/e__f/g-h/i---j', { kind: 'registry', host: 'r.io', repository: 'a.b/c_d/e__f/g-h/i---j' }],
  ['r.io/repo:_tag', { kind: 'registry', host: 'r.io', repository: 'repo', tag: '_tag' }],
  ['r.io/repo:V1.0-rc_1', { kind: 'registry', host: 'r.io', repository: 'repo', tag: 'V1.0-rc_1' }],
  [`r.io/repo:${'t'.repeat(128)}`, { kind: 'registry', host: 'r.io', repository: 'repo', tag: 't'.repeat(128) }],
  [
    `r.io/repo:sha256-${'a'.repeat(64)}`,
    { kind: 'registry', host: 'r.io', repository: 'repo', tag: `sha256-${'a'.repeat(64)}` },
  ],
  [`r.io/repo@${D512}`, { kind: 'registry', host: 'r.io', repository: 'repo', digest: D512 }],
  [`r.io/${'a'.repeat(255)}`, { kind: 'registry', host: 'r.io', repository: 'a'.repeat(255) }],
  ['oci:/tmp/layout', { kind: 'layout', path: '/tmp/layout' }],
  ['oci:/tmp/layout:v1', { kind: 'layout', path: '/tmp/layout', tag: 'v1' }],
  [`oci:/tmp/layout@${D}`, { kind: 'layout', path: '/tmp/layout', digest: D }],
  [`oci:/tmp/layout:v1@${D}`, { kind: 'layout', path: '/tmp/layout', tag: 'v1', digest: D }],
  ['oci:relative/dir:t', { kind: 'layout', path: 'relative/dir', tag: 't' }],
  ['oci:.', { kind: 'layout', path: '.' }],
  ['oci:C:\\x\\y:tag', { kind: 'layout', path: 'C:\\x\\y', tag: 'tag' }],
  ['oci:C:\\x\\y', { kind: 'layout', path: 'C:\\x\\y' }],
  ['oci:d:/x/y', { kind: 'layout', path: 'd:/x/y' }],
  ['oci:/a:b/c', { kind: 'layout', path: '/a:b/c' }],
  ['oci:/data/a:b:latest', { kind: 'layout', path: '/data/a:b', tag: 'latest' }],
  ['oci:/data/a:b', { kind: 'layout', path: '/data/a', tag: 'b' }],
  ['oci:/home/me@work/layout:v2', { kind: 'layout', path: '/home/me@work/layout', tag: 'v2' }],
  [`oci:/l:sha256-${'c'.repeat(64)}`, { kind: 'layout', path: '/l', tag: `sha256-${'c'.repeat(64)}` }],
];

const invalid: [string, RegExp][] = [
  ['', /empty/],
  ['Alpine', /must be lowercase/],
  ['r.io/Team/app', /must be lowercase \("Team"/],
  ['r.io/a//b', /empty path component/],
  ['r.io/a/', /empty path component/],
  ['r.io/', /repository name is empty/],
  ['r.io/-a', /path component "-a" is invalid/],
  ['r.io/a-', /path component "a-" is invalid/],
  ['r.io/a..b', /path component "a..b" is invalid/],
  ['r.io/a___b', /path component "a___b" is invalid/],
  ['r.io/a+b', /path component "a\+b" is invalid/],
  [`r.io/${'a'.repeat(256)}`, /256 characters long; at most 255/],
  ['r.io/repo:', /tag is empty/],
  ['r.io/repo:-x', /must start with a letter, digit or "_"/],
  ['r.io/repo:.x', /must start with a letter, digit or "_"/],
  ['r.io/repo:a+b', /may contain only letters/],
  [`r.io/repo:${'t'.repeat(129)}`, /129 characters long; at most 128/],
  ['r.io/repo@sha256:abc', /digest "sha256:abc" after "@" is invalid: .*64 hex/],
  [`r.io/repo@md5:${'a'.repeat(32)}`, /unsupported algorithm "md5"/],
  [`r.io/repo@sha256:${'A'.repeat(64)}`, /lowercase hex/],
  ['r.io/repo@', /digest "" after "@" is invalid/],
  [`@${D}`, /repository name before "@" is missing/],
  ['r.io/re po', /whitespace or control characters/],
  ['r.io/repo\u0000', /whitespace or control characters/],
  // A URL pasted from a browser: the reference it meant, written out.
  ['https://127.0.0.1:5000/demo/docs', /not a URL: write "127\.0\.0\.1:5000\/demo\/docs" without "https:\/\/"$/],
  ['http://r.io/team/app:v1/', /not a URL: write "r\.io\/team\/app:v1" without "http:\/\/"; plain HTTP is a setting/],
  ['host:port/repo', /host "host:port" is not a host name/],
  ['localhost:99999/repo', /port 99999 .* outside 1-65535/],
  ['-bad.io/repo', /host "-bad.io" is not a host name/],
  ['[zz::1]/repo', /host "\[zz::1\]" is not a host name/],
  ['a:b:c', /path component "a:b" is invalid/],
  ['oci:', /layout path is empty/],
  ['oci::tag', /layout path is empty/],
  ['oci:/x:', /tag is empty.*explicit ":tag"/],
  ['oci:/x:bad tag', /may contain only letters.*explicit ":tag"/],
  ['oci:/x@sha256:123', /digest "sha256:123" after "@" is invalid/],
  ['oci:/x\u0007:t', /control characters/],
  // "@" then no registry host: a digest gone wrong, not a sign-in ("log in …" sent the user the wrong way).
  ['app@x/y', /digest "x\/y" after "@" is invalid/],
  ['team/app@sha256/abc', /digest "sha256\/abc" after "@" is invalid/],
];

describe('reference', () => {
  for (const [input, expected] of valid) {
    it(`parses ${JSON.stringify(input)} to ${formatReference(expected)}`, () => {
      assert.deepEqual(parseReference(input), expected);
    });
  }

  for (const [input, message] of invalid) {
    it(`refuses ${JSON.stringify(input)} saying ${message.source}`, () => {
      assert.throws(
        () => parseReference(input),
        (e: unknown) =>
          OciError.is(e, 'INVALID_REFERENCE') && message.test(e.message) && e.message.includes(`"${input}"`),
      );
    });
  }

  // A sign-in pasted with the reference (a URL's user information) goes to terminals, logs and JSON in the error.
  for (const [input, meant] of [
    ['https://alice:s3cret@registry.example.com/team/app:v1', 'registry.example.com/team/app:v1'],
    ['http://alice:s3cret@127.0.0.1:5000/', '127.0.0.1:5000'],
    ['oras://alice:s3cret@r.io/team/app@sha256:' + 'a'.repeat(64), `r.io/team/app@sha256:${'a'.repeat(64)}`],
    ['alice:s3cret@registry.example.com/team/app:v1', 'registry.example.com/team/app:v1'],
    ['docker://alice:s3cret@r.io/team/app', 'r.io/team/app'],
  ] as const) {
    it(`refuses ${JSON.stringify(input)} without echoing its password, naming "${meant}"`, () => {
      assert.throws(
        () => parseReference(input),
        (e: unknown) =>
          OciError.is(e, 'INVALID_REFERENCE') &&
          !/s3cret|alice/.test(e.message) &&
          !/s3cret/.test((e as InvalidReferenceError).input) &&
          e.message.includes(
            `no user name or password (left out here): log in to the registry instead, and write "${meant}"`,
          ),
      );
    });
  }

  it('refuses "alice:s3cret@x/y" as a bad digest ("x" is no registry host), still without echoing what is before "@"', () => {
    assert.throws(
      () => parseReference('alice:s3cret@x/y'),
      (e: unknown) =>
        OciError.is(e, 'INVALID_REFERENCE') &&
        !/s3cret|alice|log in/.test(e.message) &&
        (e as InvalidReferenceError).input === '…@x/y' &&
        /digest "x\/y" after "@" is invalid/.test(e.message),
    );
  });

  // Passwords and tokens hold "/" (base64) and "@", and a sign-in can come without a repository: still never echoed.
  for (const input of [
    'alice:s3/cret@registry.example.com/team/app:v1',
    'https://alice:s3/cret@registry.example.com/team/app',
    'alice:p@s3cret@registry.example.com/team/app',
    'alice:s3cret@registry.example.com',
    'alice:s3cret@localhost:5000',
  ]) {
    it(`refuses ${JSON.stringify(input)} without echoing any part of its password`, () => {
      assert.throws(
        () => parseReference(input),
        (e: unknown) =>
          OciError.is(e, 'INVALID_REFERENCE') &&
          !/s3|cret|alice|p@/.test(e.message) &&
          !/s3|cret/.test((e as InvalidReferenceError).input),
      );
    });
  }

  it('still echoes a reference whose digest is wrong in full (no sign-in in it)', () => {
    assert.throws(
      () => parseReference('r.io:5000/team/app@sha256:abc'),
      (e: unknown) => (e as InvalidReferenceError).input === 'r.io:5000/team/app@sha256:abc',
    );
  });

  it('says what is wrong with a host written with a sign-in without echoing it', () => {
    const problem = hostProblem('alice:s3cret@registry.example.com:5000');
    assert.ok(problem && !/alice|s3cret/.test(problem), problem);
    assert.match(problem, /"registry\.example\.com:5000" is written with a user name or password before "@"/);
  });

  it('formats every valid reference so that it parses back to the same thing', () => {
    for (const [, ref] of valid) assert.deepEqual(parseReference(formatReference(ref)), ref, formatReference(ref));
  });

  it('writes Docker Hub references in full and talks to registry-1.docker.io for them', () => {
    assert.equal(formatReference(parseReference('alpine:3')), 'docker.io/library/alpine:3');
    assert.equal(registryApiHost('docker.io'), 'registry-1.docker.io');
    assert.equal(registryApiHost('index.docker.io'), 'registry-1.docker.io');
    assert.equal(registryApiHost('localhost:5000'), 'localhost:5000');
  });
});
