// The supply-chain settings, read in one place: trusted certificate and cosign key files, and how deep a graph
// loads at once.
import * as vscode from 'vscode';

export const TRUST_CERTIFICATES_SETTING = 'trust.certificates';
export const COSIGN_KEYS_SETTING = 'trust.cosignPublicKeys';

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

export async function addTrustedCertificate(file: string): Promise<void> {
  const files = trustedCertificateFiles();
  if (!files.includes(file)) await vscode.workspace.getConfiguration('stowage').update(TRUST_CERTIFICATES_SETTING, [...files, file], vscode.ConfigurationTarget.Global);
}

/** Levels of referrers loaded when a graph opens; deeper nodes load when expanded. */
export function graphInitialDepth(): number {
  const value = vscode.workspace.getConfiguration('stowage').get<unknown>('graph.initialDepth');
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 16 ? value : 3;
}
