// "Verify Signatures": every Notary signature of the artifact against the certificates in
// `stowage.trust.certificates`, every cosign signature and attestation (DSSE) against the keys in
// `stowage.trust.cosignPublicKeys`, keyless ones and Sigstore bundles against `stowage.trust.sigstoreTrustedRoot`
// and `…sigstoreIdentities`; results go to the verification cache (badges) and a summary message.
import * as vscode from 'vscode';
import { shortDigest, counted } from '../../core/oci';
import { describeNotAReferrer, MAX_REFERRERS_READ } from '../../core/graph';
import {
  attestationLine,
  attestationStatus,
  attestationSummary,
  MAX_SIGNATURE_CHECKS,
  verifyArtifactSignatures,
  type AttestationVerification,
  type SignatureVerification,
} from '../../core/supplyChain';
import type { TreeNode } from '../tree/nodes';
import { toAbortSignal } from '../abort';
import { notificationProgress } from '../progress';
import type { SupplyChainContext } from './SupplyChainContext';
import { subjectOf, type Subject } from './subject';
import { runSteps } from '../multiStep';
import { trustConfigured, trustFromSettings } from './settingsTrust';
import { countResults, statusOf, verificationEntries } from './verificationEntries';
import { wantsTrustedCertificate } from '../../core/sign';
import { addTrustedCertificate } from './trustSettings';

const TITLE = 'Verify Signatures';
const TRUST_FILE = 'Trust a Certificate File…';

export interface VerifyOutcome {
  verified: number;
  failed: number;
  unverified: number;
  results: SignatureVerification[];
  /** The artifact's attestations (DSSE envelopes), verified with the same trust. */
  attestations: AttestationVerification[];
}

export function verifySignatures(ctx: SupplyChainContext) {
  return async (node?: TreeNode): Promise<VerifyOutcome | undefined> => {
    if (!(await trustConfigured(ctx))) return undefined;
    let named: Subject | undefined;
    // From the palette: a selected artifact or "Type a reference…", whose question offers Back to the list.
    if (!(await runSteps(ctx, [{ ask: async (c) => (named = await subjectOf(c, node, TITLE)) }]))) return undefined;
    const subject = named;
    if (!subject) return undefined;
    const trust = await trustFromSettings();
    // Up to JUDGED_PER_NODE × (MAX_REFERRERS_READ + 1) manifest reads on a slow registry: shown, and Cancel stops them.
    const {
      signatures: results,
      notReferrers,
      truncated,
      unchecked,
      attestations,
    } = await vscode.window.withProgress(
      notificationProgress(`Verifying the signatures of ${subject.shown}`),
      (_progress, token) =>
        verifyArtifactSignatures(subject.target, subject.descriptor, { ...trust, signal: toAbortSignal(token) }),
    );
    ctx.verification.set(subject.node.store, verificationEntries(subject.descriptor.digest, results, attestations));

    const { verified, failed, unverified } = countResults(results);
    const name = subject.shown;
    const skipped = unverified
      ? `, ${unverified} not verified (${results.find((r) => statusOf(r.result) === 'unverified')!.result.reasons[0]})`
      : '';
    // Listed "signatures" that are not referrers of this artifact are named, not counted as failed signatures.
    const unread = [
      ...(notReferrers.length
        ? [`${counted(notReferrers.length, 'listed referrer')} not referring to it, not verified`]
        : []),
      ...(truncated
        ? [`not every listed referrer read (at most ${MAX_REFERRERS_READ} kept), the rest not verified`]
        : []),
      ...(unchecked
        ? [`${counted(unchecked, 'signature')} not checked (at most ${MAX_SIGNATURE_CHECKS} signature layers are)`]
        : []),
    ];
    const attested = attestationSummary(attestations);
    const also = [...(attested ? [attested] : []), ...unread].map((part) => `; ${part}`).join('');
    const attestationFailed = attestations.some((a) => attestationStatus(a.result) === 'failed');
    // A failed signature or attestation is an error, whatever else verified.
    if (failed || attestationFailed) {
      const first = results.find((r) => statusOf(r.result) === 'failed');
      // A signer not trusted yet (a key made a minute ago) is fixed by trusting its certificate: offered, then verified
      // again. Only a file the user picks is trusted, never a certificate the signature carries.
      const untrusted = results.some(
        (r) => statusOf(r.result) === 'failed' && wantsTrustedCertificate(r.result.reasons),
      );
      const choice = await ctx
        .prompts()
        .notify(
          'error',
          first
            ? `${name}: ${failed} of ${counted(results.length, 'signature')} failed (${shortDigest(first.signature.digest)}: ${first.result.reasons[0] ?? 'unknown reason'})${skipped}${also}.`
            : `${name}: ${results.length ? `${counted(verified, 'signature')} verified` : 'no signatures'}${skipped}${also}.`,
          ...(untrusted ? [TRUST_FILE] : []),
        );
      if (choice === TRUST_FILE && (await trustCertificateFile(ctx))) return verifySignatures(ctx)(subject.node);
    } else if (!results.length) await ctx.prompts().notify('warning', `${name} has no signatures${also}.`);
    else if (verified)
      await ctx
        .prompts()
        .notify(
          truncated || unchecked ? 'warning' : 'info',
          `${name}: ${counted(verified, 'signature')} verified${skipped}${also}.`,
        );
    else await ctx.prompts().notify('warning', `${name}: no signature could be verified${skipped}${also}.`);
    for (const r of notReferrers) ctx.log.info(`${TITLE}: ${describeNotAReferrer(r, 'verify')}`);
    for (const { kind, signature, layer, result } of results) {
      const status = statusOf(result);
      ctx.log.info(
        `${TITLE} ${subject.descriptor.digest}: ${kind} ${signature.digest}${layer ? ` layer ${layer.digest}` : ''} ${status === 'verified' ? 'verified' : `${status}: ${result.reasons.join('; ')}`}`,
      );
    }
    for (const attestation of attestations)
      ctx.log.info(`${TITLE} ${subject.descriptor.digest}: attestation ${attestationLine(attestation)}`);
    return { verified, failed, unverified, results, attestations };
  };
}

/** Adds a certificate file the user picks to `stowage.trust.certificates` (user settings); false when cancelled. */
async function trustCertificateFile(ctx: SupplyChainContext): Promise<boolean> {
  const picked = await ctx.prompts().openDialog({
    title: `${TITLE}: certificate to trust (PEM)`,
    canSelectFiles: true,
    canSelectFolders: false,
    canSelectMany: false,
    filters: { 'PEM certificates': ['pem', 'crt', 'cer'] },
    openLabel: 'Trust',
  });
  const file = picked?.[0]?.fsPath;
  if (!file) return false;
  await addTrustedCertificate(file);
  ctx.log.info(`${TITLE}: trusting the certificates in ${file}`);
  return true;
}
