// What `activate` returns. Any installed extension can read another extension's exports, so in production Stowage
// exports nothing: its providers hold the credential store, and a handle on them was a handle on every saved
// password. When VS Code runs Stowage's own extension tests (ExtensionMode.Test: set by VS Code from the launch,
// not something another extension or a workspace can switch on), the tests get a facade made of closures and
// plain data: views, drag and drop, graph and verification results, and a write-only way to change a login the
// way another window would. No object reachable from it holds SecretStorage.
import * as vscode from 'vscode';
import type { GraphView } from '../protocol/messages';
import type { SupplyChain } from './supplyChain/createSupplyChain';
import type { VerificationEntry } from './supplyChain/VerificationCache';
import type { Credentials, NamespaceApiBases } from '../core/registry';
import type { Prompts } from './prompts';
import type { ArtifactDragAndDrop } from './tree/dragAndDrop';
import type { LayoutsProvider } from './tree/LayoutsProvider';
import type { StoreRef } from '../core/oci';
import type { TreeNode } from './tree/nodes';
import type { RegistriesProvider } from './tree/RegistriesProvider';

/** A view as the tests read it: what the tree asks of its provider, and nothing the provider holds. */
export interface TreeFacade {
  getChildren(node?: TreeNode): Promise<TreeNode[]>;
  getTreeItem(node: TreeNode): vscode.TreeItem;
  readonly onDidChangeTreeData: vscode.Event<TreeNode | undefined>;
}

/** How the extension started: the light activation (linting) and whether the workbench bundle loaded since. */
export interface ActivationReport {
  /** Stowage's own activation cost in milliseconds: evaluating the entry bundle plus running activate(). */
  activationMs: number;
  /**
   * moduleEvaluation and editorBeforeActivate (the editor's time between loading the bundle and calling
   * activate), then milliseconds from the start of activate() to the end of each step (log, linting, views, commands).
   */
  phases?: Record<string, number>;
  /** Whether stores, trees and commands were loaded (the first view, command or document does it). */
  workbenchLoaded: boolean;
  /** How long loading the workbench took, once it has. */
  workbenchLoadMs?: number;
}

export interface StowageTestApi {
  /** Loads the workbench (as a view, command or document would); every other member needs it. */
  ready(): Promise<void>;
  activation(): ActivationReport;
  readonly registries: TreeFacade & {
    resolveTreeItem(item: vscode.TreeItem, node: TreeNode, token: vscode.CancellationToken): Promise<vscode.TreeItem>;
    refresh(node?: TreeNode): void;
  };
  readonly layouts: TreeFacade;
  readonly dragAndDrop: {
    handleDrag(source: readonly TreeNode[], data: vscode.DataTransfer): Promise<void>;
    handleDrop(target: TreeNode | undefined, data: vscode.DataTransfer): Promise<void>;
  };
  readonly supplyChain: {
    /** The graph of the referrer-graph panel shown most recently. */
    currentGraph(): GraphView | undefined;
    verificationOf(store: StoreRef, digest: string): VerificationEntry | undefined;
  };
  /** Where the "Stowage" log is written. */
  readonly logUri: vscode.Uri;
  /** How many transfers (push, pull, copy) are showing progress now. */
  runningTransfers(): number;
  /** The messages and bar positions (0–100) the most recent transfer's progress notification showed, in order. */
  shownTransferProgress(): readonly { message: string; percent: number }[];
  /** How many reads (a `files` document's layers) are showing progress in the status bar now. */
  runningStatusBarReads(): number;
  /** How many large pulled files a hashing thread has written (its bundle must sit beside this one). */
  hashingWorkerWrites(): number;
  /** How many documents the lint thread has checked (large ones are checked there; its bundle sits beside this one). */
  lintThreadChecks(): number;
  /** Answers questions with `prompts` instead of the window until the returned disposable is disposed. */
  usePrompts(prompts: Prompts): vscode.Disposable;
  /** Takes `nodes` as the views' selection until the returned disposable is disposed. */
  useSelection(nodes: readonly TreeNode[]): vscode.Disposable;
  /** Writes (or with `undefined`, removes) a login under Stowage's key, as another window's login would. */
  changeLoginAsAnotherWindow(host: string, credentials: Credentials | undefined): Promise<void>;
  /** The Registries view's description (it names the filters in force). */
  registriesDescription(): string | undefined;
  /** Points the Docker Hub and GitHub web APIs at scripted servers (the tests' only way; never a setting). */
  useNamespaceApis(bases: Partial<NamespaceApiBases>): void;
}

