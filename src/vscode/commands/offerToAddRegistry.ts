// After a transfer to a registry that is not in `stowage.registries`: a notification (never a modal) offering to
// add it with the transport that just worked, so it shows in the Registries view.
import { isLoopbackHost } from '../../core/registry';
import { updateRegistries } from '../settings';
import type { RegistryStoreRef } from '../../core/oci';
import type { CommandContext } from './CommandContext';

export const ADD_TO_REGISTRIES = 'Add to Registries';

/**
 * Resolves once the user answered or dismissed the notification; callers need not wait for it. Never rejects: a
 * failure to write the setting goes to the log.
 */
export async function offerToAddRegistry(
  ctx: CommandContext,
  store: RegistryStoreRef,
  reference: string,
  done: 'Copied' | 'Pushed' = 'Copied',
): Promise<void> {
  try {
    const host = store.host;
    if (ctx.stores.isConfigured(host)) return;
    const setting = ctx.stores.registrySetting(host);
    // A registry on this machine was asked which it speaks (one TLS hello); any other host is reached over TLS.
    const how = isLoopbackHost(host)
      ? `${setting.plainHttp ? 'plain HTTP' : 'TLS'}, as this registry on this machine answered`
      : 'TLS, the default for a host not configured';
    const choice = await ctx
      .prompts()
      .notify(
        'info',
        `${done} to ${reference} (over ${how}). ${host} is not in the Registries view.`,
        ADD_TO_REGISTRIES,
      );
    if (choice !== ADD_TO_REGISTRIES) return;
    await updateRegistries((registries) =>
      registries.some((r) => r.host === host) ? registries : [...registries, { ...setting }],
    );
  } catch (error) {
    ctx.log.error(`Adding ${store.host} to the settings failed: ${String(error)}`);
  }
}
