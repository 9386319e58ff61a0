import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { SBOM_TOOL_VERSION } from '../../src/core/sbom/tool';
import { SIGNING_AGENT } from '../../src/core/sign';
import { cli } from '../helpers/runCli';

// The tests run compiled, from out/test/unit/.
const packageVersion = (
  JSON.parse(readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8')) as { version: string }
).version;

describe('Stowage version', () => {
  it("is package.json's version everywhere it is written: --version, version, the signing agent, SBOM tool entries", async () => {
    const run = await cli(['--version']);
    assert.equal(run.stdout, `${packageVersion}\n`);
    // `stowage version` as `oras version` shows it: the version, then what it runs on.
    const long = await cli(['version']);
    assert.match(
      long.stdout,
      new RegExp(
        `^Version: +${packageVersion.replace(/\./g, '\\.')}\nNode\\.js: +v\\d+\\.\\d+\\.\\d+\nOS/Arch: +\\w+/\\w+\n$`,
      ),
    );
    assert.equal(SIGNING_AGENT, `Stowage/${packageVersion}`);
    assert.equal(SBOM_TOOL_VERSION, packageVersion);
  });

  it('is a command of the table: `stowage --help` lists it, `version --help` explains it, completion offers it', async () => {
    const help = await cli(['--help']);
    assert.match(help.stdout, /^ {2}version +print the version/m);
    const own = await cli(['version', '--help']);
    assert.equal(own.code, 0);
    assert.match(own.stdout, /^Usage: stowage version/);
    assert.doesNotMatch(own.stdout, /^Version:/m, 'help, not the version');
    const completion = await cli(['completion', 'bash']);
    assert.match(completion.stdout, /compgen -W "[^"]* version[ "]/);
  });
});
