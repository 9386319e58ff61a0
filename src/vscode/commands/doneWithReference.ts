// How a finished command names the artifact it made: the short digest the tree shows (a 64-digit digest makes a
// notification hard to read), and a "Copy Pinned Reference" button for the full `host/repo:tag@sha256:…`.
import * as vscode from 'vscode';
import { shortDigest, type StoreRef } from '../../core/oci';
import { checkedReference } from './pinnedReference';
import type { Prompts } from '../prompts';
import { shownReference } from '../shownReference';

export const COPY_PINNED_REFERENCE = 'Copy Pinned Reference';

/** The digest as the tree shows it ("sha256:0123456789ab"). */
export function shownDigest(digest: string): string {
  return shortDigest(digest, { withAlgorithm: true });
}

/** An artifact named for a notification: "host/repo:v1 (sha256:0123456789ab)", or "host/repo@sha256:0123456789ab…". */
export function shortName(store: StoreRef, tag: string | undefined, digest: string): string {
  return tag !== undefined
    ? `${shownReference({ ...store, tag })} (${shownDigest(digest)})`
    : `${shownReference(store)}@${shownDigest(digest)}…`;
}

/**
 * Once the notification offering COPY_PINNED_REFERENCE is answered (`choice`), copies the artifact's pinned
 * reference when that button was pressed. Resolves with what was copied.
 */
export async function copyWhenChosen(
  prompts: Prompts,
  choice: Thenable<string | undefined>,
  artifact: { store: StoreRef; tag?: string; digest: string },
): Promise<string | undefined> {
  if ((await choice) !== COPY_PINNED_REFERENCE) return undefined;
  const text = checkedReference(artifact.store, { tag: artifact.tag, digest: artifact.digest });
  await vscode.env.clipboard.writeText(text);
  prompts.done(`Copied ${text}`);
  return text;
}

/**
 * An information notification with the COPY_PINNED_REFERENCE button, which copies the artifact's pinned reference
 * when pressed. Resolves with what was copied; callers need not wait.
 */
export function notifyWithPinnedReference(
  prompts: Prompts,
  message: string,
  artifact: { store: StoreRef; tag?: string; digest: string },
): Promise<string | undefined> {
  return copyWhenChosen(prompts, prompts.notify('info', message, COPY_PINNED_REFERENCE), artifact);
}
