import * as assert from 'node:assert/strict';
import { COMMANDS } from '../../../src/cli/commands';
import { cli } from '../../helpers/runCli';

describe('CLI help', () => {
  it('answers --help and -h on every command and alias with its usage on stdout and exit 0', async () => {
    for (const command of COMMANDS) {
      for (const name of [command.name, ...(command.aliases ?? [])]) {
        for (const flag of ['--help', '-h']) {
          const run = await cli([name, flag]);
          assert.equal(run.code, 0, `stowage ${name} ${flag}: ${run.stderr}`);
          assert.match(run.stdout, new RegExp(`^Usage: stowage ${command.name}`), `stowage ${name} ${flag}`);
          assert.equal(run.stderr, '', `stowage ${name} ${flag}`);
        }
      }
    }
  });
});
