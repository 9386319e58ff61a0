// Walks Link-paged JSON lists (tags, catalog, referrers), a page at a time, guarding against loops.
import { OciError } from '../errors';
import { nextLink } from './link';
import type { RegistryClient } from './RegistryClient';

export async function* pagedJson<T>(client: RegistryClient, firstUrl: string, scopes: string[], what: string, signal?: AbortSignal, headers?: Record<string, string>): AsyncGenerator<T> {
  let url: URL | undefined = new URL(firstUrl, client.origin);
  const seen = new Set<string>();
  while (url) {
    if (seen.has(url.href)) return;
    seen.add(url.href);
    if (url.origin !== client.origin) throw new OciError('REGISTRY', `${client.host} pointed the next page of ${what} at another origin`);
    const res = await client.expect({ method: 'GET', url: url.href, scopes, signal, headers }, [200], what);
    let page: T;
    try {
      page = (await res.body.json()) as T;
    } catch {
      throw new OciError('REGISTRY', `${client.host} answered ${what} with something that is not JSON`);
    }
    yield page;
    url = nextLink(res.headers.link, url);
  }
}
