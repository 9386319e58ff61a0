// "Attach Signature…": sign with a local key and certificate chain (PEM) into a Notary JWS envelope, or attach an
// existing envelope file after checking that it is one and that it signs this artifact.
import type { KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { type Descriptor, OciError } from '../../core/oci';
import {
  buildSignatureManifest,
  identityWithChain,
  loadPrivateKey,
  type SigningIdentity,
  fromBase64url,
  parseEnvelope,
} from '../../core/sign';
import { parseJsonObject } from '../../core/oci';
import { pushReferrer, signArtifact } from '../../core/supplyChain';
import type { TreeNode } from '../tree/nodes';
import type { SupplyChainContext } from './SupplyChainContext';
import { showAttached, subjectOf } from './subject';

const TITLE = 'Attach Signature';

export function attachSignature(ctx: SupplyChainContext) {
  return async (node?: TreeNode): Promise<string | undefined> => {
    const subject = await subjectOf(ctx, node, TITLE);
    if (!subject) return undefined;
    const choice = await ctx.prompts().pick(
      [
        { label: 'Sign with a local key…', description: 'PEM private key and certificate chain', sign: true },
        {
          label: 'Attach a signature file…',
          description: 'a Notary JWS envelope (application/jose+json)',
          sign: false,
        },
      ],
      { title: TITLE, placeHolder: `Signature for ${subject.reference}` },
    );
    if (!choice) return undefined;
    let signature: Descriptor | undefined;
    if (choice.sign) {
      const identity = await askIdentity(ctx);
      if (!identity) return undefined;
      signature = await signArtifact(subject.target, subject.descriptor, {
        key: identity.key,
        certChain: identity.certChain,
      });
    } else {
      const files = await ctx.prompts().openDialog({
        title: `${TITLE}: signature envelope`,
        canSelectFiles: true,
        canSelectMany: false,
        filters: { 'JWS envelope': ['json', 'jws', 'sig'] },
        openLabel: 'Attach',
      });
      const file = files?.[0]?.fsPath;
      if (!file) return undefined;
      const envelope = await readFile(file);
      const built = buildSignatureManifest(subject.descriptor, envelope, envelopeChain(envelope, subject.descriptor));
      signature = await pushReferrer(subject.target, built, built.blobs);
    }
    ctx.log.info(`Attached signature ${signature.digest} to ${subject.descriptor.digest}`);
    await showAttached(ctx, subject, { what: 'signature', digest: signature.digest });
    return signature.digest;
  };
}

async function askIdentity(ctx: SupplyChainContext): Promise<SigningIdentity | undefined> {
  const keys = await ctx.prompts().openDialog({
    title: `${TITLE}: private key (PEM)`,
    canSelectFiles: true,
    canSelectMany: false,
    openLabel: 'Use Key',
  });
  const keyFile = keys?.[0]?.fsPath;
  if (!keyFile) return undefined;
  // The key is read before the chain is asked for: a wrong file is named at once, not after a second dialog.
  let key: KeyObject;
  try {
    key = await loadPrivateKey(keyFile);
  } catch (error) {
    if (!(error instanceof OciError && /encrypted/.test(error.message))) throw error;
    // Asked only when the key needs it; the passphrase lives in this call only.
    const passphrase = await ctx
      .prompts()
      .input({ title: TITLE, prompt: 'Passphrase of the private key', password: true });
    if (passphrase === undefined) return undefined;
    key = await loadPrivateKey(keyFile, { passphrase });
  }
  const certs = await ctx.prompts().openDialog({
    title: `${TITLE}: certificate chain (PEM, the key’s certificate first)`,
    canSelectFiles: true,
    canSelectMany: false,
    openLabel: 'Use Certificates',
    defaultUri: vscode.Uri.file(path.dirname(keyFile)),
  });
  const certFile = certs?.[0]?.fsPath;
  if (!certFile) return undefined;
  return identityWithChain(key, keyFile, certFile);
}

/** The envelope's certificate chain, after checking it is a Notary envelope over this very artifact. */
function envelopeChain(envelope: Buffer, subject: Descriptor) {
  const parsed = parseEnvelope(envelope);
  if ('problem' in parsed) throw new OciError('INVALID_CONTENT', `not a Notary JWS envelope: ${parsed.problem}`);
  const target = parseJsonObject(fromBase64url(parsed.payloadPart))?.targetArtifact as
    Record<string, unknown> | undefined;
  if (target?.digest !== subject.digest) {
    throw new OciError(
      'USAGE',
      `the envelope signs ${String(target?.digest ?? 'nothing recognisable')}, not ${subject.digest}`,
    );
  }
  return parsed.chain;
}
