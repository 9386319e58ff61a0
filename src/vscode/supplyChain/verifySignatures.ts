// "Verify Signatures": every Notary signature of the artifact against the certificates in
// `stowage.trust.certificates`; results go to the verification cache (badges) and a summary message.
import { readFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import { shortDigest } from '../../core/descriptor';
import { verifyArtifactSignatures, type SignatureVerification } from '../../core/supplyChain';
import type { TreeNode } from '../tree/nodes';
import type { SupplyChainContext } from './SupplyChainContext';
import { subjectOf } from './subject';
import { trustedCertificateFiles } from './trustSettings';
import type { VerificationEntry } from './VerificationCache';

const TITLE = 'Verify Signatures';

export interface VerifyOutcome {
  verified: number;
  failed: number;
  results: SignatureVerification[];
}

export function verifySignatures(ctx: SupplyChainContext) {
  return async (node?: TreeNode): Promise<VerifyOutcome | undefined> => {
    const files = trustedCertificateFiles();
    if (!files.length) {
      const open = 'Open Settings';
      const choice = await ctx.prompts().notify('error', 'No trusted certificates: add PEM certificate files to the stowage.trust.certificates setting.', open);
      if (choice === open) await vscode.commands.executeCommand('workbench.action.openSettings', 'stowage.trust.certificates');
      return undefined;
    }
    const subject = await subjectOf(ctx, node, TITLE);
    if (!subject) return undefined;
    const trustedCerts = await Promise.all(files.map((file) => readFile(file, 'utf8')));
    const results = await verifyArtifactSignatures(subject.target, subject.descriptor, { trustedCerts });

    const entries = new Map<string, VerificationEntry>();
    for (const { signature, result } of results) {
      entries.set(signature.digest, result.ok
        ? { status: 'verified', detail: `signed by ${result.signer ?? 'unknown'}` }
        : { status: 'failed', detail: result.reasons.join('; ') });
    }
    const verified = results.filter((r) => r.result.ok).length;
    const failed = results.length - verified;
    if (results.length) {
      entries.set(subject.descriptor.digest, failed === 0
        ? { status: 'verified', detail: `${verified} signature(s) verified` }
        : { status: 'failed', detail: `${failed} of ${results.length} signature(s) failed` });
    }
    ctx.verification.set(subject.node.store, entries);

    const name = subject.reference;
    if (!results.length) await ctx.prompts().notify('warning', `${name} has no Notary signatures.`);
    else if (failed === 0) await ctx.prompts().notify('info', `${name}: ${verified} signature(s) verified.`);
    else {
      const first = results.find((r) => !r.result.ok)!;
      await ctx.prompts().notify('error', `${name}: ${failed} of ${results.length} signature(s) failed (${shortDigest(first.signature.digest)}: ${first.result.reasons[0] ?? 'unknown reason'}).`);
    }
    for (const { signature, result } of results) ctx.log.info(`${TITLE} ${subject.descriptor.digest}: ${signature.digest} ${result.ok ? 'verified' : `failed: ${result.reasons.join('; ')}`}`);
    return { verified, failed, results };
  };
}
