// "Pull Artifact…" on several selected artifacts: one folder chosen, each artifact pulled into a folder of its own
// inside it, named after its tag ("sha256-0123456789ab" for a row chosen by digest): pulled into one folder, two
// releases holding app.bin would replace each other's files. An index asks for its platform, as a single pull
// does; what has no file names (a container image) is skipped and said so; one modal lists every folder, its size
// and what it would replace before anything is written; one summary at the end.
import * as path from 'node:path';
import { planPull, type PullPlan } from '../../core/files';
import { counted, formatBytes, isIndex, shortDigest, tagProblem, type ImageIndex } from '../../core/oci';
import { runTransfer } from '../progress';
import type { ManifestNode } from '../tree/nodes';
import type { CommandContext } from './CommandContext';
import { REPLACE_AND_PULL } from './agreeToReplace';
import { artifactName, resolveManifest } from './pickers';
import {
  choosePlatform,
  nothingToPull,
  pullAgreeingToReplace,
  readChosen,
  reveal,
  type ManifestRead,
  type PullOutcome,
} from './pullReads';
import { fromOneStore } from './selection';

/** Folders named one by one in the confirmation; the rest are counted. */
const NAMED_IN_CONFIRMATION = 20;

interface Planned {
  node: ManifestNode;
  name: string;
  chosen: ManifestRead;
  plan: PullPlan;
}

export async function pullSeveral(
  ctx: CommandContext,
  title: string,
  nodes: readonly ManifestNode[],
): Promise<PullOutcome[] | undefined> {
  if (!fromOneStore(ctx, 'Pull Artifact…', nodes)) return undefined;
  const reads = await runTransfer(`Reading ${counted(nodes.length, 'artifact')}`, async (signal) => {
    const read: ManifestRead[] = [];
    for (const node of nodes) {
      const { target, descriptor } = await resolveManifest(ctx, node, signal);
      read.push({ target, descriptor, manifest: (await target.fetchManifest(descriptor, { signal })).manifest });
    }
    return read;
  });
  const chosen: { node: ManifestNode; name: string; chosen: ManifestRead }[] = [];
  const skipped: string[] = [];
  const names = folderNames(nodes, reads);
  for (const [i, node] of nodes.entries()) {
    const read = reads[i]!;
    // The selection is of one store: each is named as its folder will be.
    const name = names[i]!;
    const platform = isIndex(read.manifest)
      ? await choosePlatform(ctx, title, read.manifest as ImageIndex, `${name} is an index: which manifest?`)
      : undefined;
    if (isIndex(read.manifest) && !platform) return undefined;
    const one = await readChosen(node, read, platform);
    const nothing = nothingToPull(one.manifest);
    if (nothing)
      skipped.push(`${name} (${nothing === 'image' ? "a container image's layers" : 'its layers'} have no file name)`);
    else chosen.push({ node, name, chosen: one });
  }
  if (!chosen.length) {
    void ctx
      .prompts()
      .notify(
        'info',
        `Nothing to pull: no layer of the ${counted(nodes.length, 'selected artifact')} has a file name (org.opencontainers.image.title): ${skipped.join('; ')}. Copy them into an image layout to keep every layer.`,
      );
    return undefined;
  }
  const folder = (
    await ctx.prompts().openDialog({
      title: `${title}: folder to pull ${counted(chosen.length, 'artifact')} into (a folder each, named after its tag)`,
      canSelectFolders: true,
      canSelectFiles: false,
      canSelectMany: false,
      openLabel: 'Pull Here',
    })
  )?.[0]?.fsPath;
  if (!folder) return undefined;

  const capBytes = ctx.settings().pullSizeCapMiB * 1024 * 1024;
  const planned: Planned[] = [];
  for (const { node, name, chosen: one } of chosen) {
    planned.push({ node, name, chosen: one, plan: await planPull(one.manifest, path.join(folder, name)) });
  }
  const tooLarge = planned.filter((p) => p.plan.totalBytes > capBytes);
  if (tooLarge.length) {
    void ctx
      .prompts()
      .notify(
        'error',
        `Above the pull size cap of ${formatBytes(capBytes)} (stowage.pull.sizeCapMiB): ${tooLarge.map((p) => `${p.name} (${formatBytes(p.plan.totalBytes)})`).join(', ')}. Nothing was pulled.`,
      );
    return undefined;
  }
  const replaced = planned.reduce((sum, p) => sum + p.plan.conflicts.length, 0);
  const goAhead = replaced ? REPLACE_AND_PULL : 'Pull';
  const choice = await ctx.prompts().choose({
    message: `Pull ${counted(planned.length, 'artifact')} into ${folder}, each into a folder named after its tag${replaced ? `, replacing ${counted(replaced, 'existing item')}` : ''}?`,
    detail: confirmationDetail(planned, skipped),
    actions: [goAhead],
  });
  if (choice !== goAhead) return undefined;

  const outcomes: PullOutcome[] = [];
  const done: string[] = [];
  for (const [i, p] of planned.entries()) {
    const upToDate = p.plan.unchanged.length === p.plan.outputs.length;
    const result = upToDate
      ? undefined
      : await pullAgreeingToReplace(ctx, `Pulling into ${p.plan.target}`, p.chosen, p.plan, capBytes, {
          label: p.name,
          position: i + 1,
          count: planned.length,
        });
    if (!upToDate && !result) {
      done.push(`${p.name} (not pulled: its files that differ were kept)`);
      continue;
    }
    const files = result ? result.outputs.map((o) => o.path) : p.plan.outputs.map((o) => o.path);
    outcomes.push({ folder: p.plan.target, files });
    done.push(`${p.name} (${upToDate ? 'up to date' : counted(files.length, 'item')})`);
    ctx.log.info(
      `Pulled ${artifactName(p.node, p.chosen.descriptor.digest)} (${p.chosen.descriptor.digest}) into ${p.plan.target}${result ? ` (${result.bytesWritten} bytes written, ${result.bytesKept} bytes already there and kept)` : ' (up to date)'}`,
    );
  }
  void ctx
    .prompts()
    .notify(
      'info',
      `Pulled ${counted(outcomes.length, 'artifact')} into ${folder}: ${done.join(', ')}${skipped.length ? `. Skipped ${skipped.join('; ')}` : ''}.`,
    );
  await reveal(folder, outcomes[0]?.files[0]);
  return outcomes;
}

