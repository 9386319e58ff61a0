// How each node is drawn. Labels, descriptions and tooltips are plain strings (never Markdown): everything shown
// may come from a registry and is untrusted, so each item's texts pass through `untrustedText` as it is made.
import * as vscode from 'vscode';
import {
  shortDigest,
  printable,
  isIndexType,
  untrustedText,
  formatBytes,
  formatManifestSize,
  formatContentSize,
  counted,
} from '../../core/oci';
import { ARTIFACT_KIND_LABELS, artifactKindOf, type ArtifactKind } from '../../core/graph';
import { namespaceApiOf } from '../../core/registry';
import type { ArtifactDescription } from '../../core/supplyChain';
import {
  blobLabel,
  layerPlaceLabel,
  mediaTypeLabel,
  platformLabel,
  REFERRER_KIND_LABELS,
  REFERRER_KIND_NOUNS,
} from './labels';
import { layoutLocation } from './layoutLocation';
import type { ErrorNode, LayerEntryNode, ManifestNode, TreeNode } from './nodes';
import type { OtherTags } from './ArtifactDescriptions';
import { isBrowsableLayer, OPAQUE_WHITEOUT, WHITEOUT_PREFIX } from '../../core/files';
import type { CommandId } from '../commandIds';
import { REFERRER_SOURCE_LABELS } from '../../protocol/messages';

const REFERRER_ICONS = { signature: 'verified', sbom: 'checklist', attestation: 'law', other: 'references' } as const;

/** Kinds whose details name their content's size already. */
const SIZED_KINDS: ReadonlySet<ArtifactKind> = new Set(['spdx-sbom', 'cyclonedx-sbom', 'sbom']);

const BADGES = { verified: '✓ verified', failed: '✗ verification failed', unverified: '? not verified' } as const;

/** Once verified, a signed artifact's icon says how it went. */
const BADGE_ICONS = {
  verified: ['verified-filled', 'testing.iconPassed'],
  failed: ['error', 'testing.iconFailed'],
  unverified: ['question', 'problemsWarningIcon.foreground'],
} as const;

const KIND_ICONS: Readonly<Record<ArtifactKind, string>> = {
  'notary-signature': 'verified',
  'cosign-signature': 'verified',
  signature: 'verified',
  'spdx-sbom': 'checklist',
  'cyclonedx-sbom': 'checklist',
  sbom: 'checklist',
  'in-toto-attestation': 'law',
  'buildx-attestation': 'law',
  attestation: 'law',
  image: 'package',
  'image-index': 'layers',
  'helm-chart': 'compass',
  wasm: 'circuit-board',
  'opa-bundle': 'shield',
  'flux-artifact': 'sync',
  'singularity-image': 'archive',
  other: 'file',
};

export interface VerificationBadge {
  status: 'verified' | 'failed' | 'unverified';
  detail: string;
  /** Said in the row instead of the status's word (a supply-chain verdict); the icon still follows the status. */
  label?: string;
}

export interface ItemState {
  /** The registry has credentials stored by Stowage (offers Log Out). */
  loggedIn?: boolean;
  /** What the last Verify Signatures found for this manifest. */
  verification?: VerificationBadge;
  /** What the artifact is, once its manifest was read (ArtifactDescriptions). */
  description?: ArtifactDescription;
  /** For a layer: the bytes it unpacks to, once it was read (expanded into its files). */
  unpackedBytes?: number;
  /** For an index: its platform manifests' content summed, once each was read (ArtifactDescriptions). */
  indexContentBytes?: number;
  /** For a tag: the other tags seen naming the same manifest (ArtifactDescriptions). */
  otherTags?: OtherTags;
}

