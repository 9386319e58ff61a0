// scripts/setup.js, which `npm test` runs first on a new machine: what a newcomer sees while Debian packages install.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const SETUP = path.resolve(__dirname, '../../../scripts/setup.js');
const isRoot = process.getuid?.() === 0;

describe('npm test set-up (scripts/setup.js)', () => {
  let dir: string;
  let tmp: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stowage-setup-test-'));
    tmp = path.join(dir, 'tmp');
    fs.mkdirSync(tmp);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** Runs setup.js with a PATH holding only a fake apt-get: every tool it looks for is missing. */
  function runWithFakeAptGet(
    script: string,
    as: { uid?: number; gid?: number } = {},
    // The install itself, which setup.js runs as root, is run directly: any user can test it.
    args: string[] = ['-e', `const s = require(${JSON.stringify(SETUP)}); s.installMissing(s.missingPackages());`],
  ): ReturnType<typeof spawnSync> {
    const bin = path.join(dir, 'bin');
    fs.mkdirSync(bin);
    fs.writeFileSync(path.join(bin, 'apt-get'), `#!/bin/sh\n${script}\n`, { mode: 0o755 });
    return spawnSync(process.execPath, args, {
      env: { PATH: bin, TMPDIR: tmp, HOME: dir },
      encoding: 'utf8',
      ...as,
    });
  }

  it('keeps apt-get’s progress out of the terminal and says what it installs', () => {
    const run = runWithFakeAptGet('i=0; while [ $i -lt 200 ]; do echo "Reading database ... $i%"; i=$((i+1)); done');
    const output = `${String(run.stdout)}${String(run.stderr)}`;
    assert.match(String(run.stdout), /stowage setup: installing .*docker-registry.* with apt-get/);
    assert.match(String(run.stdout), /stowage setup: installed in \d+ s/);
    assert.doesNotMatch(output, /Reading database/);
    // The fake installed nothing, so the check after the install says what is still missing.
    assert.equal(run.status, 1);
    assert.match(String(run.stderr), /still missing after install: docker-registry/);
    assert.deepEqual(fs.readdirSync(tmp), [], 'the log of a successful install is removed');
  });

  it('shows the end of apt-get’s output and where the whole log is when the install fails', () => {
    const run = runWithFakeAptGet(
      'echo "noise line"; [ "$1" = install ] && { echo "E: Unable to locate package umoci" >&2; exit 100; }; exit 0',
    );
    assert.equal(run.status, 1);
    const stderr = String(run.stderr);
    assert.match(stderr, /E: Unable to locate package umoci/);
    const log = /its whole output is in (\S+)$/m.exec(stderr)?.[1];
    assert.ok(log, stderr);
    assert.match(stderr, /apt-get install failed \(exit code 100\)/);
    assert.match(fs.readFileSync(log, 'utf8'), /\$ apt-get update -q\nnoise line\n\$ apt-get install/);
  });

  it('as a user who is not root, prints the apt-get command to run with sudo and installs nothing', () => {
    // Root runs it as nobody.
    const ran = path.join(dir, 'apt-get-ran');
    const run = runWithFakeAptGet(`touch ${ran}; exit 1`, isRoot ? { uid: 65534, gid: 65534 } : {}, [SETUP]);
    assert.equal(run.status, 1, String(run.stderr));
    assert.ok(!fs.existsSync(ran), 'apt-get was not run');
    assert.match(String(run.stderr), /Install them with:\n {2}sudo apt-get update && apt-get install -y/);
  });
});
