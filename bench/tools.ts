// The two contestants as command lines: Stowage's bundled CLI and skopeo, both against plain-HTTP registries.
import * as path from 'node:path';
import { measure, type Measured } from './measure';

// STOWAGE_BENCH_CLI runs another build (say, a copy made before a change) against the same registries.
export const CLI = process.env.STOWAGE_BENCH_CLI ?? path.resolve(__dirname, '..', '..', 'dist', 'cli.js');
export const SKOPEO = '/usr/bin/skopeo';

export function stowage(
  args: string[],
  options: { keepStdout?: boolean; firstOutput?: boolean } = {},
): Promise<Measured> {
  return measure(process.execPath, [CLI, ...args, '--plain-http'], options).then((m) => ({ ...m, tool: 'stowage' }));
}

/** `skopeo copy --preserve-digests` with TLS off for whichever side is a registry. */
export function skopeoCopy(src: string, dst: string): Promise<Measured> {
  const tls = [
    src.startsWith('docker://') ? '--src-tls-verify=false' : '',
    dst.startsWith('docker://') ? '--dest-tls-verify=false' : '',
  ].filter(Boolean);
  return measure(SKOPEO, ['copy', '--quiet', '--preserve-digests', ...tls, src, dst]);
}

export function skopeo(
  args: string[],
  options: { keepStdout?: boolean; firstOutput?: boolean } = {},
): Promise<Measured> {
  return measure(SKOPEO, args, options);
}

const CURL = '/usr/bin/curl';

/**
 * A blob upload with no client work at all: curl sends the file's bytes (POST, one PATCH, PUT ?digest=), hashing
 * nothing. What a registry takes to ingest them; no client can push faster than this.
 */
export function curlUpload(registryUrl: string, repository: string, file: string, digest: string): Promise<Measured> {
  const script = [
    'set -e',
    // The Location header of a response, absolute.
    'location() { l=$(tr -d "\\r" | sed -n "s/^[Ll]ocation: //p"); case "$l" in http*) echo "$l";; *) echo "$1$l";; esac; }',
    'loc=$(curl -sSf -X POST -H "content-length: 0" -D - -o /dev/null "$1/v2/$2/blobs/uploads/" | location "$1")',
    'loc=$(curl -sSf -X PATCH -H "content-type: application/octet-stream" -T "$3" -D - -o /dev/null "$loc" | location "$1")',
    'case "$loc" in *\\?*) sep="&";; *) sep="?";; esac',
    'curl -sSf -X PUT -H "content-length: 0" -o /dev/null "$loc${sep}digest=$4"',
  ].join('\n');
  return measure('/bin/sh', ['-c', script, 'sh', registryUrl, repository, file, digest]);
}

/** A blob download with no client work: curl writes the bytes to `file`, verifying nothing. */
export function curlDownload(registryUrl: string, repository: string, digest: string, file: string): Promise<Measured> {
  return measure(CURL, ['-sSf', '-o', file, `${registryUrl}/v2/${repository}/blobs/${digest}`]);
}

/**
 * A blob download by Node's HTTP client alone (undici, as Stowage's registry client uses it), the bytes thrown away
 * as they come, or hashed (SHA-256, on the reading thread) when `hash`: what a pull's reading costs before any
 * write, and with the digest check. Beside curl's time, they split a pull's time over curl's into its parts.
 */
export function nodeDownload(
  registryUrl: string,
  repository: string,
  digest: string,
  hash: boolean,
): Promise<Measured> {
  const script = [
    'const [undici, url, hash] = process.argv.slice(1);',
    "const h = hash === 'hash' ? require('node:crypto').createHash('sha256') : undefined;",
    'require(undici).request(url).then(async (res) => {',
    '  for await (const chunk of res.body) h?.update(chunk);',
    '  h?.digest();',
    '});',
  ].join('\n');
  const url = `${registryUrl}/v2/${repository}/blobs/${digest}`;
  return measure(process.execPath, ['-e', script, require.resolve('undici'), url, hash ? 'hash' : 'discard']);
}

/**
 * Node starting and doing nothing (`node -e 0`, the node that runs Stowage): what any CLI written for Node pays
 * before its first line of work, so no such CLI's whole command can be faster.
 */
export function nodeStartAlone(): Promise<Measured> {
  return measure(process.execPath, ['-e', '0']);
}

/**
 * SHA-256 of `file`'s bytes and nothing else (Node's OpenSSL, as Stowage hashes, 1 MiB reads): the check a verifying
 * client must make that `tar` does not, measured as a process of its own.
 */
export function hashAlone(file: string): Promise<Measured> {
  const script = [
    "const h = require('node:crypto').createHash('sha256');",
    "require('node:fs').createReadStream(process.argv[1], { highWaterMark: 1 << 20 })",
    "  .on('data', (c) => h.update(c)).on('end', () => h.digest());",
  ].join('\n');
  return measure(process.execPath, ['-e', script, file]);
}
