// The two contestants as command lines: Stowage's bundled CLI and skopeo, both against plain-HTTP registries.
import * as path from 'node:path';
import { measure, type Measured } from './measure';

// STOWAGE_BENCH_CLI runs another build (say, a copy made before a change) against the same registries.
export const CLI = process.env.STOWAGE_BENCH_CLI ?? path.resolve(__dirname, '..', '..', 'dist', 'cli.js');
export const SKOPEO = '/usr/bin/skopeo';

export function stowage(args: string[], options: { keepStdout?: boolean; firstOutput?: boolean } = {}): Promise<Measured> {
  return measure(process.execPath, [CLI, ...args, '--plain-http'], options);
}

/** `skopeo copy --preserve-digests` with TLS off for whichever side is a registry. */
export function skopeoCopy(src: string, dst: string): Promise<Measured> {
  const tls = [src.startsWith('docker://') ? '--src-tls-verify=false' : '', dst.startsWith('docker://') ? '--dest-tls-verify=false' : ''].filter(Boolean);
  return measure(SKOPEO, ['copy', '--quiet', '--preserve-digests', ...tls, src, dst]);
}

export function skopeo(args: string[], options: { keepStdout?: boolean; firstOutput?: boolean } = {}): Promise<Measured> {
  return measure(SKOPEO, args, options);
}