export function toTreeItem(node: TreeNode, state: ItemState = {}): vscode.TreeItem {
  const collapsed = vscode.TreeItemCollapsibleState.Collapsed;
  const none = vscode.TreeItemCollapsibleState.None;
  switch (node.type) {
    case 'registry': {
      const item = new vscode.TreeItem(printable(node.setting.name ?? node.setting.host), collapsed);
      // Turning TLS verification off is a per-registry choice that must stay visible wherever the registry is.
      const unverified = node.setting.skipTlsVerify ? 'TLS not verified' : undefined;
      item.description =
        [node.setting.name ? node.setting.host : undefined, unverified].filter(Boolean).join(' · ') || undefined;
      item.iconPath = unverified
        ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'))
        : new vscode.ThemeIcon('server');
      // No tooltip here: VS Code asks resolveTreeItem on hover only for a tooltip left undefined, and that one tells
      // how the registry is reached, the credentials' source and the probed capabilities.
      item.contextValue = tokens(
        'registry',
        'store-parent',
        state.loggedIn ? 'logged-in' : 'logged-out',
        // Set Namespaces… is offered only where there is a namespace API (Docker Hub, ghcr.io).
        namespaceApiOf(node.setting.host) ? 'namespaces' : undefined,
      );
      // Without it a screen reader reads the label and description alone: nothing says it is a registry.
      item.accessibilityInformation = spoken(
        item.label as string,
        'registry',
        node.setting.name ? node.setting.host : undefined,
        unverified,
        state.loggedIn ? 'logged in' : undefined,
      );
      return shown(item, node.id);
    }
    case 'repository': {
      const item = new vscode.TreeItem(printable(node.store.repository), collapsed);
      item.iconPath = new vscode.ThemeIcon('repo');
      item.tooltip = `${node.store.host}/${printable(node.store.repository)}`;
      // The tooltip was read in its place: the host first, and nothing saying it is a repository.
      item.accessibilityInformation = spoken(item.label as string, `repository in ${node.store.host}`);
      item.contextValue = tokens('repository', 'store', 'drop-target', node.pinned ? 'pinned' : undefined);
      return shown(item, node.id);
    }
    case 'layout': {
      if (node.store.archive) {
        // Read-only: no "store" or "drop-target" token, so nothing is offered that would write into it.
        const item = new vscode.TreeItem(printable(pathBase(node.store.path)), collapsed);
        item.description = describedPath(node.store.path);
        item.iconPath = new vscode.ThemeIcon('file-zip');
        item.tooltip = `OCI image layout archive (read-only)\n${printable(node.store.path)}`;
        item.accessibilityInformation = spoken(
          item.label as string,
          'OCI image layout archive, read-only',
          item.description,
        );
        item.resourceUri = vscode.Uri.file(node.store.path);
        item.contextValue = tokens('archive', 'found');
        return shown(item, node.id);
      }
      const item = new vscode.TreeItem(printable(pathBase(node.store.path)), collapsed);
      item.description = describedPath(node.store.path);
      item.iconPath = new vscode.ThemeIcon('folder-library');
      item.tooltip = `OCI image layout\n${printable(node.store.path)}`;
      item.accessibilityInformation = spoken(item.label as string, 'OCI image layout', item.description);
      item.resourceUri = vscode.Uri.file(node.store.path);
      item.contextValue = tokens('layout', 'store', 'drop-target', node.fromSetting ? 'from-setting' : 'found');
      return shown(item, node.id);
    }
    case 'manifest':
      return shown(manifestItem(node, state), node.id);
    case 'blob': {
      const d = node.descriptor;
      const place =
        node.role === 'layer' && node.count !== undefined ? { index: node.index, count: node.count } : undefined;
      const label = node.role === 'config' ? 'config' : blobLabel(d, place);
      // Labelled by its place, a layer keeps its short digest in sight.
      const byPlace = place !== undefined && label === layerPlaceLabel(place);
      // A tar layer opens like a folder: its files are listed without pulling it.
      const browsable = node.role === 'layer' && isBrowsableLayer(d);
      const item = new vscode.TreeItem(label, browsable ? collapsed : none);
      const unpacked = state.unpackedBytes !== undefined ? `${formatBytes(state.unpackedBytes)} unpacked` : undefined;
      item.description =
        node.role === 'config'
          ? `${mediaTypeLabel(d.mediaType)} · ${formatBytes(d.size)}`
          : [byPlace ? shortDigest(d.digest) : undefined, formatBytes(d.size), unpacked, mediaTypeLabel(d.mediaType)]
              .filter(Boolean)
              .join(' · ');
      item.iconPath = new vscode.ThemeIcon(node.role === 'config' ? 'settings-gear' : 'file-binary');
      item.tooltip = [
        place && !byPlace ? layerPlaceLabel(place) : undefined,
        printable(d.digest),
        printable(d.mediaType),
        `${formatBytes(d.size)} (${printable(String(d.size))} bytes)`,
        state.unpackedBytes !== undefined
          ? `unpacks to ${formatBytes(state.unpackedBytes)} (${state.unpackedBytes} bytes)`
          : undefined,
      ]
        .filter(Boolean)
        .join('\n');
      item.accessibilityInformation = spoken(
        label,
        // A label "layer N of M" says it is a layer already.
        byPlace
          ? browsable
            ? 'expands into its files'
            : undefined
          : node.role === 'config'
            ? 'configuration blob'
            : browsable
              ? 'layer, expands into its files'
              : 'layer',
        formatBytes(d.size),
        unpacked,
        mediaTypeLabel(d.mediaType),
        shortDigest(d.digest, { withAlgorithm: true }),
      );
      item.contextValue = tokens('blob', node.role, node.store.kind);
      item.command = { command: 'stowage.blob.open' satisfies CommandId, title: 'Open', arguments: [node] };
      return shown(item, node.id);
    }
    case 'layerEntry':
      return shown(layerEntryItem(node), node.id);
    case 'referrers': {
      const item = new vscode.TreeItem(REFERRER_KIND_LABELS[node.kind], collapsed);
      item.description = String(node.referrers.length);
      item.iconPath = new vscode.ThemeIcon(REFERRER_ICONS[node.kind]);
      item.tooltip = `${counted(node.referrers.length, ...REFERRER_KIND_NOUNS[node.kind])} referring to ${node.subject.digest}`;
      item.accessibilityInformation = spoken(
        REFERRER_KIND_LABELS[node.kind],
        `${counted(node.referrers.length, ...REFERRER_KIND_NOUNS[node.kind])} of ${shortDigest(node.subject.digest, { withAlgorithm: true })}`,
      );
      item.contextValue = tokens('referrers', node.kind);
      return shown(item, node.id);
    }
    case 'loadMore': {
      const item = new vscode.TreeItem('Load more…', none);
      item.iconPath = new vscode.ThemeIcon('ellipsis');
      item.command = { command: 'stowage.tree.loadMore' satisfies CommandId, title: 'Load more', arguments: [node] };
      item.accessibilityInformation = spoken('Load more', 'Enter lists the next page');
      item.contextValue = 'load-more';
      return shown(item, node.id);
    }
    case 'error': {
      const item = new vscode.TreeItem(node.message, none);
      item.description = node.stepLabel;
      item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
      item.tooltip = `${node.message}\nClick: ${node.stepLabel}\nRight-click: ${errorRowMenu(node).join(', ')}`;
      // Enter runs the row's command as a click does: "Click" tells a keyboard user nothing.
      item.accessibilityInformation = spoken(node.message, `Enter: ${node.stepLabel}`);
      item.command = {
        command: 'stowage.tree.errorAction' satisfies CommandId,
        title: node.stepLabel,
        arguments: [node],
      };
      item.contextValue = tokens('error', node.step);
      return shown(item, node.id);
    }
    case 'action': {
      const item = new vscode.TreeItem(node.label, none);
      item.iconPath = new vscode.ThemeIcon(node.icon ?? 'add');
      item.command = { command: node.command, title: node.label, arguments: [node.subjectNode ?? node] };
      if (node.tooltip) item.tooltip = node.tooltip;
      // Read as the row says: the tooltip (the why, one line for each left-out referrer, with whole digests) was read
      // in its place, and the row's own words never.
      item.accessibilityInformation = spoken(node.label);
      item.contextValue = 'action';
      return shown(item, node.id);
    }
  }
}

