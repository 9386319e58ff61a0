// Runs inside VS Code: linting of manifests as diagnostics with quick fixes and hovers, and "Validate Layout".
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { encodedOf } from '../../../src/core/oci/digest';
import { digestOf } from '../../../src/core/content/hashing';
import { LayoutTarget } from '../../../src/core/layout/LayoutTarget';
import type { LayoutValidation } from '../../../src/core/lint/layout/validateLayout';
import { EMPTY_DIGEST, MediaType } from '../../../src/core/oci/mediaTypes';
import { DocumentLinter, HOST_LINT_MAX_CHARS } from '../../../src/vscode/lint/DocumentLinter';
import { lintSbom } from '../../../src/core/supplyChain';
import { pushArtifact } from '../../helpers/sampleArtifact';
import { untrustedCode } from '../../../src/core/oci/untrustedText';
import { COMMAND_LINK } from '../../fixtures/hostile/hostileText';
import { LintCodeActionProvider } from '../../../src/vscode/lint/LintCodeActionProvider';
import { LayoutValidationResults } from '../../../src/vscode/lint/validateLayoutCommand';
import type { ManifestNode } from '../../../src/vscode/tree/nodes';
import { ScriptedPrompts } from './helpers/ScriptedPrompts';
import { pushTextArtifact } from './helpers/seed';
import { answering, stowageApi } from './helpers/stowage';

const TYPO = 'application/vnd.oci.image.layer.v1.tar+gzp';

function stowageDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'stowage');
}

async function waitFor<T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function quickFixes(document: vscode.TextDocument, range: vscode.Range): Promise<vscode.CodeAction[]> {
  return vscode.commands.executeCommand<vscode.CodeAction[]>(
    'vscode.executeCodeActionProvider',
    document.uri,
    range,
    vscode.CodeActionKind.QuickFix.value,
  );
}

async function hoverText(document: vscode.TextDocument, offset: number): Promise<string> {
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
    'vscode.executeHoverProvider',
    document.uri,
    document.positionAt(offset),
  );
  return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
}

/** In the browser VS Code saves after a second by default; what a test says of unsaved edits needs that off. */
async function withAutoSaveOff<T>(fn: () => Promise<T>): Promise<T> {
  const files = vscode.workspace.getConfiguration('files');
  const autoSave = files.inspect('autoSave')?.globalValue;
  await files.update('autoSave', 'off', vscode.ConfigurationTarget.Global);
  try {
    return await fn();
  } finally {
    await files.update('autoSave', autoSave, vscode.ConfigurationTarget.Global);
  }
}

function textOf(document: vscode.TextDocument, range: vscode.Range): string {
  return document.getText(range);
}

