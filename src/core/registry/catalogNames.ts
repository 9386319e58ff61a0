// The first page of a registry's catalog, read only to suggest the repository a typo meant ("app" not found: it has
// "apps"). A hint must never cost what the command itself did not: one page, a small byte cap, a short deadline,
// and any failure (the catalog refused, slow, too big, not JSON) is no hint at all, never an error. Only names that
// are valid repository names come back: a hostile catalog's control characters or markdown cannot pass.
import { repositoryProblem } from '../oci';
import { readJson } from './jsonBody';
import type { RegistryClient } from './RegistryClient';
import { CATALOG_SCOPE } from './scopes';

/** Names read at most (distribution's largest page). */
export const CATALOG_HINT_NAMES = 1000;
/** Bytes of the page at most: 1,000 names of up to 255 characters, with room for JSON. */
export const CATALOG_HINT_BYTES = 320 * 1024;
/** How long the hint may hold the failing command's exit. */
export const CATALOG_HINT_DEADLINE_MS = 2000;

/** The catalog's first page, valid names only; empty when it is refused, slow, too large or not a catalog. */
export async function catalogNamesForHint(
  client: RegistryClient,
  options: { signal?: AbortSignal; deadlineMs?: number } = {},
): Promise<string[]> {
  const deadline = AbortSignal.timeout(options.deadlineMs ?? CATALOG_HINT_DEADLINE_MS);
  const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
  const what = `the repository catalog of ${client.host}`;
  try {
    const res = await client.expect(
      { method: 'GET', url: `/v2/_catalog?n=${CATALOG_HINT_NAMES}`, scopes: [CATALOG_SCOPE], signal },
      [200],
      what,
    );
    const { json } = await readJson<{ repositories?: unknown }>(
      client.host,
      res,
      { limit: CATALOG_HINT_BYTES, what },
      signal,
    );
    const names = Array.isArray(json.repositories) ? json.repositories : [];
    return names
      .slice(0, CATALOG_HINT_NAMES)
      .filter((name): name is string => typeof name === 'string' && repositoryProblem(name) === undefined);
  } catch {
    return [];
  }
}