/** Tags named in a row's description, and in its tooltip. */
const ALSO_TAGGED_SHOWN = 2;
const ALSO_TAGGED_LISTED = 20;

/** "also 1.0", "also 1, 1.0 +3": the other tags on a tag's manifest, few enough for the side bar. */
function alsoTaggedText(tags: OtherTags, shown = ALSO_TAGGED_SHOWN, words = 'also'): string {
  const named = tags.names.slice(0, shown);
  const more = tags.count - named.length;
  return `${words} ${named.map((t) => printable(t)).join(', ')}${more > 0 ? ` +${more}` : ''}`;
}

/**
 * A tag is named by its tag, with its kind beside it; a referrer by what it is ("Notary signature · CN=… ·
 * 2026-12-05"), its digest beside it; a platform entry by its platform. The kind comes from the descriptor until
 * the manifest has been read.
 */
function manifestItem(node: ManifestNode, state: ItemState): vscode.TreeItem {
  const d = node.descriptor;
  const described = state.description;
  const kind = described?.kind ?? (d && (node.referrer || node.tag === undefined) ? artifactKindOf(d) : undefined);
  const kindLabel = kind && ARTIFACT_KIND_LABELS[kind];
  // "Notary signature · CN=… · 2026-12-05": the kind and what its manifest told.
  const kindText = kindLabel && [kindLabel, ...(described?.details ?? [])].map((part) => printable(part)).join(' · ');
  const label =
    node.tag !== undefined
      ? printable(node.tag)
      : (platformLabel(node.platform) ?? (node.referrer && kindText ? kindText : d ? shortDigest(d.digest) : '?'));
  const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.Collapsed);
  const badge = state.verification && (state.verification.label ?? BADGES[state.verification.status]);
  const badgeIcon = state.verification && BADGE_ICONS[state.verification.status];
  item.iconPath = badgeIcon
    ? new vscode.ThemeIcon(badgeIcon[0], new vscode.ThemeColor(badgeIcon[1]))
    : new vscode.ThemeIcon(
        node.platform
          ? 'vm'
          : kind
            ? KIND_ICONS[kind]
            : node.tag !== undefined
              ? 'tag'
              : isIndexType(d?.mediaType)
                ? 'layers'
                : 'package',
      );
  const type = d?.artifactType ? printable(d.artifactType) : d ? mediaTypeLabel(d.mediaType) : undefined;
  // How big a tag is, once its manifest was read: what someone cleaning up a repository looks for first (an SBOM
  // names its document's size among its details already).
  // An index's is its platform manifests', known once they were read (expanded): no request of the row's own.
  const contentBytes = described?.contentBytes ?? state.indexContentBytes;
  const size =
    node.tag !== undefined && contentBytes !== undefined && described && !SIZED_KINDS.has(described.kind)
      ? formatContentSize(contentBytes)
      : undefined;
  const platforms = described?.platformManifests?.length;
  const alsoTagged = state.otherTags?.count ? alsoTaggedText(state.otherTags) : undefined;
  item.description =
    [
      node.tag !== undefined ? kindText : undefined,
      alsoTagged,
      size,
      d && node.tag === undefined && (node.platform || node.referrer) ? shortDigest(d.digest) : undefined,
      badge,
    ]
      .filter(Boolean)
      .join(' · ') || undefined;
  item.tooltip = [
    // A referrer's name is long and the side bar cuts it: the hover gives it whole.
    node.referrer && kindText ? kindText : undefined,
    node.tag !== undefined ? `tag ${printable(node.tag)}` : undefined,
    state.otherTags?.count ? alsoTaggedText(state.otherTags, ALSO_TAGGED_LISTED, 'also tagged') : undefined,
    d && printable(d.digest),
    // A referrer's name gives its artifact type when nothing better names it: said once (a long one filled two lines).
    type && !(node.referrer && kindText?.includes(type)) ? type : undefined,
    d ? formatManifestSize(d) : undefined,
    size
      ? `${size} (${contentBytes} bytes in ${platforms ? `the configs and layers of its ${counted(platforms, 'platform manifest')}` : 'its config and layers'}, as stored)`
      : undefined,
    node.referrer ? `found through the ${REFERRER_SOURCE_LABELS[node.referrer.source]}` : undefined,
    state.verification?.detail,
  ]
    .filter(Boolean)
    .join('\n');
  item.accessibilityInformation = spoken(
    label,
    manifestRole(node, d),
    node.tag !== undefined ? kindText : undefined,
    alsoTagged,
    size,
    d && shortDigest(d.digest, { withAlgorithm: true }),
    // The kind's details often are the artifact type already: said once.
    type && !`${label} ${kindText ?? ''}`.includes(type) ? type : undefined,
    d ? formatManifestSize(d) : undefined,
    node.referrer ? `found through the ${REFERRER_SOURCE_LABELS[node.referrer.source]}` : undefined,
    badge?.replace(/^\S+ /, ''), // the words without the symbol ("✓" is read as "check mark")
  );
  item.contextValue = tokens(
    'manifest',
    node.tag !== undefined ? 'tagged' : 'untagged',
    node.referrer ? 'referrer' : undefined,
    node.store.kind,
    // Inside a layout archive nothing is written: the menus leave out tagging, deleting and attaching.
    node.store.kind === 'layout' && node.store.archive ? 'read-only' : undefined,
  );
  return item;
}

