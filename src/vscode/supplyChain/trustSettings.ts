// The supply-chain settings, read in one place: trusted certificate and cosign key files, the Sigstore trusted
// root and identity rules, and how deep a graph loads at once.
import * as vscode from 'vscode';
import { parseSigstoreIdentity, type SigstoreIdentity } from '../../core/sign';
import { updateUserList } from '../settings';

export const TRUST_CERTIFICATES_SETTING = 'trust.certificates';
export const COSIGN_KEYS_SETTING = 'trust.cosignPublicKeys';
export const SIGSTORE_ROOT_SETTING = 'trust.sigstoreTrustedRoot';
export const SIGSTORE_IDENTITIES_SETTING = 'trust.sigstoreIdentities';

function fileList(setting: string): string[] {
  const value = vscode.workspace.getConfiguration('stowage').get<unknown>(setting);
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && v.trim() !== '') : [];
}

export function trustedCertificateFiles(): string[] {
  return fileList(TRUST_CERTIFICATES_SETTING);
}

export function cosignPublicKeyFiles(): string[] {
  return fileList(COSIGN_KEYS_SETTING);
}

/** The trusted_root.json path, or undefined when none is set. */
export function sigstoreTrustedRootFile(): string | undefined {
  const value = vscode.workspace.getConfiguration('stowage').get<unknown>(SIGSTORE_ROOT_SETTING);
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** The identity rules, compiled; a malformed rule is an error naming its place in the setting. */
export function sigstoreIdentities(): SigstoreIdentity[] {
  const value = vscode.workspace.getConfiguration('stowage').get<unknown>(SIGSTORE_IDENTITIES_SETTING);
  if (!Array.isArray(value)) return [];
  return value.map((rule, i) => parseSigstoreIdentity(rule, `stowage.${SIGSTORE_IDENTITIES_SETTING}[${i}]`));
}

/** Adds `file` to the user's own trust list (the setting is user-level only; nothing else is copied into it). */
export async function addTrustedCertificate(file: string): Promise<void> {
  await updateUserList<string>(TRUST_CERTIFICATES_SETTING, (files) =>
    files.includes(file) ? files : [...files, file],
  );
}

/** Levels of referrers loaded when a graph opens; deeper nodes load when expanded. */
export function graphInitialDepth(): number {
  const value = vscode.workspace.getConfiguration('stowage').get<unknown>('graph.initialDepth');
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 16 ? value : 3;
}
