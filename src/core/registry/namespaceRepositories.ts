// Repositories of a namespace on registries without a catalog, through their operator's web API: Docker Hub's
// hub API (`/v2/namespaces/<ns>/repositories`, paged with `next`) and GitHub's packages API
// (`/orgs|users/<owner>/packages?package_type=container`, paged with Link). Every page goes through pagedJson:
// the byte caps, the page and entry limits, the request deadline and the same-origin rule of every listing.
import { AuthError, NotFoundError, OciError, repositoryProblem } from '../oci';
import { nextLink } from './link';
import { pagedJson } from './paging';
import { isLoopbackHost } from './plainHttpCredentials';
import { errorForResponse } from './registryErrors';
import { isDockerHub } from './registryConfig';
import type { RegistryClient, RegistryResponse } from './RegistryClient';

/** Which web API lists a host's namespaces; undefined for registries that have (or may have) a catalog. */
export type NamespaceApi = 'docker-hub' | 'github-packages';

export function namespaceApiOf(host: string): NamespaceApi | undefined {
  if (isDockerHub(host)) return 'docker-hub';
  if (host.toLowerCase() === 'ghcr.io') return 'github-packages';
  return undefined;
}

/** Where the web APIs live. Only tests change these (an engine option, never a setting: a token goes there). */
export interface NamespaceApiBases {
  dockerHub: string;
  github: string;
}

export const DEFAULT_NAMESPACE_API_BASES: Readonly<NamespaceApiBases> = Object.freeze({
  dockerHub: 'https://hub.docker.com',
  github: 'https://api.github.com',
});

export interface NamespaceListOptions {
  pageSize?: number;
  signal?: AbortSignal;
  bases?: Partial<NamespaceApiBases>;
}

/** Largest page either API serves (Docker Hub allows 1000 but answers slowly; GitHub stops at 100). */
const MAX_PAGE = 100;

/** A namespace (user or organisation) as both APIs name them: no slashes, nothing a URL path would change. */
function assertNamespace(namespace: string): void {
  if (!/^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/.test(namespace))
    throw new OciError('USAGE', `"${namespace}" is not a namespace (a user or organisation name, without "/")`);
}

/**
 * The repositories of `namespace` ("team/app" form, as references name them), a page at a time. Throws
 * UNSUPPORTED for hosts without such an API, AuthError when the API wants (other) credentials, NotFoundError
 * for an unknown namespace.
 */
export async function* listNamespaceRepositories(
  client: RegistryClient,
  namespace: string,
  options: NamespaceListOptions = {},
): AsyncGenerator<string[]> {
  assertNamespace(namespace);
  const api = namespaceApiOf(client.host);
  const bases = { ...DEFAULT_NAMESPACE_API_BASES, ...options.bases };
  const n = Math.max(1, Math.min(options.pageSize ?? MAX_PAGE, MAX_PAGE));
  if (api === 'docker-hub') yield* dockerHubRepositories(client, namespace, n, new URL(bases.dockerHub), options);
  else if (api === 'github-packages') yield* githubPackages(client, namespace, n, new URL(bases.github), options);
  else
    throw new OciError(
      'UNSUPPORTED',
      `${client.host} has no known API to list a namespace's repositories (Docker Hub and ghcr.io have); list them in the setting stowage.registries → repositories`,
    );
}

interface HubPage {
  next?: unknown;
  results?: unknown;
}

async function* dockerHubRepositories(
  client: RegistryClient,
  namespace: string,
  n: number,
  base: URL,
  { signal }: NamespaceListOptions,
): AsyncGenerator<string[]> {
  const what = `the repositories of ${namespace} on Docker Hub`;
  const first = new URL(`/v2/namespaces/${encodeURIComponent(namespace)}/repositories?page_size=${n}`, base);
  const pages = pagedJson<HubPage>(client, first.href, {
    scopes: [],
    what,
    signal,
    count: (page) => (Array.isArray(page.results) ? page.results.length : 0),
    elsewhere: {
      origin: base.origin,
      get: (url) => expectOk(client, url, { accept: 'application/json' }, what, namespace, signal),
      next: (_res, page, url) => (typeof page.next === 'string' && page.next ? new URL(page.next, url) : undefined),
    },
  });
  for await (const page of pages) {
    if (!Array.isArray(page.results)) throw new OciError('REGISTRY', `Docker Hub answered ${what} without a list`);
    yield names(page.results, namespace);
  }
}

