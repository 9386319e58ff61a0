// "Create Signing Key…": a key pair and a self-signed code-signing certificate written into a folder the user
// picks (the key readable by its owner only). Nothing about the key goes into settings or the log; the
// certificate may be added to the trust store on request.
import { createSigningKey as createKey, type SigningKeyAlgorithm } from '../../core/sign';
import { saveSigningKey, type SavedSigningKey } from '../../core/supplyChain';
import { runSteps } from '../multiStep';
import type { SupplyChainContext } from './SupplyChainContext';
import { addTrustedCertificate } from './trustSettings';

const TITLE = 'Create Signing Key';
const TRUST = 'Trust This Certificate';

export function createSigningKey(ctx: SupplyChainContext) {
  return async (): Promise<SavedSigningKey | undefined> => {
    let algorithm: SigningKeyAlgorithm | undefined;
    let subject: string | undefined;
    let folder: string | undefined;
    // Numbered, with Back to the question before; the folder is a dialog (no number).
    const answered = await runSteps(ctx, [
      {
        ask: async (c) =>
          (algorithm = (
            await c.prompts().pick(
              [
                { label: 'ECDSA P-256', algorithm: 'ecdsa-p256' as SigningKeyAlgorithm },
                { label: 'ECDSA P-384', algorithm: 'ecdsa-p384' as SigningKeyAlgorithm },
                { label: 'RSA-PSS 3072', algorithm: 'rsa-pss-3072' as SigningKeyAlgorithm },
              ],
              { title: TITLE, placeHolder: 'Key algorithm' },
            )
          )?.algorithm),
      },
      {
        ask: async (c) =>
          (subject = await c.prompts().input({
            title: TITLE,
            prompt: 'Certificate subject',
            value: 'CN=Stowage signer',
            validateInput: (v) => (v.trim() ? undefined : 'Give a name, e.g. CN=example.com'),
          })) || undefined,
      },
      {
        questions: 0,
        ask: async (c) =>
          (folder = (
            await c.prompts().openDialog({
              title: `${TITLE}: folder for the key and certificate`,
              canSelectFolders: true,
              canSelectFiles: false,
              canSelectMany: false,
              openLabel: 'Save Here',
            })
          )?.[0]?.fsPath),
      },
    ]);
    if (!answered || !algorithm || !subject || !folder) return undefined;
    const key = await createKey({ algorithm, subject: subject.trim(), validDays: 365 });
    const saved = await saveSigningKey(folder, key);
    ctx.log.info(`Created signing certificate ${saved.certFile}`);
    ctx.signingKeys.lastCreated = saved;
    const choice = await ctx
      .prompts()
      .notify('info', `Created ${saved.keyFile} and ${saved.certFile}. Keep the key private.`, TRUST);
    if (choice === TRUST) await addTrustedCertificate(saved.certFile);
    return saved;
  };
}
