// Typed messages between the extension and the webview. The webview starts with `ready` and the extension
// sends nothing before it; every request carries an id that its response echoes, and `GraphRequests` maps each
// request kind to its params and its result (src/protocol/requests.ts sends and answers them).

import type { ArtifactFamily, ArtifactKind, ReferrerSource } from '../core/graph';
import { artifactTypesProblem } from './filterGraph';

/** What a graph node is (its glyph and friendly name): classified by the engine from the descriptor. */
export type { ArtifactKind };

/** `unverified`: could not be checked (a keyless cosign signature, or no trust material for its kind). */
export type VerificationStatus = 'verified' | 'failed' | 'unverified';

export interface GraphNodeView {
  digest: string;
  mediaType: string;
  artifactType?: string;
  size: number;
  kind: ArtifactKind;
  /** The friendly name of the kind ("Notary signature"). */
  kindLabel: string;
  /** The tree's group for the kind (the type filter matches its name). */
  family: ArtifactFamily;
  /** org.opencontainers.image.created, as the store wrote it. */
  created?: string;
  /** Every annotation, exactly as the store returned it (untrusted text). */
  annotations: Record<string, string>;
  /** The descriptor as JSON, pretty-printed (untrusted text). */
  descriptorJson: string;
  depth: number;
  /** Has referrers that were not loaded yet (expand asks for them). */
  truncated: boolean;
  verification?: { status: VerificationStatus; detail: string };
}

/** Where a referrer was found, in the words the graph's edges and the tree's hovers both use. */
export const REFERRER_SOURCE_LABELS: Readonly<Record<ReferrerSource, string>> = {
  api: 'referrers API',
  'fallback-tag': 'fallback tag',
  'cosign-tag': 'cosign tag',
};

export interface GraphEdgeView {
  from: string;
  to: string;
  source: ReferrerSource;
  tag?: string;
}

export interface GraphView {
  /** Where the graph lives ("127.0.0.1:5000/team/app" or "oci:/path"), for the title. */
  location: string;
  /** The reference the user asked for. */
  reference: string;
  root: string;
  nodes: GraphNodeView[];
  edges: GraphEdgeView[];
  /** The filter words the graph was built with (empty or absent: every referrer); see filterGraph.ts. */
  artifactTypes?: string[];
  /**
   * With a filter: how many of the root's own referrers it left out, so that the webview can say "the filter
   * matched none of N" rather than "there are none".
   */
  filteredOut?: number;
  /**
   * Manifests a listing named as referrers that are not (their own subject names something else): left out of the
   * graph, one line each (untrusted text), for the webview to say so.
   */
  notReferrers?: string[];
}

/** Actions a node offers; the extension runs them against the node's store. */
export type NodeAction =
  | 'openManifest'
  | 'pull'
  | 'copyReference'
  | 'attachSbom'
  | 'attachSignature'
  | 'attachFile'
  | 'verify'
  | 'delete'
  | 'showGraph';

export const NODE_ACTIONS: readonly { action: NodeAction; label: string }[] = [
  { action: 'openManifest', label: 'Open Manifest' },
  { action: 'pull', label: 'Pull…' },
  { action: 'copyReference', label: 'Copy Reference' },
  { action: 'attachSbom', label: 'Attach SBOM…' },
  { action: 'attachSignature', label: 'Attach Signature…' },
  { action: 'attachFile', label: 'Attach File…' },
  { action: 'verify', label: 'Verify Signatures' },
  { action: 'showGraph', label: 'Show Its Graph' },
  { action: 'delete', label: 'Delete…' },
];

/**
 * The actions a node's details offer: an SBOM describes an artifact, not a signature, an SBOM or an attestation,
 * and a signature is not signed again (an SBOM or an attestation may be: a signature of its own is what makes it
 * count as verified); Show Its Graph only below the root.
 */
export function nodeActionsOf(node: Pick<GraphNodeView, 'family'>, isRoot: boolean): NodeAction[] {
  return NODE_ACTIONS.map((a) => a.action).filter((action) => {
    if (action === 'showGraph') return !isRoot;
    if (action === 'attachSbom') return node.family === 'other';
    if (action === 'attachSignature') return node.family !== 'signature';
    return true;
  });
}

