// Proves the lint rule that keeps the engine, CLI, protocol and webview free of the editor API.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { ESLint } from 'eslint';

const root = path.resolve(__dirname, '../../..');

describe('architecture lint rule', function () {
  this.timeout(60000);
  const eslint = new ESLint({ cwd: root });

  for (const file of ['src/core/probe.ts', 'src/cli/probe.ts', 'src/protocol/probe.ts', 'media/webview/probe.ts']) {
    it(`forbids importing vscode from ${file}`, async () => {
      const [result] = await eslint.lintText("import * as vscode from 'vscode';\nexport const x = vscode;\n", { filePath: path.join(root, file) });
      assert.ok(result!.messages.some((m) => m.ruleId === 'no-restricted-imports'), JSON.stringify(result!.messages));
      const [required] = await eslint.lintText("export const v = require('vscode');\n", { filePath: path.join(root, file) });
      assert.ok(required!.messages.some((m) => m.ruleId === 'no-restricted-syntax'), JSON.stringify(required!.messages));
    });
  }

  it('keeps the window\'s messages, picks and inputs to prompts.ts and markdown to safeMarkdown.ts (untrusted text)', async () => {
    for (const code of ["vscode.window.showErrorMessage('x');", "void vscode.window.showQuickPick([]);", 'export const m = new vscode.MarkdownString();']) {
      const [result] = await eslint.lintText(`import * as vscode from 'vscode';\n${code}\n`, { filePath: path.join(root, 'src/vscode/commands/probe.ts') });
      assert.ok(result!.messages.some((m) => m.ruleId === 'no-restricted-syntax'), `${code}: ${JSON.stringify(result!.messages)}`);
    }
  });

  it('allows importing vscode from src/vscode', async () => {
    const [result] = await eslint.lintText("import * as vscode from 'vscode';\nexport const x = vscode;\n", { filePath: path.join(root, 'src/vscode/probe.ts') });
    assert.deepEqual(result!.messages.filter((m) => m.ruleId?.startsWith('no-restricted')), []);
  });
});
