// "Stowage: Validate Layout": validates a layout folder (from the Explorer, or picked) with progress and
// cancellation, and puts every problem in the Problems panel on the file it is in.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { isLayoutFolder, validateLayout, type LayoutProblem, type LayoutValidation } from '../../core/lint';
import type { LayoutNode } from '../tree/nodes';
import { notificationProgress } from '../progress';
import { type Prompts, windowPrompts } from '../prompts';
import { diagnostic } from './diagnostics';
import { counted } from '../../core/oci';

/**
 * The diagnostics Validate Layout found, per file. A file open in an editor is linted live too: the live linter
 * owns the problems it reports there (the same code on the same range is shown once, not twice); validation keeps
 * only what the live linter cannot know (an unreferenced blob, a blob that does not hash to its own name).
 */
export class LayoutValidationResults implements vscode.Disposable {
  readonly diagnostics = vscode.languages.createDiagnosticCollection('stowage-layout');
  private readonly filesByRoot = new Map<string, vscode.Uri[]>();
  /** Everything validation found, per file (uri string); `diagnostics` shows what the live linter does not. */
  private readonly found = new Map<string, vscode.Diagnostic[]>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly live?: { diagnostics: vscode.DiagnosticCollection; onDidPublish: vscode.Event<vscode.Uri> },
  ) {
    this.subscriptions = [
      vscode.workspace.onDidChangeTextDocument((e) => {
        // A file edited since the validation: its findings are stale, the live linter takes over.
        if (e.contentChanges.length) this.forget(e.document.uri);
      }),
      ...(live ? [live.onDidPublish((uri) => this.show(uri))] : []),
    ];
  }

  publish(result: LayoutValidation): void {
    for (const uri of this.filesByRoot.get(result.root) ?? []) this.forget(uri);
    const byFile = new Map<string, vscode.Diagnostic[]>();
    for (const problem of result.problems) {
      const list = byFile.get(problem.file) ?? [];
      list.push(toLayoutDiagnostic(result.root, problem));
      byFile.set(problem.file, list);
    }
    const uris: vscode.Uri[] = [];
    for (const [file, diagnostics] of byFile) {
      const uri = vscode.Uri.file(path.join(result.root, file));
      this.found.set(uri.toString(), diagnostics);
      this.show(uri);
      uris.push(uri);
    }
    this.filesByRoot.set(result.root, uris);
  }

  private show(uri: vscode.Uri): void {
    const found = this.found.get(uri.toString());
    if (!found) return;
    const live = this.live?.diagnostics.get(uri) ?? [];
    this.diagnostics.set(
      uri,
      found.filter((d) => !live.some((l) => l.code === d.code && l.range.isEqual(d.range))),
    );
  }

  private forget(uri: vscode.Uri): void {
    this.found.delete(uri.toString());
    this.diagnostics.delete(uri);
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
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

const SHOW_PROBLEMS = 'Show Problems';

export type LayoutTargetArgument = vscode.Uri | string | LayoutNode;

/** The command: a folder from the Explorer, a layout node from the Image Layouts view, or a path (the palette picks one). */
export async function validateLayoutCommand(
  results: LayoutValidationResults,
  folder: LayoutTargetArgument,
  prompts: Prompts = windowPrompts,
): Promise<LayoutValidation | undefined> {
  const root = folderOf(folder);
  if (!root) {
    void prompts.notify(
      'error',
      'Validate Layout needs a layout folder (a folder path, or a layout from Image Layouts).',
    );
    return undefined;
  }
  if (!(await isLayoutFolder(root))) {
    void prompts.notify('error', `${root} is not an OCI image layout (it has no oci-layout file).`);
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
          void prompts.notify('error', `Validating ${root} failed: ${(err as Error).message}`);
        return undefined;
      } finally {
        subscription.dispose();
      }
    },
  );
  if (!result) return undefined;
  results.publish(result);
  const count = (severity: LayoutProblem['severity']) => result.problems.filter((p) => p.severity === severity).length;
  const summary = `${path.basename(root)}: ${counted(result.documents, 'document')} and ${counted(result.blobs, 'blob')} checked; ${counted(count('error'), 'error')}, ${counted(count('warning'), 'warning')}, ${counted(count('info'), 'notice')}.`;
  // Not awaited: the command resolves with the result while the notification waits for its button.
  void prompts
    .notify('info', summary, ...(result.problems.length ? [SHOW_PROBLEMS] : []))
    .then((chosen) =>
      chosen === SHOW_PROBLEMS ? vscode.commands.executeCommand('workbench.actions.view.problems') : undefined,
    );
  return result;
}

function folderOf(argument: LayoutTargetArgument): string | undefined {
  if (typeof argument === 'string') return argument;
  if (argument instanceof vscode.Uri) return argument.scheme === 'file' ? argument.fsPath : undefined;
  return argument.type === 'layout' ? argument.store.path : undefined;
}