/** A node's referrers, loaded under it. */
export interface GraphParts {
  nodes: GraphNodeView[];
  edges: GraphEdgeView[];
  /** As GraphView.notReferrers, for the referrers loaded. */
  notReferrers?: string[];
}

/** A request that only finishes; `message` is a line to show next to what asked ("Saved …"). */
export interface Done {
  message?: string;
}

/**
 * Every request the webview makes, by kind: what it sends with it and what the extension answers. The one
 * place a request is declared; the webview's `request` and the extension's handler table are typed from it.
 */
export interface GraphRequests {
  expand: { params: { digest: string }; result: GraphParts };
  action: { params: { action: NodeAction; digest: string }; result: Done };
  saveSvg: { params: { svg: string }; result: Done };
  /** Rebuild the graph with only referrers of these types (none: every referrer); the graph follows as a message. */
  filter: { params: { artifactTypes: string[] }; result: Done };
}

export type RequestKind = keyof GraphRequests;
export type RequestParams<K extends RequestKind> = GraphRequests[K]['params'];
export type RequestResult<K extends RequestKind> = GraphRequests[K]['result'];

/** A request as posted: its kind beside its params (the shape webviewMessageProblem checks). */
export type GraphRequest<K extends RequestKind = RequestKind> = { [P in K]: { kind: P } & RequestParams<P> }[K];

export interface ReadyMessage {
  type: 'ready';
}

export interface RequestMessage<K extends RequestKind = RequestKind> {
  type: 'request';
  id: number;
  request: GraphRequest<K>;
}

export type WebviewToExtension = ReadyMessage | RequestMessage;

export interface InitMessage {
  type: 'init';
  title: string;
}

/** The whole graph (first load and after a change such as an attach or a verification). */
export interface GraphMessage {
  type: 'graph';
  graph: GraphView;
}

/** A failure to show in place of the graph (loading failed) rather than as a notification. */
export interface LoadErrorMessage {
  type: 'loadError';
  message: string;
}

/** The answer to the request with the same id: its result, or why it failed (shown inline next to what asked). */
export type ResponseMessage =
  | { type: 'response'; id: number; result: RequestResult<RequestKind> }
  | { type: 'response'; id: number; error: string };

export type ExtensionToWebview = InitMessage | GraphMessage | LoadErrorMessage | ResponseMessage;

/** The actions the extension runs for the webview; anything else a webview posts is refused. */
const NODE_ACTION_NAMES: ReadonlySet<string> = new Set(NODE_ACTIONS.map((a) => a.action));

/**
 * Why a message posted by the webview is refused, or undefined when it is one the extension answers. Anything
 * can be posted there (a compromised or buggy webview), so every field the extension reads is checked: a
 * request's kind, its digest or SVG, and an action against the allowed set.
 */
export function webviewMessageProblem(value: unknown): string | undefined {
  if (!value || typeof value !== 'object') return 'not an object';
  const message = value as { type?: unknown; id?: unknown; request?: unknown };
  if (message.type === 'ready') return undefined;
  if (message.type !== 'request') return `unknown message type ${describe(message.type)}`;
  if (!Number.isSafeInteger(message.id)) return 'a request without a whole-number id';
  if (!message.request || typeof message.request !== 'object') return 'a request without a body';
  const request = message.request as {
    kind?: unknown;
    action?: unknown;
    digest?: unknown;
    svg?: unknown;
    artifactTypes?: unknown;
  };
  switch (request.kind) {
    case 'expand':
      return typeof request.digest === 'string' ? undefined : 'an expand request without a digest';
    case 'action':
      if (typeof request.action !== 'string' || !NODE_ACTION_NAMES.has(request.action))
        return `unknown action ${describe(request.action)}`;
      return typeof request.digest === 'string' ? undefined : 'an action request without a digest';
    case 'saveSvg':
      return typeof request.svg === 'string' ? undefined : 'a saveSvg request without an SVG';
    case 'filter':
      return artifactTypesProblem(request.artifactTypes);
    default:
      return `unknown request kind ${describe(request.kind)}`;
  }
}

/** Type guard for messages arriving from the webview. */
export function isWebviewMessage(value: unknown): value is WebviewToExtension {
  return webviewMessageProblem(value) === undefined;
}

/** A short, quoted form of a refused value for the log (JSON escapes its control characters). */
function describe(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}
