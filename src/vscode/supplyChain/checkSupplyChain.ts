// "Check Supply Chain of All Tags…" on a registry repository or a layout: every tag's signatures verified against
// the stowage.trust.* settings (as Verify Signatures does for one artifact), with its SBOMs and attestations, in a
// cancellable progress notification; the report opens as a read-only document and a notification sums it up.
import * as vscode from 'vscode';
import { formatReference, untrustedText, type StoreRef } from '../../core/oci';
import { auditLines, auditRepository, summaryLine, type RepositoryAudit } from '../../core/supplyChain';
import { toAbortSignal } from '../abort';
import { pickSource } from '../commands/pickers';
import { notificationProgress } from '../progress';
import { isStoreNode, type TreeNode } from '../tree/nodes';
import { trustConfigured, trustFromSettings } from './settingsTrust';
import type { SupplyChainContext } from './SupplyChainContext';

const TITLE = 'Check Supply Chain of All Tags';

export interface SupplyChainCheckOutcome {
  audit: RepositoryAudit;
  /** The report document. */
  uri: vscode.Uri;
}

export function checkSupplyChain(ctx: SupplyChainContext) {
  return async (node?: TreeNode): Promise<SupplyChainCheckOutcome | undefined> => {
    if (!(await trustConfigured(ctx))) return undefined;
    const store: StoreRef | undefined = isStoreNode(node)
      ? node.store
      : await pickSource(ctx, TITLE, { placeHolder: 'Repository or layout whose tags to check', layouts: true });
    if (!store) return undefined;
    const trust = await trustFromSettings();
    const target = await ctx.stores.target(store);
    const label = formatReference(store);
    const audit = await vscode.window.withProgress(
      notificationProgress(`Checking the supply chain of ${label}`),
      (progress, token) =>
        auditRepository(target, {
          ...trust,
          signal: toAbortSignal(token),
          onTag: (_audit, done, count) =>
            progress.report({ increment: 100 / count, message: `${done} of ${count} tags` }),
        }),
    );
    const checked = `Supply chain of ${label}, checked ${new Date().toISOString()} against the stowage.trust.* settings`;
    const uri = ctx.supplyChainReports.publish(store, [checked, '', ...auditLines(audit), ''].join('\n'));
    await vscode.window.showTextDocument(uri, { preview: true });
    ctx.log.info(`${TITLE} ${label}: ${summaryLine(audit)}`);
    void ctx
      .prompts()
      .notify(
        audit.passed ? 'info' : 'warning',
        untrustedText(
          `${label}: ${summaryLine(audit)}${audit.passed ? '' : audit.tags.length ? '. Not every tag passed: see the report.' : '. No tags.'}`,
        ),
      );
    return { audit, uri };
  };
}
