// Loads the CLI's bundle through a V8 code cache kept beside it (`<bundle>.cache`): compiling the 1.9 MB bundle
// and the functions a command calls is a good share of every start-up, and V8 can skip it when it is handed the
// code it compiled last time. Node 20 has no compile cache of its own (module.enableCompileCache is Node 22).
//
// V8 judges a cache by its version, flags and the source's length alone: it neither compares the source nor checks
// the data, and damaged data of the right version ends the process in a V8 fatal error on every run. So the file
// starts with the SHA-256 of the bundle it was made from and of everything after those 32 bytes: a cache of any
// other bundle, or one damaged on disk, is ignored (and written anew). It also lists the commands whose functions
// it holds: a command not yet among them (the first `tags` after a `push`, say) writes it again at exit with its
// own functions added, so the cache ends up covering every command used, whichever ran first (a `tags` through a
// cache made by `push` compiled ~8 ms more). A missing or rejected cache is written at exit too (temp file, then rename, so concurrent runs never
// read half a file); where the folder is not writable (a system-wide install), nothing is cached and nothing fails.
//
// The hash says which bundle a cache belongs to, not who wrote it, and a cache is code this process runs: one is
// read only when nobody could have written it who could not have written the bundle too (its owner is the
// bundle's or this user, it is no more writable by group or others than the bundle is, and it is no link). A
// shared folder where others may add files (a sticky, world-writable prefix) cannot hand every user its code.
import { createHash, type Hash } from 'node:crypto';
import { isAscii } from 'node:buffer';
import * as fs from 'node:fs';
import Module from 'node:module';
import * as path from 'node:path';
import * as vm from 'node:vm';

const HASH_BYTES = 32;
/** Changes the hash of every bundle when the file's layout changes, so a cache in an older layout is rejected. */
const FORMAT = 'stowage-code-cache-3';
/** Commands a cache records at most: past that (odd first arguments), it is no longer rewritten. */
const MAX_COMMANDS = 40;
const COMMAND_NAME = /^[a-z][a-z-]{0,31}$/;

interface CodeCache {
  commands: string[];
  data: Buffer;
}

/** The cache file of `bundle`. */
export function codeCacheFile(bundle: string): string {
  return `${bundle}.cache`;
}

/**
 * Runs `bundle` as a CommonJS module, compiled from its code cache when that fits (then true). The bundle is the
 * module's function expression itself, `(function (exports, require, module, __filename, __dirname) {…})` (see
 * esbuild.js): compiled as it is, its source is held once, as one byte per character when it is ASCII.
 */
export function runWithCodeCache(bundle: string, command = commandOf(process.argv)): boolean {
  const bytes = fs.readFileSync(bundle);
  const bundleHash = createHash('sha256').update(bytes).update(FORMAT);
  const source = isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
  const cacheFile = codeCacheFile(bundle);
  const cache = readCache(cacheFile, bundleHash, fs.statSync(bundle));
  const script = new vm.Script(source, { filename: bundle, cachedData: cache?.data });
  const used = cache !== undefined && !script.cachedDataRejected;
  const commands = used ? cache.commands : [];
  const learns = command !== undefined && !commands.includes(command) && commands.length < MAX_COMMANDS;
  if (!used || learns) {
    // At exit the cache also holds the functions this run compiled, not only the top level.
    const recorded = learns ? [...commands, command] : commands;
    process.once('exit', () => writeCache(cacheFile, bundleHash, recorded, script));
  }
  const module = new Module(bundle);
  module.filename = bundle;
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  wrapper.call(module.exports, module.exports, Module.createRequire(bundle), module, bundle, path.dirname(bundle));
  return used;
}

/** The commands whose functions the cache of `bundle` holds (tests). */
export function codeCacheCommands(bundle: string): string[] {
  const bundleHash = createHash('sha256').update(fs.readFileSync(bundle)).update(FORMAT);
  return readCache(codeCacheFile(bundle), bundleHash, fs.statSync(bundle))?.commands ?? [];
}

/**
 * What a CLI line runs, as the cache lists it: its first word that is not an option (`stowage` for none), when it
 * looks like a command name, and whether it asks for help. Each command loads its own modules (and the full
 * help all of them), so a line of each kind is learnt once: `stowage --help` learnt nothing and compiled every
 * command's modules on every run (~13 ms).
 */
export function commandOf(argv: readonly string[]): string | undefined {
  const args = argv.slice(2);
  const word = args.find((arg) => !arg.startsWith('-')) ?? 'stowage';
  if (!COMMAND_NAME.test(word)) return undefined;
  return args.includes('--help') || args.includes('-h') ? `${word} --help` : word;
}

/** `bundleHash` (the bundle and FORMAT so far) is copied, never finished: reading and writing both use it. */
function readCache(file: string, bundleHash: Hash, bundle: fs.Stats): CodeCache | undefined {
  try {
    const bytes = readTrusted(file, bundle);
    if (!bytes || bytes.length < HASH_BYTES + 4) return undefined;
    const hash = bundleHash.copy().update(bytes.subarray(HASH_BYTES)).digest();
    if (!bytes.subarray(0, HASH_BYTES).equals(hash)) return undefined;
    const listLength = bytes.readUInt32BE(HASH_BYTES);
    const dataStart = HASH_BYTES + 4 + listLength;
    const commands: unknown = JSON.parse(bytes.toString('utf8', HASH_BYTES + 4, dataStart));
    if (!Array.isArray(commands) || !commands.every((c) => typeof c === 'string') || dataStart >= bytes.length)
      return undefined;
    return { commands, data: bytes.subarray(dataStart) };
  } catch {
    return undefined;
  }
}

/** The file's bytes, if it is a file (not a link) that only those who may write the bundle could have written. */
function readTrusted(file: string, bundle: fs.Stats): Buffer | undefined {
  const fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0));
  try {
    const stats = fs.fstatSync(fd);
    if (!stats.isFile()) return undefined;
    // Windows has neither owners nor modes here: its folder's access list is what guards it.
    if (process.platform !== 'win32') {
      if (stats.uid !== bundle.uid && stats.uid !== process.getuid?.()) return undefined;
      if ((stats.mode & ~bundle.mode & 0o022) !== 0) return undefined;
    }
    return fs.readFileSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

function writeCache(file: string, bundleHash: Hash, commands: string[], script: vm.Script): void {
  const temp = `${file}.${process.pid}.tmp`;
  try {
    const list = Buffer.from(JSON.stringify(commands));
    const length = Buffer.alloc(4);
    length.writeUInt32BE(list.length);
    const body = Buffer.concat([length, list, script.createCachedData()]);
    const hash = bundleHash.copy().update(body).digest();
    // Writable by this user alone, whatever the umask lets group members write: see readTrusted.
    fs.writeFileSync(temp, Buffer.concat([hash, body]), { flag: 'wx', mode: 0o644 });
    fs.renameSync(temp, file);
  } catch {
    // Not writable (an install owned by another user) or full: the next run compiles as usual.
    fs.rmSync(temp, { force: true });
  }
}
