// The CLI's V8 code cache (src/cli/codeCache.ts), in real Node processes: written on the first run, used on the
// next, never used for another bundle of the same length (V8 alone would accept it), and no failure where it
// cannot be written.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { codeCacheCommands, codeCacheFile, commandOf } from '../../../src/cli/codeCache';

const CODE_CACHE_MODULE = path.resolve(__dirname, '../../../src/cli/codeCache.js');

/**
 * A bundle as esbuild.js writes the CLI's: the module's function, using what a CommonJS module gets (require,
 * module, __dirname), printing what it computed.
 */
function bundleSource(word: string): string {
  const body = Array.from({ length: 200 }, (_, i) => `function f${i}(x) { return x + ${i}; }`).join('\n');
  return `(function (exports, require, module, __filename, __dirname) {
${body}
const path = require('node:path');
module.exports.value = f199(1);
process.stdout.write(JSON.stringify({ word: '${word}', sum: f10(f20(0)), dir: path.basename(__dirname) }) + '\\n');
})`;
}

/** Runs the bundle through the cache in a fresh process: what it printed and whether the cache was used. */
function run(
  bundle: string,
  command = 'tags',
): { printed: { word: string; sum: number; dir: string }; cached: boolean } {
  const script = `const used = require(${JSON.stringify(CODE_CACHE_MODULE)}).runWithCodeCache(${JSON.stringify(bundle)}, ${JSON.stringify(command)});
process.stdout.write(JSON.stringify({ cached: used }) + '\\n');`;
  const [printed, cached] = execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }).trim().split('\n');
  return { printed: JSON.parse(printed!), cached: JSON.parse(cached!).cached };
}

describe('the CLI code cache', () => {
  let dir: string;
  let bundle: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stowage-code-cache-'));
    bundle = path.join(dir, 'cliMain.js');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('is written by the first run and used by the next, which runs the same module', () => {
    fs.writeFileSync(bundle, bundleSource('alpha'));
    const first = run(bundle);
    assert.equal(first.cached, false);
    assert.deepEqual(first.printed, { word: 'alpha', sum: 30, dir: path.basename(dir) });
    assert.ok(fs.statSync(codeCacheFile(bundle)).size > 32, 'no cache written');
    const second = run(bundle);
    assert.equal(second.cached, true);
    assert.deepEqual(second.printed, first.printed);
    assert.deepEqual(
      fs.readdirSync(dir).filter((f) => f.endsWith('.tmp')),
      [],
    );
  });

  it('ignores the cache of another bundle of the same length, and replaces it', () => {
    fs.writeFileSync(bundle, bundleSource('alpha'));
    run(bundle);
    const stale = fs.readFileSync(codeCacheFile(bundle));
    fs.writeFileSync(bundle, bundleSource('omega')); // same length, other code
    const changed = run(bundle);
    assert.equal(changed.cached, false);
    assert.equal(changed.printed.word, 'omega');
    assert.notDeepEqual(fs.readFileSync(codeCacheFile(bundle)), stale);
    assert.equal(run(bundle).cached, true);
  });

  it('learns each new command once: a cache made by one command is written again by the first run of another', () => {
    fs.writeFileSync(bundle, bundleSource('alpha'));
    run(bundle, 'push');
    assert.deepEqual(codeCacheCommands(bundle), ['push']);
    const pushOnly = fs.readFileSync(codeCacheFile(bundle));
    assert.equal(run(bundle, 'tags').cached, true, 'the push cache serves tags too');
    assert.deepEqual(codeCacheCommands(bundle), ['push', 'tags']);
    assert.notDeepEqual(fs.readFileSync(codeCacheFile(bundle)), pushOnly);
    const both = fs.statSync(codeCacheFile(bundle)).mtimeMs;
    assert.equal(run(bundle, 'push').cached, true);
    assert.equal(run(bundle, 'tags').cached, true);
    assert.equal(fs.statSync(codeCacheFile(bundle)).mtimeMs, both, 'known commands do not write it again');
  });

  it('ignores a cache damaged on disk (V8 would end the process on it) and writes it anew', () => {
    fs.writeFileSync(bundle, bundleSource('alpha'));
    run(bundle);
    const good = fs.readFileSync(codeCacheFile(bundle));
    const damaged = Buffer.from(good);
    // Past the header and the command list: inside V8's own data, which V8 checks only by version, flags and length.
    for (let i = Math.floor(damaged.length / 2); i < Math.floor(damaged.length / 2) + 64; i++) damaged[i]! ^= 0xff;
    fs.writeFileSync(codeCacheFile(bundle), damaged);
    const result = run(bundle);
    assert.equal(result.cached, false);
    assert.equal(result.printed.word, 'alpha');
    assert.equal(run(bundle).cached, true, 'written anew');
  });

  it('learns a help line apart from its command, and a line with no command at all', () => {
    const line = (...args: string[]) => commandOf(['node', 'cli.js', ...args]);
    assert.equal(line('tags', 'localhost:5000/a', '--plain-http'), 'tags');
    assert.equal(line('tags', '--help'), 'tags --help');
    assert.equal(line('--help'), 'stowage --help');
    assert.equal(line('-h'), 'stowage --help');
    assert.equal(line('--version'), 'stowage');
    assert.equal(line(), 'stowage');
    assert.equal(line('Not/A-Command'), undefined);
  });

  it('is not read through a link, nor when someone who may not write the bundle could have written it', () => {
    fs.writeFileSync(bundle, bundleSource('alpha'));
    fs.chmodSync(bundle, 0o644);
    const cacheFile = codeCacheFile(bundle);
    run(bundle);
    assert.equal(run(bundle).cached, true);
    // A valid cache planted as a link (a shared folder where anyone may add files): not followed, written anew.
    const planted = path.join(dir, 'planted.cache');
    fs.renameSync(cacheFile, planted);
    fs.symlinkSync(planted, cacheFile);
    assert.equal(run(bundle).cached, false, 'read through a link');
    assert.ok(!fs.lstatSync(cacheFile).isSymbolicLink(), 'the link is replaced by a cache of its own');
    assert.equal(run(bundle).cached, true);
    // Writable by group or others while the bundle is not: anyone of them could have put their code in it.
    fs.chmodSync(cacheFile, 0o666);
    assert.equal(run(bundle).cached, false, 'a cache others may write is used');
    assert.equal(fs.statSync(cacheFile).mode & 0o077, 0o044, 'written anew writable by its owner alone');
    assert.equal(run(bundle).cached, true);
    // Owned by another user, who is neither the bundle's owner nor this one (only root may make such a file).
    if (process.getuid?.() === 0) {
      fs.chownSync(cacheFile, 65534, 65534);
      assert.equal(run(bundle).cached, false, 'a cache of another user is used');
    }
  });

  it('runs without a cache where none can be written', () => {
    fs.writeFileSync(bundle, bundleSource('alpha'));
    // A folder where the cache file would go: neither readable as a cache nor replaceable (even for root).
    fs.mkdirSync(codeCacheFile(bundle));
    for (let i = 0; i < 2; i++) {
      const result = run(bundle);
      assert.equal(result.cached, false);
      assert.equal(result.printed.word, 'alpha');
    }
    assert.ok(fs.statSync(codeCacheFile(bundle)).isDirectory());
    assert.deepEqual(
      fs.readdirSync(dir).filter((f) => f.endsWith('.tmp')),
      [],
    );
  });
});
