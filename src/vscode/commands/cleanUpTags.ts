// "Clean Up Tags…" on a registry repository or a layout folder: `stowage delete --tags` in the editor. The tags a
// glob picks, older than an age and beyond the newest few, go with their manifests; a manifest another tag (or a
// kept index) still names stays, with the reason. The plan is written to the log and summed up in a modal that
// names what goes; the tags are looked at again just before anything is deleted (recheckPrune).
import * as vscode from 'vscode';
import {
  deleteArtifact,
  describePruneEntry,
  doomedCount,
  keptLine,
  parsePruneAge,
  planDelete,
  planPrune,
  recheckPrune,
  type PrunePlan,
} from '../../core/graph';
import { counted, formatReference, untrustedText, type StoreRef } from '../../core/oci';
import { toAbortSignal } from '../abort';
import { runSteps } from '../multiStep';
import { notificationProgress } from '../progress';
import { isStoreNode, type TreeNode } from '../tree/nodes';
import { refreshStore, type CommandContext } from './CommandContext';
import { SHOW_LOG } from './notifyTransferDone';
import { pickSource } from './pickers';
import { shownReference } from '../shownReference';

const TITLE = 'Clean Up Tags';
const DELETE = 'Delete';
const WITH_REFERRERS = 'Delete with Referrers';
/** Entries named in the confirmation; the log has them all. */
const SHOWN = 8;

export interface CleanUpRequest {
  /** Globs (`*`, `?`) picking the tags. */
  patterns?: string[];
  /** "14d"; "" for any age. */
  olderThan?: string;
  /** The newest this many of those picked stay; 0 for none. */
  keep?: number;
}

export interface CleanUpOutcome {
  plan: PrunePlan;
  /** Digests deleted (referrers included), in order. */
  deleted: string[];
}

export function cleanUpTags(ctx: CommandContext) {
  return async (node?: TreeNode, request: CleanUpRequest = {}): Promise<CleanUpOutcome | undefined> => {
    let store: StoreRef | undefined = isStoreNode(node) ? node.store : undefined;
    let { patterns, olderThan, keep } = request;
    const answered = await runSteps(ctx, [
      {
        when: () => !isStoreNode(node),
        ask: async (c) =>
          (store = await pickSource(c, TITLE, { placeHolder: 'Repository or layout to clean up', layouts: true })),
      },
      { when: () => request.patterns === undefined, ask: async (c) => (patterns = await askPatterns(c)) },
      { when: () => request.olderThan === undefined, ask: async (c) => (olderThan = await askAge(c)) },
      { when: () => request.keep === undefined, ask: async (c) => (keep = await askKeep(c)) },
    ]);
    if (!answered || !store || !patterns?.length || olderThan === undefined || keep === undefined) return undefined;
    const globs = patterns;
    if (store.kind === 'layout' && store.archive) {
      void ctx.prompts().notify('error', `${TITLE}: ${store.path} is an archive, which Stowage does not change.`);
      return undefined;
    }
    const target = await ctx.stores.target(store);
    const label = shownReference(store);
    const olderThanMs = olderThan ? parsePruneAge(olderThan) : undefined;
    const plan = await vscode.window.withProgress(
      notificationProgress(`Planning a clean-up of ${label}`),
      (_p, token) =>
        planPrune(target, {
          patterns: globs,
          ...(olderThanMs !== undefined && { olderThanMs }),
          ...(keep && { keep }),
          concurrency: ctx.settings().concurrency,
          signal: toAbortSignal(token),
        }),
    );
    const picked = `tags ${patterns.join(', ')}${olderThan ? `, older than ${olderThan}` : ''}${keep ? `, the newest ${keep} kept` : ''}`;
    // The log, the record of what was deleted, keeps the whole reference (label is for what people read at a glance).
    ctx.log.info(`${TITLE} ${formatReference(store)} (${picked}):`);
    for (const entry of plan.doomed) ctx.log.info(`  would delete ${describePruneEntry(entry)}`);
    for (const entry of plan.kept) ctx.log.info(`  ${keptLine(entry)}`);
    if (!plan.doomed.length) {
      void ctx
        .prompts()
        .notify(
          'info',
          untrustedText(`Nothing to delete in ${label}: ${counted(plan.kept.length, 'manifest')} picked, all kept.`),
          ...(plan.kept.length ? [SHOW_LOG] : []),
        )
        .then((choice) => choice === SHOW_LOG && ctx.log.show());
      return { plan, deleted: [] };
    }
    const choice = await ctx.prompts().choose({
      message: untrustedText(`Delete ${doomedCount(plan)} from ${label}?`),
      detail: untrustedText(confirmation(plan), { multiline: true }),
      actions: [DELETE, WITH_REFERRERS],
    });
    if (!choice) return undefined;
    const deleted: string[] = [];
    const done = await vscode.window.withProgress(
      notificationProgress(`Cleaning up ${label}`),
      async (progress, token) => {
        const signal = toAbortSignal(token);
        const rechecked = await recheckPrune(target, plan, { concurrency: ctx.settings().concurrency, signal });
        for (const [i, entry] of rechecked.doomed.entries()) {
          progress.report({
            increment: 100 / rechecked.doomed.length,
            message: `${i + 1} of ${rechecked.doomed.length}`,
          });
          const result = await deleteArtifact(target, await planDelete(target, entry.descriptor, signal), {
            withReferrers: choice === WITH_REFERRERS,
            tags: entry.tags,
            signal,
          });
          deleted.push(...result.deleted.map((d) => d.digest));
          ctx.log.info(`  deleted ${describePruneEntry(entry)}`);
        }
        return rechecked;
      },
    );
    for (const entry of done.kept.slice(plan.kept.length)) ctx.log.info(`  ${keptLine(entry)}`);
    refreshStore(ctx, store);
    const since = done.kept.length - plan.kept.length;
    const text = (where: string) =>
      `Deleted ${doomedCount(done)} from ${where}; ${done.kept.length} kept${since ? ` (${since} tagged since the plan was made)` : ''}.`;
    ctx.log.info(text(formatReference(store)));
    void ctx.prompts().notify('info', untrustedText(text(label)));
    return { plan: done, deleted };
  };
}

