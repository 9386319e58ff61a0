// Where the user changes the proxy a failed request went through, in the words of the program they run: the
// command line reads only the environment; the editor reads its own http.proxy setting first.
import type { ProxySettings } from './dispatchers';

/** What a proxy error tells the user to correct ("correct …", "check …", "in …"). */
export function proxySettingWords(proxy: Pick<ProxySettings, 'setIn'>): string {
  return proxy.setIn === 'editor'
    ? 'HTTPS_PROXY/HTTP_PROXY, or http.proxy in the editor'
    : 'the HTTPS_PROXY/HTTP_PROXY environment variable';
}
