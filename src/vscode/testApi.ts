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

export interface StowageTestApi {
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
  /** How many large pulled files a hashing thread has written (its bundle must sit beside this one). */
  hashingWorkerWrites(): number;
  /** Answers questions with `prompts` instead of the window until the returned disposable is disposed. */
  usePrompts(prompts: Prompts): vscode.Disposable;
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
  hashingWorkerWrites(): number;
  usePrompts(prompts: Prompts): vscode.Disposable;
  /** The same write the login command does, bypassing it. */
  writeLogin(host: string, credentials: Credentials | undefined): Promise<void>;
  registriesDescription(): string | undefined;
  useNamespaceApis(bases: Partial<NamespaceApiBases>): void;
}

/** The extension's exports for this mode: nothing in production and development, the facade under test. */
export function exportsFor(mode: vscode.ExtensionMode, parts: ExtensionParts): StowageTestApi | undefined {
  return mode === vscode.ExtensionMode.Test ? testFacade(parts) : undefined;
}

function testFacade(parts: ExtensionParts): StowageTestApi {
  const { registries, layouts, dragAndDrop, supplyChain } = parts;
  return {
    registries: {
      getChildren: (node) => registries.getChildren(node),
      getTreeItem: (node) => registries.getTreeItem(node),
      onDidChangeTreeData: (listener, thisArg, disposables) =>
        registries.onDidChangeTreeData(listener, thisArg, disposables),
      resolveTreeItem: (item, node, token) => registries.resolveTreeItem(item, node, token),
      refresh: (node) => registries.refresh(node),
    },
    layouts: {
      getChildren: (node) => layouts.getChildren(node),
      getTreeItem: (node) => layouts.getTreeItem(node),
      onDidChangeTreeData: (listener, thisArg, disposables) =>
        layouts.onDidChangeTreeData(listener, thisArg, disposables),
    },
    dragAndDrop: {
      handleDrag: (source, data) => dragAndDrop.handleDrag(source, data),
      handleDrop: (target, data) => dragAndDrop.handleDrop(target, data),
    },
    supplyChain: {
      currentGraph: () => supplyChain.graphs.current?.graph,
      verificationOf: (store, digest) => supplyChain.verification.get(store, digest),
    },
    logUri: parts.logUri,
    runningTransfers: () => parts.runningTransfers(),
    hashingWorkerWrites: () => parts.hashingWorkerWrites(),
    usePrompts: (prompts) => parts.usePrompts(prompts),
    changeLoginAsAnotherWindow: (host, credentials) => parts.writeLogin(host, credentials),
    registriesDescription: () => parts.registriesDescription(),
    useNamespaceApis: (bases) => parts.useNamespaceApis({ ...bases }),
  };
}
