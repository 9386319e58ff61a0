// Proves the lint rules of the architecture: the engine, CLI, protocol and webview stay free of the editor API,
// and the engine's packages import each other one way, through their index.ts only (DESIGN.md).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ESLint } from 'eslint';

const root = path.resolve(__dirname, '../../..');

describe('architecture lint rule', function () {
  this.timeout(60000);
  const eslint = new ESLint({ cwd: root });

  for (const file of ['src/core/probe.ts', 'src/cli/probe.ts', 'src/protocol/probe.ts', 'media/webview/probe.ts']) {
    it(`forbids importing vscode from ${file}`, async () => {
      const [result] = await eslint.lintText("import * as vscode from 'vscode';\nexport const x = vscode;\n", {
        filePath: path.join(root, file),
      });
      assert.ok(
        result!.messages.some((m) => m.ruleId === 'no-restricted-imports'),
        JSON.stringify(result!.messages),
      );
      const [required] = await eslint.lintText("export const v = require('vscode');\n", {
        filePath: path.join(root, file),
      });
      assert.ok(
        required!.messages.some((m) => m.ruleId === 'no-restricted-syntax'),
        JSON.stringify(required!.messages),
      );
    });
  }

  it("keeps the window's messages, picks and inputs to prompts.ts and markdown to safeMarkdown.ts (untrusted text)", async () => {
    for (const code of [
      "vscode.window.showErrorMessage('x');",
      'void vscode.window.showQuickPick([]);',
      'export const m = new vscode.MarkdownString();',
    ]) {
      const [result] = await eslint.lintText(`import * as vscode from 'vscode';\n${code}\n`, {
        filePath: path.join(root, 'src/vscode/commands/probe.ts'),
      });
      assert.ok(
        result!.messages.some((m) => m.ruleId === 'no-restricted-syntax'),
        `${code}: ${JSON.stringify(result!.messages)}`,
      );
    }
  });

  it('allows importing vscode from src/vscode', async () => {
    const [result] = await eslint.lintText("import * as vscode from 'vscode';\nexport const x = vscode;\n", {
      filePath: path.join(root, 'src/vscode/probe.ts'),
    });
    assert.deepEqual(
      result!.messages.filter((m) => m.ruleId?.startsWith('no-restricted')),
      [],
    );
  });

  const boundaryErrors = async (code: string, file: string) => {
    const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
    return result!.messages.filter((m) => m.ruleId === 'stowage/package-boundaries').map((m) => m.message);
  };

  it('keeps engine imports one way: a lower package never imports a higher one, and graph and up know no concrete store', async () => {
    for (const [file, spec] of [
      ['src/core/oci/probe.ts', '../content'],
      ['src/core/content/probe.ts', '../registry'],
      ['src/core/registry/probe.ts', '../layout'],
      ['src/core/graph/probe.ts', '../registry'],
      ['src/core/graph/probe.ts', '../files'],
      ['src/core/files/probe.ts', '../layout'],
      ['src/core/lint/layout/probe.ts', '../../layout'],
      ['src/core/sign/probe.ts', '../supplyChain'],
    ]) {
      const errors = await boundaryErrors(`import { x } from '${spec}';\nexport const y = x;\n`, file);
      assert.ok(
        errors.some((m) => /may not import/.test(m)),
        `${file} importing ${spec}: ${JSON.stringify(errors)}`,
      );
    }
  });

  it('lets code outside a package reach it only through its index.ts', async () => {
    for (const [file, spec] of [
      ['src/cli/probe.ts', '../core/registry/RegistryTarget'],
      ['src/vscode/tree/probe.ts', '../../core/oci/reference'],
      ['src/core/graph/probe.ts', '../oci/digest'],
      ['media/webview/probe.ts', '../../src/core/oci/untrustedText'],
    ]) {
      const errors = await boundaryErrors(`import { x } from '${spec}';\nexport const y = x;\n`, file);
      assert.ok(
        errors.some((m) => /reaches inside/.test(m)),
        `${file} importing ${spec}: ${JSON.stringify(errors)}`,
      );
    }
  });

  it('allows the downward imports through doors, and anything inside one package', async () => {
    for (const [file, spec] of [
      ['src/core/content/probe.ts', '../oci'],
      ['src/core/graph/probe.ts', '../content'],
      ['src/core/supplyChain/probe.ts', '../sign'],
      ['src/core/registry/probe.ts', './RegistryClient'],
      ['src/cli/probe.ts', '../core/registry'],
      ['media/webview/probe.ts', '../../src/core/oci'],
    ]) {
      assert.deepEqual(
        await boundaryErrors(`import { x } from '${spec}';\nexport const y = x;\n`, file),
        [],
        `${file} importing ${spec}`,
      );
    }
  });

  it('has every engine file in a package with an index.ts door', () => {
    const core = path.join(root, 'src', 'core');
    const loose = fs
      .readdirSync(core, { withFileTypes: true })
      .filter((entry) => entry.isFile() && entry.name !== 'open.ts');
    assert.deepEqual(
      loose.map((entry) => entry.name),
      [],
      'files directly in src/core belong in a package',
    );
    for (const entry of fs.readdirSync(core, { withFileTypes: true }).filter((e) => e.isDirectory())) {
      assert.ok(fs.existsSync(path.join(core, entry.name, 'index.ts')), `src/core/${entry.name} has no index.ts`);
    }
  });

  it('keeps core/oci free of Node, since the webview bundles it', () => {
    const oci = path.join(root, 'src', 'core', 'oci');
    for (const name of fs.readdirSync(oci)) {
      const code = fs.readFileSync(path.join(oci, name), 'utf8').replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, '');
      assert.doesNotMatch(code, /\bBuffer\b|\bprocess\.|\brequire\(|from 'node:/, `src/core/oci/${name} uses Node`);
    }
  });
});