async function* githubPackages(
  client: RegistryClient,
  owner: string,
  n: number,
  base: URL,
  { signal }: NamespaceListOptions,
): AsyncGenerator<string[]> {
  const what = `the container packages of ${owner} on GitHub`;
  const credentials = await client.userCredentials(signal);
  // A GHCR login is a GitHub user and a token; the packages API takes that token (scope read:packages).
  const token = credentials.password;
  if (!token)
    throw new AuthError(
      client.host,
      `listing ${what} needs a GitHub token with read:packages: log in to ${client.host} with your user name and a personal access token`,
    );
  if (base.protocol !== 'https:' && !isLoopbackHost(base.host))
    throw new OciError('USAGE', `refusing to send the ${client.host} token to ${base.origin} over plain HTTP`);
  const headers = {
    accept: 'application/vnd.github+json',
    'x-github-api-version': '2022-11-28',
    authorization: `Bearer ${token}`,
  };
  // GitHub names users and organisations alike; an organisation's packages are under /orgs, a user's under /users.
  for (const kind of ['orgs', 'users']) {
    const first = new URL(`/${kind}/${encodeURIComponent(owner)}/packages?package_type=container&per_page=${n}`, base);
    const pages = pagedJson<unknown>(client, first.href, {
      scopes: [],
      what,
      signal,
      count: (page) => (Array.isArray(page) ? page.length : 0),
      elsewhere: {
        origin: base.origin,
        get: (url) => expectOk(client, url, headers, what, owner, signal),
        next: (res, page, url) => githubNextPage(res, page, url, n),
      },
    });
    try {
      for await (const page of pages) {
        if (!Array.isArray(page)) throw new OciError('REGISTRY', `GitHub answered ${what} without a list`);
        yield names(page, owner.toLowerCase());
      }
      return;
    } catch (error) {
      if (kind === 'orgs' && error instanceof NotFoundError) continue;
      throw error;
    }
  }
}

/**
 * The Link header's next page; without one (GitHub leaves it out of some package listings even when more
 * follow), the next page number while pages come back full.
 */
function githubNextPage(res: RegistryResponse, page: unknown, url: URL, n: number): URL | undefined {
  if (res.headers.link !== undefined) return nextLink(res.headers.link, url);
  if (!Array.isArray(page) || page.length < n) return undefined;
  const next = new URL(url);
  next.searchParams.set('page', String(Number(url.searchParams.get('page') ?? '1') + 1));
  return next;
}

/** `namespace/name` for each entry whose name makes a valid repository; anything else is left out. */
function names(entries: unknown[], namespace: string): string[] {
  const out: string[] = [];
  for (const entry of entries) {
    const name = entry && typeof entry === 'object' ? (entry as { name?: unknown }).name : undefined;
    if (typeof name !== 'string') continue;
    const repository = `${namespace}/${name}`.toLowerCase();
    if (!repositoryProblem(repository)) out.push(repository);
  }
  return out;
}

async function expectOk(
  client: RegistryClient,
  url: URL,
  headers: Record<string, string>,
  what: string,
  namespace: string,
  signal: AbortSignal | undefined,
): Promise<RegistryResponse> {
  const res = await client.getFromWebApi(url, headers, signal);
  if (res.status === 200) return res;
  if (res.status === 404) {
    await res.body.dump();
    throw new NotFoundError(
      `${what} (is "${namespace}" a user or organisation there? the setting stowage.registries → namespaces)`,
    );
  }
  throw await errorForResponse(client.host, what, res.status, res.body, res.headers);
}