/** What a manifest row stands for, in words: its icon alone told a tag from a platform entry or a referrer. */
function manifestRole(node: ManifestNode, d: ManifestNode['descriptor']): string {
  if (node.tag !== undefined) return 'tag';
  if (node.referrer) return 'referrer';
  if (node.platform) return 'platform manifest';
  return isIndexType(d?.mediaType) ? 'index' : 'manifest';
}

/**
 * A file, folder or link inside a layer, named as the layer names it. A whiteout (`.wh.name`) is shown as the
 * name it deletes from the layers below, and an opaque marker as what it does: image layers say so with them.
 */
function layerEntryItem(node: LayerEntryNode): vscode.TreeItem {
  const { entry } = node;
  const name = entry.path.slice(entry.path.lastIndexOf('/') + 1);
  const folder = entry.type === 'directory';
  const item = new vscode.TreeItem(name, folder ? vscode.TreeItemCollapsibleState.Collapsed : undefined);
  const whiteout = name.startsWith(WHITEOUT_PREFIX);
  if (name === OPAQUE_WHITEOUT) {
    item.label = 'opaque folder marker';
    item.description = "hides the lower layers' content of this folder";
  } else if (whiteout) {
    item.label = name.slice(WHITEOUT_PREFIX.length);
    item.description = 'deleted by this layer';
  } else if (entry.type === 'file') item.description = formatBytes(entry.size);
  else if (entry.type === 'symlink') item.description = `→ ${entry.linkname ?? ''}`;
  else if (entry.type === 'hardlink') item.description = `hard link to ${entry.linkname ?? ''}`;
  else if (entry.type === 'other') item.description = 'special file';
  if (node.sharesPathWithFolder)
    item.description = [item.description, 'the layer also lists a folder of this name'].filter(Boolean).join(' · ');
  item.iconPath = whiteout
    ? new vscode.ThemeIcon('trash')
    : entry.type === 'symlink' || entry.type === 'hardlink'
      ? new vscode.ThemeIcon('file-symlink-file')
      : folder
        ? vscode.ThemeIcon.Folder
        : vscode.ThemeIcon.File;
  // The file icon theme picks an icon from the name; nothing reads this URI.
  if (!whiteout) item.resourceUri = vscode.Uri.from({ scheme: 'stowage-layer-entry', path: `/${name}` });
  const kind = folder ? 'folder' : entry.type === 'file' ? 'file' : entry.type === 'other' ? 'special file' : 'link';
  item.tooltip = [
    `/${entry.path}`,
    `${kind}${entry.type === 'file' ? `, ${formatBytes(entry.size)} (${entry.size} bytes)` : ''}, mode ${(entry.mode & 0o7777).toString(8).padStart(4, '0')}`,
    entry.linkname !== undefined ? `${entry.type === 'symlink' ? 'points to' : 'same file as'} ${entry.linkname}` : '',
    `in layer ${node.layer.digest}`,
  ]
    .filter(Boolean)
    .join('\n');
  item.accessibilityInformation = spoken(
    item.label as string,
    whiteout ? 'whiteout' : kind,
    item.description as string | undefined,
  );
  item.contextValue = tokens('layerEntry', folder ? 'folder' : entry.type, whiteout ? 'whiteout' : undefined);
  if (entry.type === 'file' || entry.type === 'hardlink')
    item.command = { command: 'stowage.layerFile.open' satisfies CommandId, title: 'Open', arguments: [node] };
  return item;
}