describe('Linting in the editor', () => {
  let dir: string;

  before(async () => {
    await vscode.extensions.getExtension('stowage.stowage')!.activate();
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-lint-'));
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await fs.rm(dir, { recursive: true, force: true });
  });

  async function open(name: string, content: string): Promise<vscode.TextDocument> {
    const file = path.join(dir, name);
    await fs.writeFile(file, content);
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    await vscode.window.showTextDocument(document);
    return document;
  }

  const manifest = {
    schemaVersion: 2,
    mediaType: MediaType.ociManifest,
    config: { mediaType: MediaType.ociConfig, digest: digestOf('config'), size: 6 },
    layers: [{ mediaType: TYPO, digest: digestOf('layer'), size: 5 }],
  };

  it("shows a broken manifest's problem on the exact range, and its quick fix makes it go away", async () => {
    const document = await open('broken-manifest.json', JSON.stringify(manifest, null, 2));
    const diagnostic = await waitFor('the media-type-typo diagnostic', () =>
      stowageDiagnostics(document.uri).find((d) => d.code === 'media-type-typo'),
    );
    assert.equal(textOf(document, diagnostic.range), JSON.stringify(TYPO));
    assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Warning);

    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      document.uri,
      diagnostic.range,
      vscode.CodeActionKind.QuickFix.value,
    );
    const fix = actions.find((a) => a.title.includes(MediaType.ociLayerGzip));
    assert.ok(fix?.edit, `a quick fix to ${MediaType.ociLayerGzip}; got ${actions.map((a) => a.title).join(', ')}`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.match(document.getText(), new RegExp(MediaType.ociLayerGzip.replace(/[.+]/g, '\\$&')));
    await waitFor('the diagnostic to go', () => (stowageDiagnostics(document.uri).length === 0 ? true : undefined));
  });

  it('reports invalid UTF-8 in a saved file at the replacement character, naming the byte offset', async () => {
    const valid = {
      ...manifest,
      layers: [{ ...manifest.layers[0], mediaType: MediaType.ociLayerGzip }],
      annotations: { 'org.opencontainers.image.title': 'caf@' },
    };
    const [before, after] = JSON.stringify(valid, null, 2).split('@') as [string, string];
    const file = path.join(dir, 'latin1-manifest.json');
    // "café" as ISO-8859-1 writes it: the editor shows U+FFFD and says nothing of its own.
    await fs.writeFile(file, Buffer.concat([Buffer.from(before), Buffer.from([0xe9]), Buffer.from(after)]));
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    await vscode.window.showTextDocument(document);
    const diagnostic = await waitFor('the utf8-invalid diagnostic', () =>
      stowageDiagnostics(document.uri).find((d) => d.code === 'utf8-invalid'),
    );
    assert.equal(textOf(document, diagnostic.range), '\ufffd');
    assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Error);
    assert.match(diagnostic.message, new RegExp(`byte offset ${Buffer.byteLength(before)} \\(0xE9`));
    assert.deepEqual(
      stowageDiagnostics(document.uri).map((d) => d.code),
      ['utf8-invalid'],
    );
  });

  it('leaves JSON that is no OCI document alone', async () => {
    const document = await open('package-like.json', JSON.stringify({ name: 'x', version: '1.0.0' }, null, 2));
    await new Promise((resolve) => setTimeout(resolve, 800));
    assert.deepEqual(stowageDiagnostics(document.uri), []);
  });

  it('checks an SBOM against its own schema as stowage lint does, at the value at fault, and clears once fixed', async () => {
    const bom = {
      bomFormat: 'CycloneDX',
      specVersion: '1.5',
      version: 1,
      components: [{ type: 'gadget', name: 'app' }],
    };
    const document = await open('bom.cdx.json', JSON.stringify(bom, null, 2));
    const diagnostic = await waitFor('the sbom-invalid diagnostic', () =>
      stowageDiagnostics(document.uri).find((d) => d.code === 'sbom-invalid'),
    );
    assert.equal(textOf(document, diagnostic.range), '"type"');
    assert.match(
      diagnostic.message,
      /^CycloneDX SBOM \/components\/0\/type: must be equal to one of the allowed values/,
    );
    assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Error);
    const edit = new vscode.WorkspaceEdit();
    const at = document.getText().indexOf('gadget');
    edit.replace(document.uri, new vscode.Range(document.positionAt(at), document.positionAt(at + 6)), 'library');
    assert.ok(await vscode.workspace.applyEdit(edit));
    await waitFor('the diagnostic to go', () => (stowageDiagnostics(document.uri).length === 0 ? true : undefined));
  });

  it('checks a large SBOM on the lint thread, off the extension host, as it is opened and edited', async () => {
    const components = Array.from({ length: 6000 }, (_, i) => ({
      type: 'library',
      name: `component-${i}`,
      version: `1.0.${i}`,
      description: 'x'.repeat(120),
    }));
    components[10].type = 'gadget';
    const bom = { bomFormat: 'CycloneDX', specVersion: '1.5', version: 1, components };
    const text = JSON.stringify(bom, null, 2);
    assert.ok(text.length > HOST_LINT_MAX_CHARS, `${text.length} characters`);
    const api = await stowageApi();
    const checksBefore = api.lintThreadChecks();
    const document = await open('large.cdx.json', text);
    const invalidAt = (): string[] =>
      stowageDiagnostics(document.uri)
        .filter((d) => d.code === 'sbom-invalid')
        .map((d) => d.message.split(':')[0]);
    await waitFor('the diagnostic on opening', () => (invalidAt().length ? true : undefined), 30_000);
    assert.deepEqual(invalidAt(), ['CycloneDX SBOM /components/10/type']);
    assert.ok(api.lintThreadChecks() > checksBefore, 'checked on the lint thread');

    // Fix component 10 and break component 20, unsaved: the diagnostics follow after a pause in typing.
    await withAutoSaveOff(async () => {
      const edit = new vscode.WorkspaceEdit();
      const replace = (was: string, before: string, now: string): void => {
        const text = document.getText();
        const at = text.lastIndexOf(was, text.indexOf(before));
        edit.replace(
          document.uri,
          new vscode.Range(document.positionAt(at), document.positionAt(at + was.length)),
          now,
        );
      };
      replace('"gadget"', '"component-10"', '"library"');
      replace('"library"', '"component-20"', '"gizmo"');
      const checksBeforeEdit = api.lintThreadChecks();
      assert.ok(await vscode.workspace.applyEdit(edit));
      await waitFor(
        'the diagnostic after the edit',
        () => (invalidAt()[0] === 'CycloneDX SBOM /components/20/type' ? true : undefined),
        30_000,
      );
      assert.deepEqual(invalidAt(), ['CycloneDX SBOM /components/20/type']);
      assert.ok(document.isDirty, 'checked before any save');
      assert.ok(api.lintThreadChecks() > checksBeforeEdit, 'the edit was checked on the lint thread');
    });
  });

  it('lints stowage: documents (manifests opened from a registry or layout) by their content', async () => {
    // The stowage: scheme is registered by the tree; this document only borrows that scheme's uri.
    const content = await vscode.workspace.openTextDocument({
      language: 'json',
      content: JSON.stringify(manifest, null, 2),
    });
    const uri = vscode.Uri.parse('stowage:/registry.example/repo/manifest@sha256-test.json');
    const document = new Proxy(content, { get: (target, key) => (key === 'uri' ? uri : Reflect.get(target, key)) });
    const log = vscode.window.createOutputChannel('Stowage lint test', { log: true });
    const linter = new DocumentLinter(log, lintSbom);
    try {
      const linted = await linter.lintNow(document);
      assert.deepEqual(
        linted?.problems.map((p) => p.code),
        ['media-type-typo'],
      );
      assert.deepEqual(
        linter.diagnostics.get(uri)?.map((d) => d.code),
        ['media-type-typo'],
      );
    } finally {
      linter.dispose();
      log.dispose();
    }
  });

  it('offers no "Quote the value" that would raise another error: a number as the creation time', async () => {
    const document = await open(
      'created-number.json',
      JSON.stringify({ ...manifest, layers: [], annotations: { 'org.opencontainers.image.created': 5 } }, null, 2),
    );
    const diagnostic = await waitFor('the annotation-not-string diagnostic', () =>
      stowageDiagnostics(document.uri).find((d) => d.code === 'annotation-not-string'),
    );
    assert.deepEqual(
      (await quickFixes(document, diagnostic.range)).map((a) => a.title),
      [],
    );
  });

  it('completes a hand-written artifact: the empty descriptor as its config, then the empty type first for a media type', async () => {
    const document = await open(
      'artifact.json',
      '{\n  "schemaVersion": 2,\n  "mediaType": "application/vnd.oci.image.manifest.v1+json",\n  "artifactType": "application/x.report",\n  "config": ,\n  "layers": []\n}\n',
    );
    const completionsAt = async (offset: number) =>
      (
        await vscode.commands.executeCommand<vscode.CompletionList>(
          'vscode.executeCompletionItemProvider',
          document.uri,
          document.positionAt(offset),
        )
      ).items;
    const items = await completionsAt(document.getText().indexOf('"config": ') + '"config": '.length);
    const descriptor = items.find((i) => i.label === 'empty descriptor');
    assert.ok(descriptor, `the empty descriptor; got ${items.map((i) => String(i.label)).join(', ')}`);
    const edit = new vscode.WorkspaceEdit();
    edit.replace(document.uri, descriptor.range as vscode.Range, descriptor.insertText as string);
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.equal((JSON.parse(document.getText()) as { config: { digest: string } }).config.digest, EMPTY_DIGEST);
    await waitFor('no problems but the empty layers note', () =>
      stowageDiagnostics(document.uri).every((d) => d.code === 'layers-empty') ? true : undefined,
    );

    const typed = document.getText().indexOf(MediaType.ociEmpty) + 'application/vnd.oci.em'.length;
    // Stowage's items, not the JSON language service's (whose labels are quoted values seen in the document).
    const types = (await completionsAt(typed)).filter(
      (i) => i.kind === vscode.CompletionItemKind.Value && !String(i.label).startsWith('"'),
    );
    const sorted = [...types].sort((a, b) => (a.sortText ?? '').localeCompare(b.sortText ?? ''));
    assert.equal(sorted[0]?.label, MediaType.ociEmpty);
    assert.match(String(sorted[0]?.detail), /the two bytes/);
  });

  it('names an OCI artifact manifest of image-spec’s drafts and rewrites it as an image manifest', async () => {
    const draft = {
      mediaType: 'application/vnd.oci.artifact.manifest.v1+json',
      artifactType: 'application/x.report',
      blobs: [{ mediaType: 'text/plain', digest: digestOf('layer'), size: 5 }],
    };
    const document = await open('old-artifact.json', JSON.stringify(draft, null, 2));
    const diagnostic = await waitFor('the artifact-manifest diagnostic', () =>
      stowageDiagnostics(document.uri).find((d) => d.code === 'artifact-manifest'),
    );
    assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Error);
    const fix = (await quickFixes(document, diagnostic.range)).find((a) => a.title.startsWith('Rewrite as an image'));
    assert.ok(fix?.edit);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    await waitFor('every problem to go', () => (stowageDiagnostics(document.uri).length === 0 ? true : undefined));
    const rewritten = JSON.parse(document.getText()) as Record<string, unknown>;
    assert.equal(rewritten.mediaType, MediaType.ociManifest);
    assert.deepEqual(rewritten.layers, draft.blobs);
  });

  it('quick-fixes the slips of a hand-written artifact: a quoted size, an image config type on the empty blob', async () => {
    const written = {
      schemaVersion: 2,
      mediaType: MediaType.ociManifest,
      artifactType: 'application/x.report',
      config: {
        mediaType: MediaType.ociConfig,
        digest: EMPTY_DIGEST,
        size: 2,
      },
      layers: [{ mediaType: 'text/plain', digest: digestOf('layer'), size: '5' }],
    };
    const document = await open('slips.json', JSON.stringify(written, null, 2));
    for (const [code, title] of [
      ['config-empty-image', `Set config.mediaType to "${MediaType.ociEmpty}"`],
      ['size-invalid', 'Write it as 5'],
    ] as const) {
      const diagnostic = await waitFor(`the ${code} diagnostic`, () =>
        stowageDiagnostics(document.uri).find((d) => d.code === code),
      );
      const fix = (await quickFixes(document, diagnostic.range)).find((a) => a.title === title);
      assert.ok(fix?.edit, `"${title}" for ${code}`);
      assert.ok(await vscode.workspace.applyEdit(fix.edit));
      // The next problem's fix is offered for the text as it is now: once this one is gone.
      await waitFor(`${code} to go`, () =>
        stowageDiagnostics(document.uri).some((d) => d.code === code) ? undefined : true,
      );
    }
    await waitFor('every problem to go', () => (stowageDiagnostics(document.uri).length === 0 ? true : undefined));
    const fixed = JSON.parse(document.getText()) as typeof written;
    assert.equal(fixed.config.mediaType, MediaType.ociEmpty);
    assert.equal(fixed.layers[0]!.size, 5);
  });

  it('each quick fix is undone whole by one Undo and redone by one Redo, its diagnostic back and gone again', async () => {
    const draft = {
      mediaType: 'application/vnd.oci.artifact.manifest.v1+json',
      artifactType: 'application/x.report',
      blobs: [{ mediaType: 'text/plain', digest: digestOf('layer'), size: 5 }],
    };
    const written = {
      schemaVersion: 2,
      mediaType: MediaType.ociManifest,
      artifactType: 'application/x.report',
      config: { mediaType: MediaType.ociConfig, digest: EMPTY_DIGEST, size: 2 },
      layers: [{ mediaType: 'text/plain', digest: digestOf('layer'), size: '5' }],
    };
    const cases = [
      // Several edits in one fix (the media type, blobs renamed layers, the schema version added).
      ['undo-draft.json', draft, 'artifact-manifest', 'Rewrite as an image'],
      // A file each: reopened, a file's diagnostics of the closed editor may stand until it is linted again.
      ['undo-config.json', written, 'config-empty-image', 'Set config.mediaType to'],
      ['undo-size.json', written, 'size-invalid', 'Write it as 5'],
    ] as const;
    await withAutoSaveOff(async () => {
      for (const [name, content, code, title] of cases) {
        const document = await open(name, JSON.stringify(content, null, 2));
        const has = () => stowageDiagnostics(document.uri).some((d) => d.code === code);
        const before = document.getText();
        // Asked until offered: the linter answers for the diagnostics of the text as it now is.
        const fix = await waitFor(`"${title}" for ${code}`, async () => {
          const diagnostic = stowageDiagnostics(document.uri).find((d) => d.code === code);
          if (!diagnostic) return undefined;
          return (await quickFixes(document, diagnostic.range)).find((a) => a.title.startsWith(title) && a.edit);
        });
        assert.ok(fix.edit, `"${title}" for ${code}`);
        assert.ok(await vscode.workspace.applyEdit(fix.edit));
        const after = document.getText();
        assert.notEqual(after, before);
        await waitFor(`${code} to go`, () => (has() ? undefined : true));
        await vscode.commands.executeCommand('undo');
        assert.equal(document.getText(), before, `one Undo takes back the whole of "${title}"`);
        await waitFor(`${code} back after Undo`, () => (has() ? true : undefined));
        await vscode.commands.executeCommand('redo');
        assert.equal(document.getText(), after, `one Redo puts back the whole of "${title}"`);
        await waitFor(`${code} gone after Redo`, () => (has() ? undefined : true));
        await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      }
    });
  });

  it('adds no hover of its own to a digest whose diagnostic says what is wrong with it (VS Code shows both together)', async () => {
    const short = `sha256:${'ab'.repeat(20)}`;
    const document = await open(
      'short-digest.json',
      JSON.stringify({ ...manifest, config: { ...manifest.config, digest: short } }, null, 2),
    );
    const at = document.positionAt(document.getText().indexOf(short) + 10);
    const diagnostic = await waitFor('the digest-length diagnostic', () =>
      stowageDiagnostics(document.uri).find((d) => d.code === 'digest-length' && d.range.contains(at)),
    );
    assert.match(diagnostic.message, /64 hex characters, not 40/);
    assert.equal(await hoverText(document, document.offsetAt(at)), '');
    // Where no diagnostic says it (the linter has not judged the string), the hover still does.
    const loose = await open('loose-digest.json', JSON.stringify({ note: short }, null, 2));
    assert.match(await hoverText(loose, loose.getText().indexOf(short) + 10), /is not usable: .*64/);
  });

  it('explains a media type on hover', async () => {
    const document = await open('hover-manifest.json', JSON.stringify({ ...manifest, layers: [] }, null, 2));
    const offset = document.getText().indexOf(MediaType.ociConfig) + 5;
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      document.uri,
      document.positionAt(offset),
    );
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /OCI image configuration: platform, rootfs diff_ids/);
  });

  it('a media type hover under a "did you mean" diagnostic says what the suggestion is, without asking again', async () => {
    const document = await open('typo-hover.json', JSON.stringify(manifest, null, 2));
    const offset = document.getText().indexOf(TYPO) + 5;
    const diagnostic = await waitFor('the media-type-typo diagnostic', () =>
      stowageDiagnostics(document.uri).find((d) => d.code === 'media-type-typo'),
    );
    assert.match(diagnostic.message, /did you mean/);
    const text = await hoverText(document, offset);
    assert.doesNotMatch(text, /did you mean/i, 'the hover repeats the diagnostic');
    assert.match(text, /application\/vnd\.oci\.image\.layer\.v1\.tar\+gzip.*: OCI image layer: a gzip-compressed/);
    // Where no diagnostic asks (a JSON file that is no OCI document), the hover does.
    const loose = await open('loose-type.json', JSON.stringify({ note: TYPO }, null, 2));
    assert.match(await hoverText(loose, loose.getText().indexOf(TYPO) + 5), /Did you mean/);
  });

  describe('in an image layout', () => {
    let root: string;
    let layout: LayoutTarget;

    beforeEach(async () => {
      root = await fs.mkdtemp(path.join(dir, 'layout-'));
      layout = await LayoutTarget.open(root, { create: true });
    });

    it('Validate Layout reports exactly the corrupted blob, at the descriptor that names it', async () => {
      const pushed = await pushArtifact(layout, 'payload bytes', { tag: 'v1' });
      await fs.writeFile(layout.blobPath(pushed.layer.digest), 'PAYLOAD BYTES');
      const result = await vscode.commands.executeCommand<LayoutValidation>('stowage.lint.validateLayout', root);
      assert.deepEqual(
        result.problems.map((p) => [p.severity, p.code, p.blob]),
        [['error', 'blob-digest-mismatch', `blobs/sha256/${encodedOf(pushed.layer.digest)}`]],
      );

      const manifestUri = vscode.Uri.file(layout.blobPath(pushed.manifest.digest));
      const [diagnostic, ...others] = vscode.languages
        .getDiagnostics(manifestUri)
        .filter((d) => d.source === 'stowage');
      assert.deepEqual(others, []);
      assert.equal(diagnostic?.code, 'blob-digest-mismatch');
      assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Error);
      assert.equal(diagnostic.relatedInformation?.[0]?.location.uri.fsPath, layout.blobPath(pushed.layer.digest));
      const inLayout = vscode.languages
        .getDiagnostics()
        .filter(([uri, list]) => uri.fsPath.startsWith(root) && list.some((d) => d.source === 'stowage'));
      assert.deepEqual(
        inLayout.map(([uri]) => uri.fsPath),
        [manifestUri.fsPath],
      );
    });

    it('Validate Layout from the palette offers the layouts Image Layouts shows, and Choose Folder… for any other', async () => {
      await pushArtifact(layout, 'picked payload', { tag: 'v1' });
      const api = await stowageApi();
      const settings = vscode.workspace.getConfiguration('stowage');
      await settings.update('layouts', [root], vscode.ConfigurationTarget.Global);
      try {
        const fromView = new ScriptedPrompts().thenPick(path.basename(root));
        const viewed = await answering(api, fromView, () =>
          vscode.commands.executeCommand<LayoutValidation>('stowage.lint.validateLayout'),
        );
        assert.equal(viewed?.root, root, JSON.stringify(fromView.notifications));
        const offered = fromView.asked.find((q) => q.kind === 'pick')!.items!.map((i) => i.label);
        assert.deepEqual(offered.slice(-1), ['Choose Folder…']);
        assert.ok(offered.includes(path.basename(root)), offered.join(', '));

        const other = await fs.mkdtemp(path.join(dir, 'elsewhere-'));
        await pushArtifact(await LayoutTarget.open(other, { create: true }), 'another payload', { tag: 'v1' });
        const chosen = new ScriptedPrompts().thenPick('Choose Folder…').thenFolder(other);
        const validated = await answering(api, chosen, () =>
          vscode.commands.executeCommand<LayoutValidation>('stowage.lint.validateLayout'),
        );
        assert.equal(validated?.root, other, JSON.stringify(chosen.notifications));
        assert.deepEqual(validated.problems, []);
      } finally {
        await settings.update('layouts', undefined, vscode.ConfigurationTarget.Global);
      }
    });

    it('checks a manifest drafted beside index.json against the layout: a wrong layer size gets the stored size as its fix', async () => {
      const pushed = await pushArtifact(layout, 'drafted payload', { tag: 'v1' });
      const draft = {
        schemaVersion: 2,
        mediaType: MediaType.ociManifest,
        artifactType: 'application/x.draft',
        config: { mediaType: MediaType.ociEmpty, digest: EMPTY_DIGEST, size: 2 },
        layers: [{ mediaType: 'text/plain', digest: pushed.layer.digest, size: pushed.layer.size + 3 }],
      };
      const file = path.join(root, 'draft.json');
      await fs.writeFile(file, JSON.stringify(draft, null, 2));
      const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
      await vscode.window.showTextDocument(document);
      const diagnostic = await waitFor('the blob-size-mismatch diagnostic', () =>
        stowageDiagnostics(document.uri).find((d) => d.code === 'blob-size-mismatch'),
      );
      assert.equal(textOf(document, diagnostic.range), String(pushed.layer.size + 3));
      const fix = (await quickFixes(document, diagnostic.range)).find((a) =>
        a.title.startsWith(`Set size to ${pushed.layer.size}`),
      );
      assert.ok(fix?.edit, 'the stored size as the fix');
      assert.ok(await vscode.workspace.applyEdit(fix.edit));
      await waitFor('the diagnostic to go', () =>
        stowageDiagnostics(document.uri).some((d) => d.code === 'blob-size-mismatch') ? undefined : true,
      );
      assert.equal((JSON.parse(document.getText()) as typeof draft).layers[0]!.size, pushed.layer.size);
      const hover = await hoverText(document, document.getText().indexOf(pushed.layer.digest) + 10);
      assert.match(hover, new RegExp(`${pushed.layer.size} bytes`), 'the digest hover resolves in the layout');
    });

    it("offers the stored blob's size as the fix for a wrong size in index.json, and hovers show what a digest is", async () => {
      const pushed = await pushArtifact(layout, 'sized payload', { tag: 'v1' });
      const indexFile = path.join(root, 'index.json');
      const index = JSON.parse(await fs.readFile(indexFile, 'utf8')) as { manifests: { size: number }[] };
      index.manifests[0]!.size += 7;
      await fs.writeFile(indexFile, JSON.stringify(index, null, 2));
      const document = await vscode.workspace.openTextDocument(vscode.Uri.file(indexFile));
      await vscode.window.showTextDocument(document);
      const diagnostic = await waitFor('the blob-size-mismatch diagnostic', () =>
        stowageDiagnostics(document.uri).find((d) => d.code === 'blob-size-mismatch'),
      );
      assert.equal(textOf(document, diagnostic.range), String(pushed.manifest.size + 7));

      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
        'vscode.executeCodeActionProvider',
        document.uri,
        diagnostic.range,
        vscode.CodeActionKind.QuickFix.value,
      );
      const fix = actions.find((a) => a.title.startsWith(`Set size to ${pushed.manifest.size}`));
      assert.ok(fix?.edit, `a fix from the local blob; got ${actions.map((a) => a.title).join(', ')}`);
      assert.ok(await vscode.workspace.applyEdit(fix.edit));
      await waitFor('the diagnostic to go', () => (stowageDiagnostics(document.uri).length === 0 ? true : undefined));

      const offset = document.getText().indexOf(pushed.manifest.digest) + 10;
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
        'vscode.executeHoverProvider',
        document.uri,
        document.positionAt(offset),
      );
      const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
      assert.match(text, new RegExp(`${pushed.manifest.size} bytes`));
      assert.match(text, /OCI image manifest: `application\/vnd\.oci\.image\.manifest\.v1\+json`/);
    });

    describe('damaged like a new user’s test layout (a blob deleted, one replaced, one extra)', () => {
      let seeded: Awaited<ReturnType<typeof pushTextArtifact>>;
      let manifestUri: vscode.Uri;

      beforeEach(async () => {
        seeded = await pushTextArtifact(
          layout,
          { 'README.txt': 'Read me, a long enough first file.\n', 'greeting.txt': 'Hello.\n', 'notes.txt': 'n\n' },
          { tag: 'v1' },
        );
        const [first, second] = seeded.manifest.layers;
        await fs.rm(layout.blobPath(second!.digest));
        await fs.writeFile(layout.blobPath(first!.digest), 'replaced\n');
        const extra = Buffer.from('an extra blob nobody refers to');
        await fs.writeFile(layout.blobPath(digestOf(extra)), extra);
        manifestUri = vscode.Uri.file(layout.blobPath(seeded.descriptor.digest));
      });

      it('Validate Layout calls the replaced blob a digest mismatch, counts notices, offers Show Problems, and says when GC removes the extra blob', async () => {
        const api = await stowageApi();
        const prompts = new ScriptedPrompts().pressingInNotifications('Show Problems');
        const result = await answering(api, prompts, () =>
          vscode.commands.executeCommand<LayoutValidation>('stowage.lint.validateLayout', root),
        );
        assert.deepEqual(
          result.problems.map((p) => [p.severity, p.code, p.path.join('.')]).sort((a, b) => a[1]!.localeCompare(b[1]!)),
          [
            ['error', 'blob-digest-mismatch', 'layers.0.digest'],
            ['error', 'blob-missing', 'layers.1.digest'],
            ['info', 'blob-unreferenced', ''],
          ],
        );
        const message = (code: string) => result.problems.find((p) => p.code === code)?.message ?? '';
        assert.match(
          message('blob-digest-mismatch'),
          /\(9 bytes, where the descriptor says 35\): the blob was replaced/,
        );
        assert.match(
          message('blob-unreferenced'),
          /garbage collection removes it once it is older than 10 minutes \(in about 10 min; younger blobs are kept/,
        );
        const [notification] = prompts.notifications;
        assert.match(
          notification?.message ?? '',
          /: 1 document and 5 blobs checked; 2 errors, 0 warnings, 1 notice\.$/,
        );
        assert.deepEqual(notification?.actions, ['Show Problems']);
      });

      it('offers no edit in a blob file, only a disabled action saying it is content-addressed, not even the size of another problem', async () => {
        await vscode.commands.executeCommand('stowage.lint.validateLayout', root);
        const document = await vscode.workspace.openTextDocument(manifestUri);
        await vscode.window.showTextDocument(document);
        const missing = await waitFor('the blob-missing diagnostic', () =>
          stowageDiagnostics(manifestUri).find((d) => d.code === 'blob-missing'),
        );
        const mismatch = stowageDiagnostics(manifestUri).find((d) => d.code === 'blob-digest-mismatch')!;
        const log = vscode.window.createOutputChannel('Stowage blob-file actions test', { log: true });
        const linter = new DocumentLinter(log, lintSbom);
        try {
          const provider = new LintCodeActionProvider(linter);
          for (const diagnostic of [missing, mismatch]) {
            // The editor's own command lists enabled actions only: there is none to apply.
            assert.deepEqual(await quickFixes(document, diagnostic.range), []);
            const actions = await provider.provideCodeActions(document, diagnostic.range, {
              diagnostics: [diagnostic],
              triggerKind: vscode.CodeActionTriggerKind.Invoke,
              only: undefined,
            });
            assert.deepEqual(
              actions.map((a) => [a.title, a.edit?.size ?? 0, a.disabled?.reason.includes('content-addressed')]),
              [['No fix in a blob file: it is content-addressed', 0, true]],
            );
          }
        } finally {
          linter.dispose();
          log.dispose();
        }
        // Asked at the start of the line (as VS Code asks when it looks for fixes nearby): still no edit.
        const anywhere = await quickFixes(document, new vscode.Range(0, 0, 0, document.lineAt(0).text.length));
        assert.deepEqual(
          anywhere.filter((a) => a.edit),
          [],
        );
        assert.equal(document.isDirty, false);
        // The editor is read-only for the session: an edit through it changes nothing.
        assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), manifestUri.toString());
        const before = document.getText();
        await vscode.window.activeTextEditor!.edit((edit) => edit.insert(new vscode.Position(0, 0), 'x'));
        const changed = document.isDirty;
        if (changed) await vscode.commands.executeCommand('workbench.action.files.revert');
        assert.equal(changed, false, 'an edit through the blob editor changed it');
        assert.equal(document.getText(), before);
      });

      it('shows each problem of an open blob file once: the live linter owns what both find', async () => {
        const log = vscode.window.createOutputChannel('Stowage dedupe test', { log: true });
        const linter = new DocumentLinter(log, lintSbom);
        const results = new LayoutValidationResults(linter);
        try {
          const validation = await vscode.commands.executeCommand<LayoutValidation>(
            'stowage.lint.validateLayout',
            root,
          );
          results.publish(validation);
          assert.deepEqual(
            results.diagnostics.get(manifestUri)?.map((d) => d.code),
            ['blob-digest-mismatch', 'blob-missing'],
          );
          const document = await vscode.workspace.openTextDocument(manifestUri);
          await linter.lintNow(document);
          assert.deepEqual(
            linter.diagnostics.get(manifestUri)?.map((d) => d.code),
            ['blob-digest-mismatch', 'blob-missing'],
          );
          assert.deepEqual(results.diagnostics.get(manifestUri), [], 'validation keeps nothing the live linter shows');
          const extraUri = vscode.Uri.file(
            path.join(root, validation.problems.find((p) => p.code === 'blob-unreferenced')!.file),
          );
          assert.deepEqual(
            results.diagnostics.get(extraUri)?.map((d) => d.code),
            ['blob-unreferenced'],
          );
        } finally {
          results.dispose();
          linter.dispose();
          log.dispose();
        }
        // The test's own linter and results are gone: what remains is the running extension's.
        // And in the running extension: the open blob's problems appear once.
        await vscode.window.showTextDocument(manifestUri);
        await waitFor('the live diagnostics', () => (stowageDiagnostics(manifestUri).length ? true : undefined));
        await new Promise((resolve) => setTimeout(resolve, 1000));
        assert.deepEqual(
          stowageDiagnostics(manifestUri)
            .map((d) => String(d.code))
            .sort(),
          ['blob-digest-mismatch', 'blob-missing'],
        );
      });

      it("the layout's own manifest file: its diagnostics say which blob is missing or replaced, the digest hovers add only the blob's size", async () => {
        const document = await vscode.workspace.openTextDocument(manifestUri);
        await vscode.window.showTextDocument(document);
        const [replaced, missing] = seeded.manifest.layers.map((layer) => layer.digest) as [string, string];
        const at = (digest: string) => document.positionAt(document.getText().indexOf(digest) + 10);
        await waitFor('the blob-missing and blob-digest-mismatch diagnostics', () => {
          const found = stowageDiagnostics(manifestUri);
          const on = (code: string, digest: string) =>
            found.some((d) => d.code === code && d.range.contains(at(digest)));
          return on('blob-missing', missing) && on('blob-digest-mismatch', replaced) ? true : undefined;
        });
        assert.equal(await hoverText(document, document.offsetAt(at(missing))), '', 'the hover repeats the diagnostic');
        const text = await hoverText(document, document.offsetAt(at(replaced)));
        assert.match(text, /— 9 bytes/);
        assert.doesNotMatch(text, /hashes to|Not in this layout/);
        await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      });

      it('names the digest in a hover of a manifest opened from the layout, and what it resolves to there, as Ctrl+click does', async () => {
        await stowageApi();
        const node: ManifestNode = {
          type: 'manifest',
          id: `${root}:v1`,
          store: { kind: 'layout', path: root },
          tag: 'v1',
        };
        const document = await vscode.commands.executeCommand<vscode.TextDocument>('stowage.manifest.open', node);
        assert.equal(document.uri.scheme, 'stowage');
        const config = seeded.manifest.config.digest;
        const text = await hoverText(document, document.getText().indexOf(config) + 10);
        assert.ok(text.includes(`**Digest** ${untrustedCode(config)}`), text);
        assert.match(
          text,
          new RegExp(
            `in layout ${untrustedCode(path.basename(root)).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} — 2 bytes`,
          ),
        );
        assert.doesNotMatch(text, /Not in an image layout/);
        const links = await vscode.commands.executeCommand<vscode.DocumentLink[]>(
          'vscode.executeLinkProvider',
          document.uri,
        );
        const link = links.find((l) => document.getText(l.range) === config);
        assert.ok(
          link?.target && text.includes(`](${link.target.toString()})`),
          `the hover links where Ctrl+click goes: ${text}`,
        );
        // A stowage: document is linted by its content alone: no diagnostic says the blob is missing, the hover does.
        const missing = seeded.manifest.layers[1]!.digest;
        assert.match(await hoverText(document, document.getText().indexOf(missing) + 10), /Not in this layout/);

        const outside = await open('outside-layout.json', JSON.stringify(seeded.manifest, null, 2));
        const plain = await hoverText(outside, outside.getText().indexOf(config) + 10);
        assert.ok(plain.includes(`**Digest** ${untrustedCode(config)}`), plain);
        assert.match(plain, /Not in an image layout: there is no local blob to resolve it to/);
        await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      });
    });

    it('offers no size from a replaced blob in index.json, and a fix there leaves the document dirty, the file unchanged', async () => {
      const pushed = await pushArtifact(layout, 'replaced later', { tag: 'v1' });
      const indexFile = path.join(root, 'index.json');
      const index = JSON.parse(await fs.readFile(indexFile, 'utf8')) as { manifests: { size: number }[] };
      index.manifests[0]!.size += 7;
      const onDisk = JSON.stringify(index, null, 2);
      await fs.writeFile(indexFile, onDisk);
      // Left on, autosave, not the fix, would write a blob to disk.
      await withAutoSaveOff(async () => {
        const document = await vscode.workspace.openTextDocument(vscode.Uri.file(indexFile));
        await vscode.window.showTextDocument(document);
        const sized = await waitFor('the blob-size-mismatch diagnostic', () =>
          stowageDiagnostics(document.uri).find((d) => d.code === 'blob-size-mismatch'),
        );
        const fix = (await quickFixes(document, sized.range)).find((a) => a.title.startsWith('Set size to'));
        assert.ok(fix?.edit);
        assert.ok(await vscode.workspace.applyEdit(fix.edit));
        assert.equal(document.isDirty, true, 'a quick fix edits the document; saving is the user’s');
        assert.equal(await fs.readFile(indexFile, 'utf8'), onDisk);
        await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');

        await fs.writeFile(layout.blobPath(pushed.manifest.digest), '{"replaced":true}');
        const reopened = await vscode.workspace.openTextDocument(vscode.Uri.file(indexFile));
        await vscode.window.showTextDocument(reopened);
        const replaced = await waitFor('the blob-digest-mismatch diagnostic', () =>
          stowageDiagnostics(reopened.uri).find((d) => d.code === 'blob-digest-mismatch'),
        );
        assert.equal(
          stowageDiagnostics(reopened.uri).find((d) => d.code === 'blob-size-mismatch'),
          undefined,
        );
        assert.match(replaced.message, /the blob was replaced or corrupted/);
        const offered = await quickFixes(reopened, new vscode.Range(0, 0, reopened.lineCount, 0));
        assert.deepEqual(
          offered.filter((a) => a.title.startsWith('Set size')),
          [],
        );
      }).finally(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));
    });

    it("shows a layout blob's hostile media type in a digest hover as code, never as a link or HTML", async () => {
      // Link, autolink, HTML and a backtick run that would close a naive code span, all in one media type.
      const hostileType = `${COMMAND_LINK} <https://evil.example/> <a href="command:workbench.action.terminal.new">x</a> \`\` \``;
      const hostileArtifactType = '![x](command:workbench.action.terminal.new)';
      const bytes = Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: hostileType,
          artifactType: hostileArtifactType,
          config: { mediaType: MediaType.ociEmpty, digest: digestOf(Buffer.from('{}')), size: 2 },
          layers: [],
        }),
      );
      const digest = digestOf(bytes);
      await fs.mkdir(path.join(root, 'blobs', 'sha256'), { recursive: true });
      await fs.writeFile(path.join(root, 'blobs', 'sha256', encodedOf(digest)), bytes);
      const indexFile = path.join(root, 'index.json');
      await fs.writeFile(
        indexFile,
        JSON.stringify(
          { schemaVersion: 2, manifests: [{ mediaType: MediaType.ociManifest, digest, size: bytes.length }] },
          null,
          2,
        ),
      );
      const document = await vscode.workspace.openTextDocument(vscode.Uri.file(indexFile));

      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
        'vscode.executeHoverProvider',
        document.uri,
        document.positionAt(document.getText().indexOf(digest) + 10),
      );
      const contents = hovers
        .flatMap((h) => h.contents)
        .filter((c): c is vscode.MarkdownString => typeof c !== 'string' && 'value' in c);
      const text = contents.map((c) => c.value).join('\n');
      assert.ok(text.includes(untrustedCode(hostileType)), `the media type is not one code span: ${text}`);
      assert.ok(text.includes(untrustedCode(hostileArtifactType)), text);
      for (const markdown of contents) {
        assert.notEqual(
          markdown.isTrusted,
          true,
          'a hover with registry text must not be trusted (command links would run)',
        );
        assert.notEqual(markdown.supportHtml, true);
      }
      // Outside the code spans only Stowage's own words remain: its one link goes to the blob file.
      const outsideCode = text
        .split(untrustedCode(hostileType))
        .join('')
        .split(untrustedCode(hostileArtifactType))
        .join('');
      assert.doesNotMatch(outsideCode, /command:|<a |https:\/\/evil/);
      assert.deepEqual(
        [...outsideCode.matchAll(/\]\(([a-z]+):/g)].map((m) => m[1]),
        ['file'],
      );
    });
  });
});
