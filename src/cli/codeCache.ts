// Loads the CLI's bundle through a V8 code cache kept beside it (`<bundle>.cache`): compiling the 1.9 MB bundle
// and the functions a command calls is a good share of every start-up, and V8 can skip it when it is handed the
// code it compiled last time. Node 20 has no compile cache of its own (module.enableCompileCache is Node 22).
//
// The cache is V8's alone to judge (it rejects data from another V8 version or other flags), but V8 checks the
// source only by its length: so the file starts with the SHA-256 of the bundle it was made from, and a cache of
// any other bundle is ignored. A missing or rejected cache is written at exit (temp file, then rename, so
// concurrent runs never read half a file); where the folder is not writable (a system-wide install), nothing is
// cached and nothing fails.
import { createHash } from 'node:crypto';
import { isAscii } from 'node:buffer';
import * as fs from 'node:fs';
import Module from 'node:module';
import * as path from 'node:path';
import * as vm from 'node:vm';

const HASH_BYTES = 32;

/** The cache file of `bundle`. */
export function codeCacheFile(bundle: string): string {
  return `${bundle}.cache`;
}

/**
 * Runs `bundle` as a CommonJS module, compiled from its code cache when that fits (then true). The bundle is the
 * module's function expression itself, `(function (exports, require, module, __filename, __dirname) {…})` (see
 * esbuild.js): compiled as it is, its source is held once, as one byte per character when it is ASCII.
 */
export function runWithCodeCache(bundle: string): boolean {
  const bytes = fs.readFileSync(bundle);
  const hash = createHash('sha256').update(bytes).digest();
  const source = isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
  const cacheFile = codeCacheFile(bundle);
  const cachedData = readCache(cacheFile, hash);
  const script = new vm.Script(source, { filename: bundle, cachedData });
  if (!cachedData || script.cachedDataRejected)
    // At exit the cache also holds the functions this run compiled, not only the top level.
    process.once('exit', () => writeCache(cacheFile, hash, script));
  const module = new Module(bundle);
  module.filename = bundle;
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  wrapper.call(module.exports, module.exports, Module.createRequire(bundle), module, bundle, path.dirname(bundle));
  return cachedData !== undefined && !script.cachedDataRejected;
}

function readCache(file: string, hash: Buffer): Buffer | undefined {
  try {
    const data = fs.readFileSync(file);
    return data.length > HASH_BYTES && data.subarray(0, HASH_BYTES).equals(hash)
      ? data.subarray(HASH_BYTES)
      : undefined;
  } catch {
    return undefined;
  }
}

function writeCache(file: string, hash: Buffer, script: vm.Script): void {
  const temp = `${file}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(temp, Buffer.concat([hash, script.createCachedData()]), { flag: 'wx' });
    fs.renameSync(temp, file);
  } catch {
    // Not writable (an install owned by another user) or full: the next run compiles as usual.
    fs.rmSync(temp, { force: true });
  }
}
