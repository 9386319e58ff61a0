// The notification that says a transfer to a store is done. When the store is a registry that is not in
// `stowage.registries`, the same notification (never a second one, never a modal) says how it was reached and
// offers to add it with the transport that just worked, so it shows in the Registries view.
import type { CopyTagsSummary } from '../../core/graph';
import { isLoopbackHost, redactSecrets } from '../../core/registry';
import { formatReference, printable, type Reference, type StoreRef } from '../../core/oci';
import { shownReference } from '../shownReference';
import { COPY_PINNED_REFERENCE, copyWhenChosen } from './doneWithReference';
import { updateRegistries } from '../settings';
import type { CommandContext } from './CommandContext';

export const ADD_TO_REGISTRIES = 'Add to Registries';
/** The action that opens the Stowage log (a failure's reasons are there). */
export const SHOW_LOG = 'Show Log';

/**
 * Shows `message` with `actions`, and "Add to Registries" where it applies; resolves with the action chosen among
 * `actions` once the user answered or dismissed it (callers need not wait). Adding the registry is done here; a
 * failure to write the setting goes to the log.
 */
export async function notifyTransferDone(
  ctx: CommandContext,
  store: StoreRef,
  severity: 'info' | 'warning',
  message: string,
  ...actions: string[]
): Promise<string | undefined> {
  const host = store.kind === 'registry' && !ctx.stores.isConfigured(store.host) ? store.host : undefined;
  if (!host) return ctx.prompts().notify(severity, message, ...actions);
  const setting = ctx.stores.registrySetting(host);
  // A registry on this machine was asked which it speaks (one TLS hello); any other host is reached over TLS.
  const how = isLoopbackHost(host)
    ? `${setting.plainHttp ? 'plain HTTP' : 'TLS'}, as this registry on this machine answered`
    : 'TLS, the default for a host not configured';
  const choice = await ctx
    .prompts()
    .notify(
      severity,
      `${message} ${host} is not in the Registries view (reached over ${how}).`,
      ...actions,
      ADD_TO_REGISTRIES,
    );
  if (choice !== ADD_TO_REGISTRIES) return choice;
  try {
    await updateRegistries((registries) =>
      registries.some((r) => r.host === host) ? registries : [...registries, { ...setting }],
    );
  } catch (error) {
    ctx.log.error(`Adding ${host} to the settings failed: ${String(error)}`);
  }
  return undefined;
}

/**
 * The end of a transfer that made one artifact in `artifact.store` (a push): notifyTransferDone's information
 * notification with the COPY_PINNED_REFERENCE button, which copies the artifact's pinned reference when pressed.
 * Resolves with what was copied; callers need not wait.
 */
export function notifyArtifactTransferred(
  ctx: CommandContext,
  message: string,
  artifact: { store: StoreRef; tag?: string; digest: string },
): Promise<string | undefined> {
  return copyWhenChosen(
    ctx.prompts(),
    notifyTransferDone(ctx, artifact.store, 'info', message, COPY_PINNED_REFERENCE),
    artifact,
  );
}

/**
 * The end of a transfer of many tags that went on past failures (Copy Repository To…, Back Up Repository…, Restore
 * to Registry…, as the CLI's --keep-going): the summary `say(destination)` in the log (the whole reference) and a
 * notification (a layout in the workspace by its path there: the absolute path cut the toast before its counts);
 * when tags failed, each is logged with its reason and the notification is a warning offering Show Log.
 */
export function notifyTagsDone(
  ctx: CommandContext,
  command: string,
  destination: StoreRef & Reference,
  say: (destination: string) => string,
  summary: CopyTagsSummary,
): void {
  ctx.log.info(say(formatReference(destination)));
  const text = say(shownReference(destination));
  for (const failure of summary.failed)
    ctx.log.warn(
      `${command}: ${failure.untagged ? 'manifest' : 'tag'} ${printable(failure.tag)} failed: ${redactSecrets(failure.reason)}`,
    );
  if (!summary.failed.length) {
    void notifyTransferDone(ctx, destination, 'info', text);
    return;
  }
  void notifyTransferDone(ctx, destination, 'warning', text, SHOW_LOG).then((choice) => {
    if (choice === SHOW_LOG) ctx.log.show();
  });
}
