// The trust material of the stowage.trust.* settings, as Verify Signatures and Check Supply Chain of All Tags…
// use it: first whether there is any (if not, the user is told where to add it), then the files read and checked.
import { readFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import { loadSigstoreTrustedRoot, loadTrustedCertificates, parseCosignPublicKey } from '../../core/sign';
import type { TrustOptions } from '../../core/supplyChain';
import type { CommandContext } from '../commands/CommandContext';
import {
  cosignPublicKeyFiles,
  sigstoreIdentities,
  sigstoreTrustedRootFile,
  trustedCertificateFiles,
} from './trustSettings';

/** True when a setting names trust material; otherwise says which settings would, with Open Settings. */
export async function trustConfigured(ctx: CommandContext): Promise<boolean> {
  if (trustedCertificateFiles().length || cosignPublicKeyFiles().length || sigstoreTrustedRootFile()) return true;
  const open = 'Open Settings';
  const choice = await ctx
    .prompts()
    .notify(
      'error',
      'Nothing to verify against: add PEM certificate files to stowage.trust.certificates (Notary), PEM public keys to stowage.trust.cosignPublicKeys (cosign), or a trusted_root.json to stowage.trust.sigstoreTrustedRoot (keyless cosign, Sigstore bundles).',
      open,
    );
  if (choice === open) await vscode.commands.executeCommand('workbench.action.openSettings', 'stowage.trust');
  return false;
}

/** Reads the files the settings name; a file that is no certificate, key or trusted root fails naming its setting. */
export async function trustFromSettings(): Promise<TrustOptions> {
  const rootFile = sigstoreTrustedRootFile();
  const trustedCerts = await loadTrustedCertificates(
    trustedCertificateFiles(),
    (file) => `${file} (stowage.trust.certificates)`,
  );
  const cosignKeys = await Promise.all(
    cosignPublicKeyFiles().map(async (file) => parseCosignPublicKey(await readFile(file, 'utf8'), file)),
  );
  const sigstoreTrustedRoot = rootFile
    ? await loadSigstoreTrustedRoot(rootFile, `${rootFile} (stowage.trust.sigstoreTrustedRoot)`)
    : undefined;
  return { trustedCerts, cosignKeys, sigstoreTrustedRoot, sigstoreIdentities: sigstoreIdentities() };
}
