// "OCI: Validate Layout": validates a layout folder (from the Explorer, or picked) with progress and
// cancellation, and puts every problem in the Problems panel on the file it is in.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { isLayoutFolder, validateLayout, type LayoutProblem, type LayoutValidation } from '../../core/lint';
import type { LayoutNode } from '../tree/nodes';
import { notificationProgress } from '../progress';
import { windowPrompts } from '../prompts';
import { diagnostic } from './diagnostics';
import { counted } from '../../core/oci';

export class LayoutValidationResults implements vscode.Disposable {
  readonly diagnostics = vscode.languages.createDiagnosticCollection('stowage-layout');
  private readonly filesByRoot = new Map<string, vscode.Uri[]>();
  private readonly watcher = vscode.workspace.onDidChangeTextDocument((e) => {
    // A file edited since the validation: its findings are stale, the live linter takes over.
    if (e.contentChanges.length) this.diagnostics.delete(e.document.uri);
  });

  publish(result: LayoutValidation): void {
    for (const uri of this.filesByRoot.get(result.root) ?? []) this.diagnostics.delete(uri);
    const byFile = new Map<string, vscode.Diagnostic[]>();
    for (const problem of result.problems) {
      const list = byFile.get(problem.file) ?? [];
      list.push(toLayoutDiagnostic(result.root, problem));
      byFile.set(problem.file, list);
    }
    const uris: vscode.Uri[] = [];
    for (const [file, diagnostics] of byFile) {
      const uri = vscode.Uri.file(path.join(result.root, file));
      this.diagnostics.set(uri, diagnostics);
      uris.push(uri);
    }
    this.filesByRoot.set(result.root, uris);
  }

  dispose(): void {
    this.watcher.dispose();
    this.diagnostics.dispose();
  }
}

function toLayoutDiagnostic(root: string, problem: LayoutProblem): vscode.Diagnostic {
  const range = new vscode.Range(problem.start.line, problem.start.column, problem.end.line, problem.end.column);
  const result = diagnostic(range, problem);
  if (problem.blob && problem.blob !== problem.file) {
    const blob = new vscode.Location(vscode.Uri.file(path.join(root, problem.blob)), new vscode.Position(0, 0));
    result.relatedInformation = [new vscode.DiagnosticRelatedInformation(blob, `the blob: ${problem.blob}`)];
  }
  return result;
}

export type LayoutTargetArgument = vscode.Uri | string | LayoutNode;

/** The command: a folder from the Explorer, a layout node from the Image Layouts view, or a path; asked for when absent. */
export async function validateLayoutCommand(
  results: LayoutValidationResults,
  folder?: LayoutTargetArgument,
): Promise<LayoutValidation | undefined> {
  const root = folderOf(folder) ?? (await pickFolder());
  if (!root) return undefined;
  if (!(await isLayoutFolder(root))) {
    void windowPrompts.notify('error', `${root} is not an OCI image layout (it has no oci-layout file).`);
    return undefined;
  }
  const result = await vscode.window.withProgress(
    notificationProgress(`Validating ${path.basename(root)}`),
    async (progress, token) => {
      const controller = new AbortController();
      const subscription = token.onCancellationRequested(() => controller.abort());
      let reported = 0;
      try {
        return await validateLayout(root, {
          signal: controller.signal,
          onProgress: (p) => {
            const percent = p.bytesTotal ? (100 * p.bytesDone) / p.bytesTotal : 100;
            progress.report({ increment: percent - reported, message: `${p.blobsDone}/${p.blobsTotal} blobs` });
            reported = percent;
          },
        });
      } catch (err) {
        if (!controller.signal.aborted)
          void windowPrompts.notify('error', `Validating ${root} failed: ${(err as Error).message}`);
        return undefined;
      } finally {
        subscription.dispose();
      }
    },
  );
  if (!result) return undefined;
  results.publish(result);
  const errors = result.problems.filter((p) => p.severity === 'error').length;
  const warnings = result.problems.filter((p) => p.severity === 'warning').length;
  void windowPrompts.notify(
    'info',
    `${path.basename(root)}: ${result.documents} documents and ${result.blobs} blobs checked; ${counted(errors, 'error')}, ${counted(warnings, 'warning')}.`,
  );
  if (result.problems.length) void vscode.commands.executeCommand('workbench.actions.view.problems');
  return result;
}

function folderOf(argument: LayoutTargetArgument | undefined): string | undefined {
  if (argument === undefined || typeof argument === 'string') return argument;
  if (argument instanceof vscode.Uri) return argument.scheme === 'file' ? argument.fsPath : undefined;
  return argument.type === 'layout' ? argument.store.path : undefined;
}

async function pickFolder(): Promise<string | undefined> {
  const picked = await vscode.window.showOpenDialog({
    canSelectFolders: true,
    canSelectFiles: false,
    canSelectMany: false,
    openLabel: 'Validate Layout',
    title: 'OCI image layout to validate',
  });
  return picked?.[0]?.fsPath;
}
