// Lints open documents as they change (debounced) and publishes diagnostics; keeps each document's last
// problems so quick fixes can use their edits; forgets everything about a document when it closes.
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  lintEditorDocument,
  mayBeOciDocument,
  type EditorLintRequest,
  type EditorLintResult,
  type Problem,
  type SbomLinter,
  LayoutBlobStore,
  LintThread,
} from '../../core/lint';
import { mayBeSbom } from '../../core/oci';
import { decodedFromDisk } from './bytesOnDisk';
import { toDiagnostic } from './diagnostics';
import { lintTargetOf, type LintTarget } from './lintTarget';

const DEBOUNCE_MS = 300;
/**
 * Documents longer than this (characters) are checked on the lint thread (core/lint's LintThread), after a longer
 * pause: checking an 11 MB SBOM takes ~0.5 s, which on the extension host every other extension would wait for.
 * Manifests stay far below it (registries refuse them over 4 MiB).
 */
export const HOST_LINT_MAX_CHARS = 1_000_000;
const LARGE_DEBOUNCE_MS = 1000;
/** The lint thread's script: beside the bundle (dist/), or beside this module when compiled for tests. */
const LINT_WORKER_FILE = path.join(__dirname, 'lintWorker.js');

export interface LintedDocument {
  version: number;
  problems: Problem[];
  target: LintTarget;
}

export class DocumentLinter implements vscode.Disposable {
  readonly diagnostics = vscode.languages.createDiagnosticCollection('stowage');
  private readonly published = new vscode.EventEmitter<vscode.Uri>();
  /** Fires when a document's live diagnostics change (published, or cleared when it closes). */
  readonly onDidPublish = this.published.event;
  private readonly results = new Map<string, LintedDocument>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly running = new Map<string, AbortController>();
  /** Plain JSON files once recognised as OCI stay linted, so a syntax error while typing does not hide them. */
  private readonly recognised = new Set<string>();
  private readonly stores = new Map<string, LayoutBlobStore>();
  private readonly subscriptions: vscode.Disposable[];
  private thread: LintThread | undefined;

  constructor(
    private readonly log: vscode.LogOutputChannel,
    /** Validates an SBOM (core/supplyChain's lintSbom): passed in, so that what validates loads only for SBOMs. */
    private readonly lintSbom: SbomLinter,
  ) {
    this.subscriptions = [
      vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d, 0)),
      vscode.workspace.onDidChangeTextDocument((e) =>
        this.schedule(e.document, isLarge(e.document) ? LARGE_DEBOUNCE_MS : DEBOUNCE_MS),
      ),
      vscode.workspace.onDidCloseTextDocument((d) => this.forget(d.uri)),
    ];
    for (const document of vscode.workspace.textDocuments) this.schedule(document, 0);
  }

  /** Documents checked on the lint thread so far (tests: large ones are checked there, not here). */
  get checkedOnThread(): number {
    return this.thread?.checks ?? 0;
  }

  /** The problems of the document's current version, if it has been linted. */
  resultFor(document: vscode.TextDocument): LintedDocument | undefined {
    const result = this.results.get(document.uri.toString());
    return result?.version === document.version ? result : undefined;
  }

  storeFor(root: string): LayoutBlobStore {
    let store = this.stores.get(root);
    if (!store) this.stores.set(root, (store = new LayoutBlobStore(root)));
    return store;
  }

  /** Lints now; resolves when the diagnostics are published (tests and commands wait on it). */
  async lintNow(document: vscode.TextDocument): Promise<LintedDocument | undefined> {
    const key = document.uri.toString();
    clearTimeout(this.timers.get(key));
    this.running.get(key)?.abort();
    const controller = new AbortController();
    this.running.set(key, controller);
    try {
      return await this.lint(document, controller.signal);
    } catch (err) {
      if (!controller.signal.aborted)
        this.log.warn(`Linting ${document.uri.toString(true)} failed: ${(err as Error).message}`);
      return undefined;
    } finally {
      if (this.running.get(key) === controller) this.running.delete(key);
    }
  }

  private schedule(document: vscode.TextDocument, delayMs: number): void {
    const key = document.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        void this.lintNow(document);
      }, delayMs),
    );
  }

  private async lint(document: vscode.TextDocument, signal: AbortSignal): Promise<LintedDocument | undefined> {
    const key = document.uri.toString();
    const target = await lintTargetOf(document);
    if (!target || document.isClosed) return undefined;
    const version = document.version;
    const text = document.getText();
    const maySbom = (!target.layout || target.layout.role === 'draft') && mayBeSbom(text);
    const recognised = this.recognised.has(key);
    // Most JSON in a workspace is neither: a text search spares parsing it.
    if (target.byContentOnly && !recognised && !maySbom && !mayBeOciDocument(text)) return undefined;
    const input = (await decodedFromDisk(document, text)) ?? text;
    if (document.isClosed || document.version !== version) return undefined;
    const request: EditorLintRequest = {
      input,
      context: target.context,
      layoutRoot: target.layout?.root,
      byContentOnly: target.byContentOnly,
      recognised,
      // An SBOM anywhere in the workspace is checked against its own schema, as `stowage lint` checks it.
      maySbom,
    };
    const result = await this.check(request, text.length > HOST_LINT_MAX_CHARS, signal);
    if (!result) return undefined;
    if (result.recognised) this.recognised.add(key);
    return this.publish(document, { version, problems: result.problems, target }, signal);
  }

  private check(
    request: EditorLintRequest,
    large: boolean,
    signal: AbortSignal,
  ): Promise<EditorLintResult | undefined> {
    if (large) return (this.thread ??= new LintThread(LINT_WORKER_FILE)).lint(request, signal);
    return lintEditorDocument(request, {
      lintSbom: this.lintSbom,
      storeFor: (root) => this.storeFor(root),
      signal,
    });
  }

  private publish(
    document: vscode.TextDocument,
    result: LintedDocument,
    signal: AbortSignal,
  ): LintedDocument | undefined {
    if (signal.aborted || document.isClosed || document.version !== result.version) return undefined;
    const { problems } = result;
    this.results.set(document.uri.toString(), result);
    this.diagnostics.set(
      document.uri,
      problems.map((p) => toDiagnostic(document, p)),
    );
    this.published.fire(document.uri);
    return result;
  }

  private forget(uri: vscode.Uri): void {
    const key = uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    this.running.get(key)?.abort();
    this.results.delete(key);
    this.recognised.delete(key);
    this.diagnostics.delete(uri);
    this.published.fire(uri);
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    for (const controller of this.running.values()) controller.abort();
    for (const s of this.subscriptions) s.dispose();
    this.thread?.dispose();
    this.diagnostics.dispose();
    this.published.dispose();
  }
}

function isLarge(document: vscode.TextDocument): boolean {
  // The offset of the end is the length, without building the text.
  return document.offsetAt(new vscode.Position(document.lineCount, 0)) > HOST_LINT_MAX_CHARS;
}
