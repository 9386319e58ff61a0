// "Compare With…" and "Compare Selected": two artifacts side by side in VS Code's diff editor, each as `stowage
// inspect` describes it (kind, platform, created, labels, environment, annotations, config, layers), so what changed
// between two releases reads at a glance. Two artifacts selected in the views are compared as they are; otherwise
// the artifact right-clicked (or a first one asked for) and a second one asked for.
import * as vscode from 'vscode';
import { artifactName } from '../documents/stowageDocumentRef';
import { stowageUri } from '../documents/stowageUri';
import { runSteps } from '../multiStep';
import { isManifestNode, type ManifestNode, type TreeNode } from '../tree/nodes';
import type { CommandContext } from './CommandContext';
import { pickArtifact, resolveManifest } from './pickers';

const TITLE = 'Compare With';

/** The two documents compared, left and right (undefined when the user ended the questions). */
export function compareArtifacts(ctx: CommandContext) {
  return async (node?: TreeNode, nodes?: readonly TreeNode[]): Promise<[vscode.Uri, vscode.Uri] | undefined> => {
    const pair = selectedPair(nodes) ?? (node === undefined ? selectedPair(ctx.selectedArtifacts()) : undefined);
    if (pair) return openComparison(ctx, pair[0], pair[1]);
    if (nodes && nodes.length > 2) {
      // Compare Selected on three or more: which two is not for Stowage to guess.
      void ctx.prompts().notify('warning', `Select two artifacts to compare (${nodes.length} are selected).`);
      return undefined;
    }
    let first = isManifestNode(node) ? node : undefined;
    let second: ManifestNode | undefined;
    const answered = await runSteps(ctx, [
      { questions: first ? 0 : 1, ask: async (c) => (first ??= await pickArtifact(c, TITLE)) },
      { ask: async (c) => (second = await pickArtifact(c, `Compare ${nodeName(first!)} With`)) },
    ]);
    if (!answered || !first || !second) return undefined;
    return openComparison(ctx, first, second);
  };
}

function selectedPair(nodes: readonly TreeNode[] | undefined): [ManifestNode, ManifestNode] | undefined {
  const artifacts = nodes?.filter(isManifestNode) ?? [];
  return artifacts.length === 2 && nodes!.length === 2 ? [artifacts[0]!, artifacts[1]!] : undefined;
}

async function openComparison(
  ctx: CommandContext,
  from: ManifestNode,
  to: ManifestNode,
): Promise<[vscode.Uri, vscode.Uri]> {
  const [left, right] = await Promise.all([from, to].map((node) => inspectionUri(ctx, node)));
  await vscode.commands.executeCommand('vscode.diff', left, right, `${nodeName(from)} ↔ ${nodeName(to)} (inspect)`);
  return [left!, right!];
}

/** The inspection document of what the node names now (a tag is resolved: it may have moved). */
async function inspectionUri(ctx: CommandContext, node: ManifestNode): Promise<vscode.Uri> {
  const { descriptor } = await resolveManifest(ctx, node);
  return stowageUri({
    kind: 'inspection',
    store: node.store,
    descriptor,
    ...(node.tag !== undefined ? { tag: node.tag } : {}),
  });
}

function nodeName(node: ManifestNode): string {
  return node.tag === undefined && !node.descriptor
    ? node.id
    : artifactName(node.store, node.tag, node.descriptor?.digest ?? '');
}