export interface ExtensionParts {
  registries: RegistriesProvider;
  layouts: LayoutsProvider;
  dragAndDrop: ArtifactDragAndDrop;
  supplyChain: SupplyChain;
  logUri: vscode.Uri;
  runningTransfers(): number;
  shownTransferProgress(): readonly { message: string; percent: number }[];
  runningStatusBarReads(): number;
  hashingWorkerWrites(): number;
  usePrompts(prompts: Prompts): vscode.Disposable;
  useSelection(nodes: readonly TreeNode[]): vscode.Disposable;
  /** The same write the login command does, bypassing it. */
  writeLogin(host: string, credentials: Credentials | undefined): Promise<void>;
  registriesDescription(): string | undefined;
  useNamespaceApis(bases: Partial<NamespaceApiBases>): void;
}

/** What the light part knows: the workbench's parts once loaded, how to load them, and how activation went. */
export interface LazyParts {
  current(): ExtensionParts | undefined;
  load(): Promise<ExtensionParts>;
  activation(): ActivationReport;
  lintThreadChecks(): number;
}

/** The extension's exports for this mode: nothing in production and development, the facade under test. */
export function exportsFor(mode: vscode.ExtensionMode, lazy: LazyParts): StowageTestApi | undefined {
  return mode === vscode.ExtensionMode.Test ? testFacade(lazy) : undefined;
}

function testFacade(lazy: LazyParts): StowageTestApi {
  const parts = (): ExtensionParts => {
    const loaded = lazy.current();
    if (!loaded) throw new Error('the Stowage workbench is not loaded: await api.ready() first');
    return loaded;
  };
  return {
    ready: async () => {
      await lazy.load();
    },
    activation: () => lazy.activation(),
    registries: {
      getChildren: (node) => parts().registries.getChildren(node),
      getTreeItem: (node) => parts().registries.getTreeItem(node),
      onDidChangeTreeData: (listener, thisArg, disposables) =>
        parts().registries.onDidChangeTreeData(listener, thisArg, disposables),
      resolveTreeItem: (item, node, token) => parts().registries.resolveTreeItem(item, node, token),
      refresh: (node) => parts().registries.refresh(node),
    },
    layouts: {
      getChildren: (node) => parts().layouts.getChildren(node),
      getTreeItem: (node) => parts().layouts.getTreeItem(node),
      onDidChangeTreeData: (listener, thisArg, disposables) =>
        parts().layouts.onDidChangeTreeData(listener, thisArg, disposables),
    },
    dragAndDrop: {
      handleDrag: (source, data) => parts().dragAndDrop.handleDrag(source, data),
      handleDrop: (target, data) => parts().dragAndDrop.handleDrop(target, data),
    },
    supplyChain: {
      currentGraph: () => parts().supplyChain.graphs.current?.graph,
      verificationOf: (store, digest) => parts().supplyChain.verification.get(store, digest),
    },
    get logUri() {
      return parts().logUri;
    },
    runningTransfers: () => parts().runningTransfers(),
    shownTransferProgress: () => parts().shownTransferProgress(),
    runningStatusBarReads: () => parts().runningStatusBarReads(),
    hashingWorkerWrites: () => parts().hashingWorkerWrites(),
    lintThreadChecks: () => lazy.lintThreadChecks(),
    usePrompts: (prompts) => parts().usePrompts(prompts),
    useSelection: (nodes) => parts().useSelection([...nodes]),
    changeLoginAsAnotherWindow: (host, credentials) => parts().writeLogin(host, credentials),
    registriesDescription: () => parts().registriesDescription(),
    useNamespaceApis: (bases) => parts().useNamespaceApis({ ...bases }),
  };
}
