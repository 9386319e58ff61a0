// Before credentials are saved (CLI login, the editor's Log In…): do they, alone, open the registry? Asked with a
// client of their own, so docker's or SecretStorage's other credentials for the host cannot make a wrong password
// look right.
import { AuthError } from '../oci';
import type { Credentials } from './credentials';
import type { ProxySettings } from './dispatchers';
import { RegistryClient } from './RegistryClient';
import type { RegistryConfig } from './registryConfig';

/** Resolves when the registry accepts `credentials`; an AuthError names the host and who was refused otherwise. */
export async function checkCredentials(
  config: RegistryConfig,
  credentials: Credentials,
  options: { proxy?: ProxySettings; signal?: AbortSignal } = {},
): Promise<void> {
  const { host } = config;
  const who = credentials.username ? `the credentials of ${credentials.username}` : 'the identity token';
  const probe = new RegistryClient(config, {
    credentials: { explicit: { [host]: credentials }, ignoreToolConfig: true },
    ...(options.proxy ? { proxy: options.proxy } : {}),
  });
  try {
    const res = await probe.request({ method: 'GET', url: '/v2/', scopes: [], signal: options.signal });
    await res.body.dump();
    if (res.status === 401 || res.status === 403) throw new AuthError(host, `${host} refused ${who}`);
    if (res.status >= 400) throw new AuthError(host, `${host} answered ${res.status} to the login check`);
  } catch (err) {
    if (err instanceof AuthError)
      throw new AuthError(
        host,
        `${host} refused ${who}; nothing was saved`,
        err.code === 'DENIED' ? 'DENIED' : 'UNAUTHORIZED',
      );
    throw err;
  } finally {
    await probe.close();
  }
}
