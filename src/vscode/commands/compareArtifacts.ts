// "Compare With…", "Compare Selected" and "Compare Files": two artifacts side by side in VS Code's diff editor, each
// as `stowage inspect` describes it (kind, platform, created, labels, environment, annotations, config, layers), or
// each as the files its layers make (one line per path: size, mode, content digest), so what changed between two
// releases reads at a glance. Two artifacts selected in the views are compared as they are; otherwise the artifact
// right-clicked (or a first one asked for) and a second one asked for. Compare Files from an open comparison's title
// bar compares the files of the same two.
import * as vscode from 'vscode';
import { artifactName, type StowageDocumentRef } from '../documents/stowageDocumentRef';
import { parseStowageUri, stowageUri } from '../documents/stowageUri';
import { runSteps } from '../multiStep';
import { isManifestNode, type ManifestNode, type TreeNode } from '../tree/nodes';
import type { CommandContext } from './CommandContext';
import { pickArtifact, resolveManifest } from './pickers';

type Compared = 'inspection' | 'files';

/** The two documents compared, left and right (undefined when the user ended the questions). */
export function compareArtifacts(ctx: CommandContext, compared: Compared = 'inspection') {
  const title = compared === 'files' ? 'Compare Files' : 'Compare With';
  return async (
    node?: TreeNode | vscode.Uri,
    nodes?: readonly TreeNode[],
  ): Promise<[vscode.Uri, vscode.Uri] | undefined> => {
    if (compared === 'files') {
      const open = openComparisonRefs();
      if (open)
        return showComparison(
          open.map((ref) => ({ ...ref, kind: 'files' })) as [StowageDocumentRef, StowageDocumentRef],
        );
    }
    const treeNode = node instanceof vscode.Uri ? undefined : node;
    const pair = selectedPair(nodes) ?? (treeNode === undefined ? selectedPair(ctx.selectedArtifacts()) : undefined);
    if (pair) return openComparison(ctx, compared, pair[0], pair[1]);
    if (nodes && nodes.length > 2) {
      // Compare Selected on three or more: which two is not for Stowage to guess.
      void ctx.prompts().notify('warning', `Select two artifacts to compare (${nodes.length} are selected).`);
      return undefined;
    }
    let first = isManifestNode(treeNode) ? treeNode : undefined;
    let second: ManifestNode | undefined;
    const answered = await runSteps(ctx, [
      { questions: first ? 0 : 1, ask: async (c) => (first ??= await pickArtifact(c, title)) },
      { ask: async (c) => (second = await pickArtifact(c, secondTitle(compared, first!))) },
    ]);
    if (!answered || !first || !second) return undefined;
    return openComparison(ctx, compared, first, second);
  };
}

/** "Compare app:v1 With", "Compare Files of app:v1 With": the second question names the first answer. */
function secondTitle(compared: Compared, first: ManifestNode): string {
  return compared === 'files' ? `Compare Files of ${nodeName(first)} With` : `Compare ${nodeName(first)} With`;
}

function selectedPair(nodes: readonly TreeNode[] | undefined): [ManifestNode, ManifestNode] | undefined {
  const artifacts = nodes?.filter(isManifestNode) ?? [];
  return artifacts.length === 2 && nodes!.length === 2 ? [artifacts[0]!, artifacts[1]!] : undefined;
}

/** The two artifacts of the comparison open in the active diff editor, if it is one of Stowage's. */
function openComparisonRefs(): [StowageDocumentRef, StowageDocumentRef] | undefined {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  if (!(input instanceof vscode.TabInputTextDiff)) return undefined;
  try {
    const refs = [parseStowageUri(input.original), parseStowageUri(input.modified)] as const;
    return refs.every((ref) => ref.kind === 'inspection' || ref.kind === 'files') ? [refs[0], refs[1]] : undefined;
  } catch {
    return undefined;
  }
}

async function openComparison(
  ctx: CommandContext,
  compared: Compared,
  from: ManifestNode,
  to: ManifestNode,
): Promise<[vscode.Uri, vscode.Uri]> {
  const refs = await Promise.all(
    [from, to].map(async (node): Promise<StowageDocumentRef> => {
      // A tag is resolved now: it may have moved.
      const { descriptor } = await resolveManifest(ctx, node);
      return { kind: compared, store: node.store, descriptor, ...(node.tag !== undefined ? { tag: node.tag } : {}) };
    }),
  );
  return showComparison([refs[0]!, refs[1]!]);
}

async function showComparison([from, to]: [StowageDocumentRef, StowageDocumentRef]): Promise<[vscode.Uri, vscode.Uri]> {
  const [left, right] = [stowageUri(from), stowageUri(to)];
  const names = `${refName(from)} ↔ ${refName(to)}`;
  // Every layer of both is read before the two show (the documents say so in the status bar, each by its name).
  if (from.kind === 'files') await Promise.all([left, right].map((uri) => vscode.workspace.openTextDocument(uri)));
  await vscode.commands.executeCommand(
    'vscode.diff',
    left,
    right,
    `${names} (${from.kind === 'files' ? 'files' : 'inspect'})`,
  );
  return [left, right];
}

function refName(ref: StowageDocumentRef): string {
  return artifactName(ref.store, ref.tag, ref.descriptor.digest);
}

function nodeName(node: ManifestNode): string {
  return node.tag === undefined && !node.descriptor
    ? node.id
    : artifactName(node.store, node.tag, node.descriptor?.digest ?? '');
}
