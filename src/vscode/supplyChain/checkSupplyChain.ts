// "Check Supply Chain of All Tags…" on a registry repository or a layout: which tags (all, or those globs match) and
// what each must have besides a verified signature (an SBOM, an attestation, a provenance), as `stowage verify
// --tags --require` asks, remembered per repository for the window's session; then every tag's signatures verified
// against the stowage.trust.* settings (as Verify Signatures does for one artifact), with its SBOMs and
// attestations, in a cancellable progress notification. The report opens as a read-only document, a notification
// sums it up, and each tag row shows its verdict as a badge (auditBadges.ts).
import * as vscode from 'vscode';
import { formatReference, storeId, untrustedText, type StoreRef } from '../../core/oci';
import {
  auditLines,
  auditRepository,
  summaryLine,
  type AuditRequirement,
  type RepositoryAudit,
} from '../../core/supplyChain';
import { toAbortSignal } from '../abort';
import { pickSource } from '../commands/pickers';
import { runSteps } from '../multiStep';
import { notificationProgress } from '../progress';
import { isStoreNode, type TreeNode } from '../tree/nodes';
import { auditEntries } from './auditBadges';
import { trustConfigured, trustFromSettings } from './settingsTrust';
import type { SupplyChainContext } from './SupplyChainContext';
import { shownReference } from '../shownReference';

const TITLE = 'Check Supply Chain of All Tags';

export interface SupplyChainCheckOutcome {
  audit: RepositoryAudit;
  /** The report document. */
  uri: vscode.Uri;
}

/** What to check, as `verify --tags <glob> --require …` says it: asked for what is left out. */
export interface SupplyChainCheckRequest {
  /** Globs (`*`, `?`) of the tags to check; every tag when empty. */
  patterns?: string[];
  /** What a tag must have besides a verified signature; nothing more when empty. */
  require?: AuditRequirement[];
}

const ALL_TAGS = 'All tags';
const MATCHING = 'Tags matching a pattern…';
const REQUIREMENTS: readonly (vscode.QuickPickItem & { requirement: AuditRequirement })[] = [
  { label: 'SBOM', description: 'SPDX or CycloneDX, attached or attested', requirement: 'sbom' },
  { label: 'Attestation', description: 'any in-toto attestation', requirement: 'attestation' },
  { label: 'Provenance', description: 'a SLSA provenance attestation', requirement: 'provenance' },
];

/** The last answers for each store, offered first the next time it is checked in this window. */
const lastAnswers = new Map<string, Required<SupplyChainCheckRequest>>();

export function checkSupplyChain(ctx: SupplyChainContext) {
  return async (
    node?: TreeNode,
    request: SupplyChainCheckRequest = {},
  ): Promise<SupplyChainCheckOutcome | undefined> => {
    if (!(await trustConfigured(ctx))) return undefined;
    let store: StoreRef | undefined = isStoreNode(node) ? node.store : undefined;
    let patterns = request.patterns;
    let require = request.require;
    const last = () => (store && lastAnswers.get(storeId(store))) || { patterns: [], require: [] };
    const answered = await runSteps(ctx, [
      {
        when: () => !isStoreNode(node),
        ask: async (c) =>
          (store = await pickSource(c, TITLE, {
            placeHolder: 'Repository or layout whose tags to check',
            layouts: true,
          })),
      },
      {
        when: () => request.patterns === undefined,
        ask: async (c) => (patterns = await askPatterns(c, last().patterns)),
      },
      { when: () => request.require === undefined, ask: async (c) => (require = await askRequire(c, last().require)) },
    ]);
    if (!answered || !store || !patterns || !require) return undefined;
    lastAnswers.set(storeId(store), { patterns, require });
    const trust = await trustFromSettings();
    const target = await ctx.stores.target(store);
    const label = formatReference(store);
    const shown = shownReference(store);
    const audit = await vscode.window.withProgress(
      notificationProgress(`Checking the supply chain of ${shown}`),
      (progress, token) =>
        auditRepository(target, {
          ...trust,
          patterns,
          require,
          signal: toAbortSignal(token),
          onTag: (_audit, done, count) =>
            progress.report({ increment: 100 / count, message: `${done} of ${count} tags` }),
        }),
    );
    ctx.verification.set(store, auditEntries(audit));
    const asked = [
      patterns.length ? `tags matching ${patterns.join(', ')}` : 'all tags',
      require.length ? `requiring ${require.join(', ')}` : undefined,
    ].filter(Boolean);
    // Two lines: one was wider than an editor beside the side bar.
    const checked = [
      `Supply chain of ${label} (${asked.join(', ')})`,
      `checked ${new Date().toISOString()} against the stowage.trust.* settings`,
    ];
    const uri = ctx.supplyChainReports.publish(store, [...checked, '', ...auditLines(audit), ''].join('\n'));
    await vscode.window.showTextDocument(uri, { preview: true });
    ctx.log.info(`${TITLE} ${label}: ${summaryLine(audit)}`);
    void ctx
      .prompts()
      .notify(
        audit.passed ? 'info' : 'warning',
        untrustedText(
          `${shown}: ${summaryLine(audit)}${audit.passed ? '' : audit.tags.length ? '. Not every tag passed: see the report.' : '. No tags.'}`,
        ),
      );
    return { audit, uri };
  };
}

/** All tags, or the globs typed (comma-separated); undefined when the user left. */
async function askPatterns(ctx: SupplyChainContext, last: readonly string[]): Promise<string[] | undefined> {
  const choice = await ctx.prompts().pick(
    [
      { label: ALL_TAGS, matching: false },
      { label: MATCHING, description: '* and ?, e.g. v*', matching: true },
    ],
    { title: TITLE, placeHolder: 'Which tags?', activeLabels: [last.length ? MATCHING : ALL_TAGS] },
  );
  if (!choice) return undefined;
  if (!choice.matching) return [];
  const typed = await ctx.prompts().input({
    title: TITLE,
    prompt: 'Tags matching (* any run of characters, ? one; several separated by commas)',
    value: last.join(','),
    validateInput: (value) => (globsOf(value).length ? undefined : 'Type a pattern such as v* (or pick All tags)'),
  });
  return typed === undefined ? undefined : globsOf(typed);
}

function globsOf(typed: string): string[] {
  return typed
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
}

/** What each tag must have besides a verified signature (none checked: nothing more); undefined when left. */
async function askRequire(
  ctx: SupplyChainContext,
  last: readonly AuditRequirement[],
): Promise<AuditRequirement[] | undefined> {
  const picked = await ctx.prompts().pickMany(REQUIREMENTS, {
    title: TITLE,
    placeHolder: 'Require besides a verified signature (check none for signatures only)',
    activeLabels: REQUIREMENTS.filter((r) => last.includes(r.requirement)).map((r) => r.label),
  });
  return picked?.map((p) => p.requirement);
}