/**
 * What a screen reader reads for a row: VS Code reads a string tooltip in place of the label when there is no
 * accessibility information, and the tooltips lead with a 64-digit digest (a layer's never said its name). Label
 * first, then the description's facts with a short digest, in commas rather than "·" (read aloud as "dot").
 */
function spoken(...parts: (string | undefined)[]): vscode.AccessibilityInformation {
  return { label: parts.filter(Boolean).join(', ').replace(/ · /g, ', ') };
}

/**
 * What an error row's context menu offers besides its click (package.json's `viewItem =~ /^error/` entries): the log
 * holds each request and its failure; a registry's settings hold its host, port and scheme, where a registry that
 * moved is fixed.
 */
function errorRowMenu(node: ErrorNode): string[] {
  return node.ownerId.startsWith('layout:') ? ['Show Log'] : ['Show Log', 'Open Registry Settings'];
}

function tokens(...parts: (string | undefined)[]): string {
  return parts.filter(Boolean).join(' ');
}

/** The item with its id, and every text on it made safe to show (any of it may come from a registry). */
function shown(item: vscode.TreeItem, id: string): vscode.TreeItem {
  item.id = id;
  if (typeof item.label === 'string') item.label = untrustedText(item.label);
  if (typeof item.description === 'string') item.description = untrustedText(item.description);
  if (typeof item.tooltip === 'string') item.tooltip = untrustedText(item.tooltip, { multiline: true });
  if (item.accessibilityInformation)
    item.accessibilityInformation = {
      ...item.accessibilityInformation,
      label: untrustedText(item.accessibilityInformation.label),
    };
  return item;
}

function describedPath(fsPath: string): string | undefined {
  const where = layoutLocation(fsPath);
  return where === undefined ? undefined : printable(where);
}

function pathBase(p: string): string {
  const parts = p.split(/[\\/]/).filter(Boolean);
  return parts[parts.length - 1] ?? p;
}
