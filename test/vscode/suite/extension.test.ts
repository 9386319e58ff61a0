// Runs inside VS Code: the extension activates from its own manifest, its views are real workbench views and its
// commands work.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ScriptedPrompts } from './helpers/ScriptedPrompts';
import { answering, stowageApi } from './helpers/stowage';

const EXTENSION_ID = 'stowage.stowage';

function stowage(): vscode.Extension<unknown> {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(extension, `extension ${EXTENSION_ID} is not loaded`);
  return extension;
}

describe('Stowage extension', () => {
  before(async () => {
    await stowage().activate();
  });

  it('activates', () => {
    assert.equal(stowage().isActive, true);
  });

  it('is loaded from this checkout, with the manifest on disk', () => {
    const onDisk = JSON.parse(fs.readFileSync(path.join(stowage().extensionPath, 'package.json'), 'utf8'));
    assert.equal(onDisk.name, 'stowage');
    assert.equal(stowage().packageJSON.version, onDisk.version);
  });

  it('contributes the Registries and Image Layouts views to the Stowage container', () => {
    const views = stowage().packageJSON.contributes.views.stowage as { id: string; name: string }[];
    assert.deepEqual(
      views.map((view) => [view.id, view.name]),
      [
        ['stowage.registries', 'Registries'],
        ['stowage.layouts', 'Image Layouts'],
      ],
    );
  });

  it('shows both views in the workbench (their focus commands exist and run)', async () => {
    await vscode.commands.executeCommand('stowage.registries.focus');
    await vscode.commands.executeCommand('stowage.layouts.focus');
  });

  it('registers every command it contributes', async () => {
    const contributed = (stowage().packageJSON.contributes.commands as { command: string }[]).map((c) => c.command);
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(
      contributed.filter((id) => !registered.has(id)),
      [],
    );
  });

  it('registers no command of its own that it does not contribute (the ones VS Code makes for its views aside)', async () => {
    const manifest = stowage().packageJSON.contributes;
    const contributed = new Set((manifest.commands as { command: string }[]).map((c) => c.command));
    const viewIds = (manifest.views.stowage as { id: string }[]).map((view) => view.id);
    const ownedByViews = (id: string) => viewIds.some((view) => id.startsWith(`${view}.`));
    const registered = (await vscode.commands.getCommands(true)).filter((id) => id.startsWith('stowage.'));
    assert.deepEqual(
      registered.filter((id) => !contributed.has(id) && !ownedByViews(id)),
      [],
    );
  });

  it('reports a failing command in words through the shared handler, whichever part of the editor it belongs to', async () => {
    const prompts = new ScriptedPrompts();
    // A layout node without its store: the Validate Layout command (linting's own) fails on it.
    const result = await answering(await stowageApi(), prompts, () =>
      vscode.commands.executeCommand('stowage.lint.validateLayout', { type: 'layout' }),
    );
    assert.equal(result, undefined);
    assert.deepEqual(
      prompts.notifications.map((n) => n.severity),
      ['error'],
    );
    assert.match(prompts.notifications[0]!.message, /path/);
  });

  it('stowage.about runs and returns the extension version', async () => {
    const version = await vscode.commands.executeCommand<string>('stowage.about');
    assert.equal(version, stowage().packageJSON.version);
    assert.match(version, /^\d+\.\d+\.\d+/);
  });

  it('the refresh commands run without error', async () => {
    await vscode.commands.executeCommand('stowage.registries.refresh');
    await vscode.commands.executeCommand('stowage.layouts.refresh');
  });
});
