// Walks paged JSON lists (tags, catalog, referrers by Link; the operators' web APIs by their own next-page
// rules), a page at a time, guarding against loops and against a server that never stops: pages, entries and
// bytes of one listing are bounded (see limits.ts), and every page has the request deadline and a byte cap.
import { OciError } from '../oci';
import { readJson } from './jsonBody';
import { howToRaise } from './limits';
import { nextLink } from './link';
import type { RegistryClient, RegistryResponse } from './RegistryClient';

export interface PagedJsonOptions<T> {
  /** Token scopes of every page request. */
  scopes: string[];
  /** Names the listing in errors: "the tags of ghcr.io/app". */
  what: string;
  /** How many entries a page holds (counted against the item limit). */
  count: (page: T) => number;
  signal?: AbortSignal;
  headers?: Record<string, string>;
  /** Follow redirects (default: yes, as every GET). */
  followRedirects?: boolean;
  /**
   * A next link back to a page already read (a last page linking to itself, a server ignoring `last`): by default
   * the listing ends there, with a warning that it may be incomplete; `fail` throws instead, for a caller acting on
   * the whole list (deleting by pattern must not miss the tag that keeps a manifest).
   */
  repeatedPage?: 'end' | 'fail';
  /**
   * For lists served elsewhere than the registry's API (webApi.ts): how a page is fetched (an answer with status
   * 200; default: the registry request with `scopes`), the origin every page must stay on (default the
   * registry's), and the next page's URL (default the Link header's rel="next").
   */
  elsewhere?: {
    origin: string;
    get: (url: URL) => Promise<RegistryResponse>;
    next: (res: RegistryResponse, page: T, url: URL) => URL | undefined;
  };
}

export async function* pagedJson<T>(
  client: RegistryClient,
  firstUrl: string,
  options: PagedJsonOptions<T>,
): AsyncGenerator<T> {
  const { scopes, what, signal, headers, followRedirects } = options;
  const limits = client.limits;
  const origin = options.elsewhere?.origin ?? client.origin;
  let url: URL | undefined = new URL(firstUrl, origin);
  const seen = new Set<string>();
  let bytes = 0;
  let items = 0;
  while (url) {
    if (seen.has(url.href)) {
      const page = [...seen].indexOf(url.href) + 1;
      const problem = `${client.host} sent a next link back to page ${page} of ${what}, which it had already sent`;
      if (options.repeatedPage === 'fail')
        throw new OciError('REGISTRY', `${problem}: the rest of the listing cannot be read, so it is not acted on`);
      client.warn(`${problem}; the listing ends there and may be incomplete`);
      return;
    }
    if (seen.size >= limits.maxPages) {
      throw new OciError(
        'SIZE_EXCEEDED',
        `${client.host} kept sending next pages of ${what}: stopped after ${limits.maxPages} pages (the limit of pages per listing; ${howToRaise('maxPages')})`,
      );
    }
    seen.add(url.href);
    if (url.origin !== origin)
      throw new OciError('REGISTRY', `${client.host} pointed the next page of ${what} at another origin`);
    const res: RegistryResponse = options.elsewhere
      ? await options.elsewhere.get(url)
      : await client.expect({ method: 'GET', url: url.href, scopes, signal, headers, followRedirects }, [200], what);
    // One page may take what is left of the listing's bytes, but never more than one answer may have.
    const left = limits.maxListingBytes - bytes;
    const cap =
      left < limits.maxResponseBytes
        ? {
            limit: left,
            what: `${what} (page ${seen.size})`,
            raise: `the limit of bytes per listing; ${howToRaise('maxListingBytes')}`,
          }
        : {
            limit: limits.maxResponseBytes,
            what: `${what} (page ${seen.size})`,
            raise: `the limit of one answer; ${howToRaise('maxResponseBytes')}`,
          };
    const { json: page, bytes: pageBytes } = await readJson<T>(client.host, res, cap, signal);
    bytes += pageBytes;
    items += options.count(page);
    if (items > limits.maxItems) {
      throw new OciError(
        'SIZE_EXCEEDED',
        `${client.host} listed more than ${limits.maxItems} entries in ${what}: stopped at page ${seen.size} (the limit of entries per listing; ${howToRaise('maxItems')})`,
      );
    }
    yield page;
    url = options.elsewhere ? options.elsewhere.next(res, page, url) : nextLink(res.headers.link, url);
  }
}
