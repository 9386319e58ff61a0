// One referrer-graph webview: loads the graph after the webview's `ready`, answers its requests (expand a node,
// run a node action, save the SVG) by id, and reloads when the store's content or verification results change.
import { writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import * as vscode from 'vscode';
import {
  type Descriptor,
  AbortedError,
  printable,
  formatReference,
  type Manifest,
  type StoreRef,
  storeId,
} from '../../core/oci';
import {
  buildJudgedGraph,
  DEFAULT_GRAPH_NODES,
  describeGraphRoot,
  type Referrer,
  type ReferrerGraphOptions,
} from '../../core/graph';
import type { Target } from '../../core/content';
import {
  isWebviewMessage,
  webviewMessageProblem,
  type Done,
  type ExtensionToWebview,
  type GraphParts,
  type GraphView,
  type NodeAction,
} from '../../protocol/messages';
import { respond, type RequestHandlers } from '../../protocol/requests';
import { adviseOn } from '../errorAdvice';
import { Disposable } from '../lifecycle';
import type { ManifestNode } from '../tree/nodes';
import { graphInitialDepth } from '../supplyChain/trustSettings';
import type { VerificationCache } from '../supplyChain/VerificationCache';
import { filterFactsOf, toGraphParts } from './graphModel';
import { matchesFilter } from '../../protocol/filterGraph';
import { graphHtml } from './graphHtml';
import { graphExportFileName } from './graphTitle';
import { windowPrompts } from '../prompts';
import { mergeGraph } from '../../protocol/mergeGraph';
import { CHANGING_ACTIONS, NODE_ACTION_COMMANDS } from './nodeActions';

export const GRAPH_VIEW_TYPE = 'stowage.referrerGraph';

export interface GraphPanelDeps {
  extensionUri: vscode.Uri;
  target: (store: StoreRef) => Promise<Target>;
  verification: VerificationCache;
  log: vscode.LogOutputChannel;
}

export class GraphPanel extends Disposable {
  private view: GraphView | undefined;
  private ready = false;
  /** The first walk, started with the panel so that it overlaps the webview's start-up (taken by the first load). */
  private early: Promise<GraphView> | undefined;
  private readonly onDisposed = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.onDisposed.event;
  /** Resolves each time a graph has been posted (tests wait on it). */
  private readonly posted = this.register(new vscode.EventEmitter<GraphView>());
  readonly onDidPostGraph = this.posted.event;
  /** Ends every walk of this panel when it closes: a walk of a large or hostile graph must not outlive it. */
  private readonly walks = new AbortController();
  /** The webview's filter words: every walk (load, reload after a change, expand) applies them (filterGraph.ts). */
  private artifactTypes: string[] = [];
  /** The root with its artifact type and annotations, read once per panel (a digest's manifest never changes). */
  private describedRoot: Promise<Descriptor> | undefined;

  constructor(
    private readonly panel: vscode.WebviewPanel,
    readonly store: StoreRef,
    readonly root: Descriptor,
    private readonly reference: string,
    private readonly deps: GraphPanelDeps,
    /** The root's manifest when the opener has read it (a tag fetched, an open document): not read again. */
    private readonly rootManifest?: Manifest,
  ) {
    super();
    this.register(this.onDisposed);
    this.register({ dispose: () => this.walks.abort(new AbortedError()) });
    panel.webview.options = {
      enableScripts: true,
      localResourceRoots: [
        vscode.Uri.joinPath(deps.extensionUri, 'dist'),
        vscode.Uri.joinPath(deps.extensionUri, 'media'),
      ],
    };
    panel.webview.html = graphHtml(panel.webview, deps.extensionUri);
    this.register(panel.webview.onDidReceiveMessage((message: unknown) => void this.receive(message)));
    this.register(
      panel.onDidDispose(() => {
        this.onDisposed.fire();
        this.dispose();
      }),
    );
    this.register(
      deps.verification.onDidChange((changed) => {
        if (storeId(changed) === storeId(store)) void this.load();
      }),
    );
    this.early = this.walk();
    this.early.catch(() => undefined); // reported by the load that takes it
  }

  /** Whether the panel's walks were told to stop (it closed); for the extension-host tests. */
  get walksAborted(): boolean {
    return this.walks.signal.aborted;
  }

  get graph(): GraphView | undefined {
    return this.view;
  }

  get key(): string {
    return panelKey(this.store, this.root.digest);
  }

  reveal(): void {
    this.panel.reveal();
  }

  /** Loads the graph from the store again (after an attach or a delete). */
  async load(): Promise<void> {
    if (!this.ready) return;
    const early = this.early;
    this.early = undefined;
    try {
      const view = await (early ?? this.walk());
      // A walk made under a filter the user has changed since is stale: the walk for the new filter follows.
      if (!sameTypes(view.artifactTypes, this.artifactTypes)) return;
      this.view = view;
      await this.post({ type: 'graph', graph: this.view });
      this.posted.fire(this.view);
    } catch (error) {
      if (this.walks.signal.aborted) return;
      this.deps.log.error(`Referrer graph of ${this.root.digest}: ${adviseOn(error).message}`);
      await this.post({ type: 'loadError', message: adviseOn(error).message });
    }
  }

  private async walk(): Promise<GraphView> {
    const target = await this.deps.target(this.store);
    const artifactTypes = [...this.artifactTypes];
    const root = await this.rootOf(target);
    const left = new Set<string>();
    const graph = await buildJudgedGraph(target, root, this.walkOptions(artifactTypes, root.digest, left));
    const parts = toGraphParts(graph, (digest) => this.deps.verification.get(this.store, digest));
    for (const line of parts.notReferrers ?? []) this.deps.log.warn(`Referrer graph: ${line}`);
    return {
      location: target.location,
      reference: this.reference,
      root: graph.root,
      ...parts,
      artifactTypes,
      ...(artifactTypes.length ? { filteredOut: left.size } : {}),
    };
  }

  /**
   * The root as the tree names it (kind, artifact type, annotations): a tag resolved or a digest says only the
   * media type, and the root would be drawn as an "Image". A failed read is tried again by the next load.
   */
  private rootOf(target: Target): Promise<Descriptor> {
    this.describedRoot ??= describeGraphRoot(target, this.root, {
      signal: this.walks.signal,
      manifest: this.rootManifest,
    }).catch((error: unknown) => {
      this.describedRoot = undefined;
      throw error;
    });
    return this.describedRoot;
  }

  /**
   * The walk's limits and filter. The filter's words are no exact types the referrers API could be asked for
   * ("sbom", "spdx"): every referrer is listed and the engine keeps those that match, at every level, by the rule
   * the webview applies; the referrers of `subject` it leaves out are added to `left`.
   */
  private walkOptions(words = this.artifactTypes, subject?: string, left = new Set<string>()): ReferrerGraphOptions {
    return {
      maxDepth: graphInitialDepth(),
      maxNodes: DEFAULT_GRAPH_NODES,
      signal: this.walks.signal,
      ...(words.length
        ? {
            accept: (of: string, referrer: Referrer) => {
              const keep = matchesFilter(words, filterFactsOf(referrer.descriptor));
              if (!keep && of === subject) left.add(referrer.descriptor.digest);
              return Promise.resolve(keep);
            },
          }
        : {}),
    };
  }

  /** Rebuilds the graph with only referrers matching the words `artifactTypes` (none: all); posted like any load. */
  private async filter(artifactTypes: string[]): Promise<Done> {
    this.artifactTypes = [...artifactTypes];
    this.deps.log.info(
      `Referrer graph of ${this.root.digest}: ${artifactTypes.length ? `only ${artifactTypes.join(', ')}` : 'every referrer'}`,
    );
    await this.load();
    return {};
  }

  private async receive(message: unknown): Promise<void> {
    if (!isWebviewMessage(message)) {
      this.deps.log.warn(`Referrer graph: ignored a message from the webview: ${webviewMessageProblem(message)}`);
      return;
    }
    if (message.type === 'ready') {
      this.ready = true;
      await this.post({ type: 'init', title: printable(this.reference) });
      await this.load();
      return;
    }
    await this.post(await respond(this.handlers, message, (error) => adviseOn(error).message));
  }

  /** The answer to each request the webview can make (typed by GraphRequests). */
  private readonly handlers: RequestHandlers = {
    expand: ({ digest }) => this.expand(digest),
    action: ({ action, digest }) => this.runAction(action, digest),
    saveSvg: ({ svg }) => this.saveSvg(svg),
    filter: ({ artifactTypes }) => this.filter(artifactTypes),
  };

  private async runAction(action: NodeAction, digest: string): Promise<Done> {
    const node = this.manifestNode(digest);
    await vscode.commands.executeCommand(NODE_ACTION_COMMANDS[action], node);
    if (CHANGING_ACTIONS.has(action)) await this.load();
    return {};
  }

  /**
   * Export SVG: suggests `<name>-<tag or short digest>-referrers.svg` in the workspace folder (not wherever the last
   * dialog was), writes the file and says so in a notification as well as in the panel.
   */
  private async saveSvg(svg: string): Promise<Done> {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(homedir());
    const uri = await windowPrompts.saveDialog({
      title: 'Export Referrer Graph',
      defaultUri: vscode.Uri.joinPath(folder, graphExportFileName(this.store, this.reference)),
      filters: { SVG: ['svg'] },
      saveLabel: 'Export SVG',
    });
    if (!uri) return {};
    await writeFile(uri.fsPath, svg);
    void windowPrompts.notify('info', `Exported the referrer graph of ${this.reference} to ${uri.fsPath}`);
    return { message: `Saved ${uri.fsPath}` };
  }

  private async expand(digest: string): Promise<GraphParts> {
    const known = this.view?.nodes.find((n) => n.digest === digest);
    if (!this.view || !known) throw new Error(`${digest} is not in this graph`);
    const target = await this.deps.target(this.store);
    const graph = await buildJudgedGraph(
      target,
      { mediaType: known.mediaType, digest, size: known.size },
      this.walkOptions(),
    );
    const parts = toGraphParts(graph, (d) => this.deps.verification.get(this.store, d), known.depth);
    this.view = mergeGraph(this.view, parts, digest);
    return parts;
  }

  /** The tree's kind of node for a graph node, with its subject when it is a referrer (delete needs it). */
  private manifestNode(digest: string): ManifestNode {
    const node = this.view?.nodes.find((n) => n.digest === digest);
    if (!node) throw new Error(`${digest} is not in this graph`);
    const descriptor: Descriptor = {
      mediaType: node.mediaType,
      digest,
      size: node.size,
      ...(node.artifactType ? { artifactType: node.artifactType } : {}),
      annotations: node.annotations,
    };
    const incoming = this.view!.edges.find((e) => e.to === digest);
    const result: ManifestNode = {
      type: 'manifest',
      id: `${storeId(this.store)}/graph/${digest}`,
      store: this.store,
      descriptor,
    };
    if (incoming) {
      result.referrer = { descriptor, source: incoming.source, ...(incoming.tag ? { tag: incoming.tag } : {}) };
      result.subject = incoming.from;
    }
    return result;
  }

  private async post(message: ExtensionToWebview): Promise<void> {
    await this.panel.webview.postMessage(message);
  }
}

function sameTypes(a: readonly string[] | undefined, b: readonly string[]): boolean {
  return (a ?? []).join(' ') === b.join(' ');
}

export function panelKey(store: StoreRef, digest: string): string {
  return `${storeId(store)}|${digest}`;
}

export function referenceOf(store: StoreRef, tagOrDigest: { tag?: string; digest?: string }): string {
  return formatReference({ ...store, ...tagOrDigest });
}
