import * as assert from 'node:assert/strict';
import { COMMAND_ENTRIES, findCommand } from '../../../src/cli/commands';

describe('CLI command index', () => {
  it('names each command and alias as the command it loads does', () => {
    for (const entry of COMMAND_ENTRIES) {
      const command = entry.load();
      assert.equal(command.name, entry.name);
      assert.deepEqual(command.aliases ?? [], entry.aliases ?? [], entry.name);
    }
  });

  it('finds a command by an alias and nothing for an unknown name', () => {
    assert.equal(findCommand('cp')?.name, 'copy');
    assert.equal(findCommand('nope'), undefined);
  });
});
