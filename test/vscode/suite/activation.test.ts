// Runs first (files run in name order): opening a JSON file activates Stowage for linting only. Diagnostics
// appear; stores, secrets and trees wait until a view, command or document needs them. The activation time is
// written to test-results/vscode/activation.json (a measurement for the README, not a timed assertion).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { StowageTestApi } from '../../../src/vscode/testApi';
import { waitFor } from './helpers/stowage';

const RESULT = path.resolve(__dirname, '../../../../test-results/vscode/activation.json');

describe('Activation', () => {
  it('opening a JSON file starts only the linter; the first command loads the rest', async () => {
    const extension = vscode.extensions.getExtension<StowageTestApi>('stowage.stowage')!;
    // Files run in name order and this one sorts first: nothing may have loaded the workbench yet.
    assert.ok(
      !(extension.isActive && extension.exports.activation().workbenchLoaded),
      'the workbench was loaded before this test: it must run first in the extension host (a fresh window)',
    );

    const manifest = {
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.empty.v1+json', digest: 'sha256:not-a-digest', size: 2 },
      layers: [],
    };
    // The linter reads files (and stowage: documents), as a user opens them.
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'stowage-activation-')), 'manifest.json');
    fs.writeFileSync(file, JSON.stringify(manifest, null, 2));
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    await vscode.window.showTextDocument(document);
    await waitFor('Stowage activated by the JSON document', () => extension.isActive);
    await waitFor('a lint diagnostic on the bad digest', () =>
      vscode.languages
        .getDiagnostics(document.uri)
        .some((d) => d.source?.toLowerCase().includes('stowage') || /digest/i.test(d.message)),
    );
    const api = extension.exports;
    const lintOnly = api.activation();
    assert.equal(lintOnly.workbenchLoaded, false, 'linting a JSON file loaded stores and trees');

    assert.match(String(await vscode.commands.executeCommand('stowage.about')), /^\d+\.\d+\.\d+/);
    const full = api.activation();
    assert.equal(full.workbenchLoaded, true);
    fs.mkdirSync(path.dirname(RESULT), { recursive: true });
    fs.writeFileSync(RESULT, `${JSON.stringify(full, null, 2)}\n`);
    console.log(
      `    activation (lint only): ${full.activationMs.toFixed(1)} ms; workbench load on first use: ${full.workbenchLoadMs?.toFixed(0)} ms`,
    );
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});
