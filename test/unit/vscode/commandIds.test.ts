// The editor's commands come from one list: the manifest contributes exactly the ids the extension registers
// (internal ones excepted, by name), and its menus name only those.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { COMMAND_IDS, INTERNAL_COMMAND_IDS } from '../../../src/vscode/commandIds';

const ROOT = path.resolve(__dirname, '../../../..');
const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  contributes: { commands: { command: string }[]; menus: Record<string, { command?: string }[]> };
};

const sorted = (ids: Iterable<string>) => [...ids].sort();

describe('command ids', () => {
  it('lists each command once', () => {
    assert.equal(new Set(COMMAND_IDS).size, COMMAND_IDS.length);
  });

  it('are exactly the commands package.json contributes, apart from the internal ones', () => {
    const contributed = manifest.contributes.commands.map((c) => c.command);
    assert.equal(new Set(contributed).size, contributed.length, 'package.json contributes a command twice');
    assert.deepEqual(sorted(contributed), sorted(COMMAND_IDS.filter((id) => !INTERNAL_COMMAND_IDS.has(id))));
  });

  it('are the only commands the manifest menus name', () => {
    const known = new Set<string>(COMMAND_IDS);
    const unknown = Object.entries(manifest.contributes.menus).flatMap(([menu, items]) =>
      items.filter((item) => item.command && !known.has(item.command)).map((item) => `${menu}: ${item.command}`),
    );
    assert.deepEqual(unknown, []);
  });
});
