// Where a repository (or one of its tags) is shown on its registry's web site, for "Open in Browser". Known
// registries by host pattern; any other registry by a template its user configures (Harbor, zot, GitLab on a
// company host). Pure: no request is made, so a wrong guess costs a browser tab, never a credential.
import { DOCKER_HUB } from '../oci';

export interface WebUrlTarget {
  host: string;
  /** Absent for the registry itself. */
  repository?: string;
  tag?: string;
  digest?: string;
}

/**
 * A user's template: `{host}`, `{repository}`, `{namespace}` (the repository's first component), `{name}` (the
 * rest), `{tag}`, `{digest}` are replaced, URL-encoded (`{repository}` and `{name}` keep their slashes).
 */
export function fillWebUrlTemplate(template: string, target: WebUrlTarget): string | undefined {
  const [namespace, ...rest] = (target.repository ?? '').split('/');
  const values: Record<string, string | undefined> = {
    host: target.host,
    repository: target.repository && encodePath(target.repository),
    namespace: namespace && encodeURIComponent(namespace),
    name: rest.length ? encodePath(rest.join('/')) : undefined,
    tag: target.tag && encodeURIComponent(target.tag),
    digest: target.digest && encodeURIComponent(target.digest),
  };
  let missing = false;
  const url = template.replace(/\{(host|repository|namespace|name|tag|digest)\}/g, (_, key: string) => {
    const value = values[key];
    if (value === undefined) missing = true;
    return value ?? '';
  });
  return missing || !isWebUrl(url) ? undefined : url;
}

/** The page of a known registry's web UI for the target, or undefined when the host is not one Stowage knows. */
export function knownWebUrl(target: WebUrlTarget): string | undefined {
  const { host, repository, tag } = target;
  const repo = repository && encodePath(repository);
  if (host === DOCKER_HUB) {
    if (!repo) return 'https://hub.docker.com/';
    const page = repo.startsWith('library/') ? `_/${repo.slice('library/'.length)}` : `r/${repo}`;
    return `https://hub.docker.com/${page}${tag ? `/tags?name=${encodeURIComponent(tag)}` : ''}`;
  }
  // GHCR answers a browser at a package's own address with its page on GitHub.
  if (host === 'ghcr.io') return repo ? `https://ghcr.io/${repo}` : 'https://github.com/';
  if (host === 'quay.io') {
    if (!repo) return 'https://quay.io/repository/';
    return `https://quay.io/repository/${repo}${tag ? `?tab=tags&tag=${encodeURIComponent(tag)}` : ''}`;
  }
  if (host === 'registry.gitlab.com')
    return repo ? `https://gitlab.com/${repo}/container_registry` : 'https://gitlab.com/';
  if (host === 'public.ecr.aws') return repo ? `https://gallery.ecr.aws/${repo}` : 'https://gallery.ecr.aws/';
  const ecr = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com$/.exec(host);
  if (ecr) {
    const [, account, region] = ecr;
    const base = `https://${region}.console.aws.amazon.com/ecr`;
    return repo
      ? `${base}/repositories/private/${account}/${repo}?region=${region}`
      : `${base}/private-registry/repositories?region=${region}`;
  }
  const gar = /^([a-z0-9-]+)-docker\.pkg\.dev$/.exec(host);
  if (gar && repository) {
    const [project, garRepository, ...image] = repository.split('/');
    const path = [project, gar[1], garRepository, ...image].map(encodeURIComponent).join('/');
    return `https://console.cloud.google.com/artifacts/docker/${path}`;
  }
  // The portal addresses a registry by subscription and resource group, which the host does not tell: the
  // registry list is the closest page.
  if (/^[a-z0-9]+\.azurecr\.io$/.test(host))
    return 'https://portal.azure.com/#browse/Microsoft.ContainerRegistry%2Fregistries';
  return undefined;
}

/** The template wins (the user knows their registry); else a known registry's page. */
export function registryWebUrl(target: WebUrlTarget, template?: string): string | undefined {
  return template ? fillWebUrlTemplate(template, target) : knownWebUrl(target);
}

function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

function isWebUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:';
  } catch {
    return false;
  }
}
