// RFC 8288 Link headers as registries use them for paging: `</v2/_catalog?last=x&n=100>; rel="next"`.

/** The URL of the rel="next" link, resolved against `base`, or undefined when there is no next page. */
export function nextLink(header: string | string[] | undefined, base: URL | string): URL | undefined {
  const values = header === undefined ? [] : Array.isArray(header) ? header : [header];
  for (const value of values) {
    for (const match of value.matchAll(/<([^>]*)>\s*((?:;\s*[^;,]*)*)/g)) {
      const params = match[2] ?? '';
      if (/;\s*rel\s*=\s*"?(?:[^";,]*\s)?next(?:\s[^";,]*)?"?/i.test(params)) {
        try {
          return new URL(match[1]!, base);
        } catch {
          return undefined;
        }
      }
    }
  }
  return undefined;
}
