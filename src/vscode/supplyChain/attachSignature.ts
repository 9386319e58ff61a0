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
import { runSteps } from '../multiStep';
import { isManifestNode, type TreeNode } from '../tree/nodes';
import type { SupplyChainContext } from './SupplyChainContext';
import { showAttached, subjectOf, type Subject } from './subject';

const TITLE = 'Attach Signature';

export function attachSignature(ctx: SupplyChainContext) {
  return async (node?: TreeNode): Promise<string | undefined> => {
    let subject: Subject | undefined;
    let sign: boolean | undefined;
    let keyFile: string | undefined;
    let key: KeyObject | typeof ENCRYPTED | undefined;
    let identity: SigningIdentity | undefined;
    let envelopeFile: string | undefined;
    // A key made with Create Signing Key… a moment ago is the one a newcomer means: the dialogs open on its files.
    const made = ctx.signingKeys.lastCreated;
    // Numbered, with Back to the question before. The files are dialogs (no number, no Back of their own); the
    // passphrase, asked only for an encrypted key, adds one to the total once the key is read.
    const answered = await runSteps(ctx, [
      {
        questions: isManifestNode(node) ? 0 : 1,
        ask: async (c) => (subject = await subjectOf(c, node, TITLE)),
      },
      { ask: async (c) => (sign = (await askHow(c, subject!))?.sign) },
      {
        when: () => sign !== false,
        questions: 0,
        ask: async (c) => {
          keyFile = await askFile(c, `${TITLE}: private key (PEM)`, 'Use Key', made && vscode.Uri.file(made.keyFile));
          // The key is read before the chain is asked for: a wrong file is named at once, not after a second dialog.
          return keyFile && (key = await loadUnlessEncrypted(keyFile)) !== undefined;
        },
      },
      {
        when: () => sign !== false && key === ENCRYPTED,
        ask: async (c) => {
          // Asked only when the key needs it; the passphrase lives in this call only.
          const passphrase = await c
            .prompts()
            .input({ title: TITLE, prompt: 'Passphrase of the private key', password: true });
          return passphrase === undefined ? undefined : (key = await loadPrivateKey(keyFile!, { passphrase }));
        },
      },
      {
        when: () => sign !== false,
        questions: 0,
        ask: async (c) => {
          const certFile = await askFile(
            c,
            `${TITLE}: certificate chain (PEM, the key’s certificate first)`,
            'Use Certificates',
            vscode.Uri.file(made && keyFile === made.keyFile ? made.certFile : path.dirname(keyFile!)),
          );
          return certFile && (identity = await identityWithChain(key as KeyObject, keyFile!, certFile));
        },
      },
      {
        when: () => sign === false,
        questions: 0,
        ask: async (c) =>
          (envelopeFile = await askFile(c, `${TITLE}: signature envelope`, 'Attach', undefined, {
            'JWS envelope': ['json', 'jws', 'sig'],
          })),
      },
    ]);
    if (!answered || !subject) return undefined;
    let signature: Descriptor;
    if (identity) {
      signature = await signArtifact(subject.target, subject.descriptor, {
        key: identity.key,
        certChain: identity.certChain,
      });
    } else if (envelopeFile) {
      const envelope = await readFile(envelopeFile);
      const built = buildSignatureManifest(subject.descriptor, envelope, envelopeChain(envelope, subject.descriptor));
      signature = await pushReferrer(subject.target, built, built.blobs);
    } else return undefined;
    ctx.log.info(`Attached signature ${signature.digest} to ${subject.descriptor.digest}`);
    await showAttached(ctx, subject, { what: 'signature', digest: signature.digest });
    return signature.digest;
  };
}

function askHow(ctx: SupplyChainContext, subject: Subject) {
  return ctx.prompts().pick(
    [
      { label: 'Sign with a local key…', description: 'PEM private key and certificate chain', sign: true },
      {
        label: 'Attach a signature file…',
        description: 'a Notary JWS envelope (application/jose+json)',
        sign: false,
      },
    ],
    { title: TITLE, placeHolder: `Signature for ${subject.shown}` },
  );
}

async function askFile(
  ctx: SupplyChainContext,
  title: string,
  openLabel: string,
  defaultUri?: vscode.Uri,
  filters?: Record<string, string[]>,
): Promise<string | undefined> {
  const files = await ctx.prompts().openDialog({
    title,
    canSelectFiles: true,
    canSelectMany: false,
    openLabel,
    ...(defaultUri ? { defaultUri } : {}),
    ...(filters ? { filters } : {}),
  });
  return files?.[0]?.fsPath;
}

/** Stands for a key that needs its passphrase (asked next). */
const ENCRYPTED = Symbol('encrypted key');

async function loadUnlessEncrypted(keyFile: string): Promise<KeyObject | typeof ENCRYPTED> {
  try {
    return await loadPrivateKey(keyFile);
  } catch (error) {
    if (error instanceof OciError && /encrypted/.test(error.message)) return ENCRYPTED;
    throw error;
  }
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