function confirmation(plan: PrunePlan): string {
  const more = plan.doomed.length - SHOWN;
  return [
    ...plan.doomed.slice(0, SHOWN).map(describePruneEntry),
    ...(more > 0 ? [`and ${more} more`] : []),
    '',
    plan.kept.length
      ? `${counted(plan.kept.length, 'manifest')} picked ${plan.kept.length === 1 ? 'stays' : 'stay'}, each with its reason in the log (Stowage: Show Log).`
      : 'Every manifest picked goes.',
    `"${WITH_REFERRERS}" also deletes their signatures, SBOMs… and what refers to those; "${DELETE}" leaves them without their subject.`,
    'Tags pushed meanwhile are looked at again before anything goes. This cannot be undone.',
  ].join('\n');
}

async function askPatterns(ctx: CommandContext): Promise<string[] | undefined> {
  const text = await ctx.prompts().input({
    title: TITLE,
    prompt: 'Tags to delete: patterns with * and ?, comma-separated',
    placeHolder: 'pr-*, *-rc*',
    validateInput: (v) => (splitPatterns(v).length ? undefined : 'Name at least one pattern, such as pr-*'),
  });
  return text === undefined ? undefined : splitPatterns(text);
}

function splitPatterns(text: string): string[] {
  return text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
}

async function askAge(ctx: CommandContext): Promise<string | undefined> {
  const ages = ['1d', '7d', '14d', '30d'];
  const picked = await ctx
    .prompts()
    .pick(
      [
        { label: 'Any age', age: '' },
        ...ages.map((age) => ({ label: `Older than ${age}`, age })),
        { label: 'Older than…', description: '30m, 12h, 14d, 2w', age: undefined },
      ],
      { title: TITLE, placeHolder: 'Only manifests made longer ago than…' },
    );
  if (!picked) return undefined;
  if (picked.age !== undefined) return picked.age;
  return ctx.prompts().input({
    title: TITLE,
    prompt: 'Only manifests made longer ago than this (from their created time)',
    placeHolder: '14d',
    validateInput: (v) => (parsePruneAge(v) === undefined ? 'An age such as 30m, 12h, 14d or 2w' : undefined),
  });
}

async function askKeep(ctx: CommandContext): Promise<number | undefined> {
  const text = await ctx.prompts().input({
    title: TITLE,
    prompt: 'Of the manifests picked, keep the newest how many? (empty or 0: none)',
    placeHolder: '0',
    validateInput: (v) => (/^\d*$/.test(v.trim()) ? undefined : 'A whole number (or nothing)'),
  });
  return text === undefined ? undefined : Number(text.trim() || 0);
}