/**
 * Each artifact's folder: its tag, a name no file system objects to; a row chosen by digest (or a layout's odd name)
 * by its digest. Never one folder for two: a tag may spell another row's digest name ("sha256-0123456789ab", which
 * a registry may serve to slip its files into that artifact's folder), and "v1" and "V1" are one folder where
 * names ignore case (macOS, Windows). A name taken already, in any case, is followed by "-2", "-3"….
 */
function folderNames(nodes: readonly ManifestNode[], reads: readonly ManifestRead[]): string[] {
  const taken = new Set<string>();
  return nodes.map((node, i) => {
    const wanted = folderName(node, reads[i]!);
    let name = wanted;
    for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${wanted}-${n}`;
    taken.add(name.toLowerCase());
    return name;
  });
}

function folderName(node: ManifestNode, read: ManifestRead): string {
  if (node.tag !== undefined && tagProblem(node.tag) === undefined) return node.tag;
  const digest = node.descriptor?.digest ?? read.descriptor.digest;
  return `${digest.slice(0, digest.indexOf(':'))}-${shortDigest(digest)}`;
}

function confirmationDetail(planned: readonly Planned[], skipped: readonly string[]): string {
  const lines = planned.slice(0, NAMED_IN_CONFIRMATION).map(({ name, plan }) => {
    const conflicts = plan.conflicts.length ? ` — ${counted(plan.conflicts.length, 'existing item')} replaced` : '';
    const state = plan.unchanged.length === plan.outputs.length ? ' — already up to date' : conflicts;
    return `${name}/ — ${counted(plan.outputs.length, 'item')}, ${formatBytes(plan.totalBytes)}${state}`;
  });
  if (planned.length > NAMED_IN_CONFIRMATION) lines.push(`… and ${planned.length - NAMED_IN_CONFIRMATION} more`);
  if (skipped.length) lines.push('', `Skipped: ${skipped.join('; ')}.`);
  lines.push('', `Total: ${formatBytes(planned.reduce((sum, p) => sum + p.plan.totalBytes, 0))}`);
  return lines.join('\n');
}
