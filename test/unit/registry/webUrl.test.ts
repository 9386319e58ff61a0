// Open in Browser's addresses: each known registry's page for a repository and a tag, a user's template with
// its placeholders URL-encoded, and nothing (rather than a wrong page or a javascript: URL) otherwise.
import * as assert from 'node:assert/strict';
import { fillWebUrlTemplate, knownWebUrl, registryWebUrl } from '../../../src/core/registry';

describe('registry web pages (Open in Browser)', () => {
  it('knows Docker Hub (official images under _/), GHCR, Quay, GitLab.com, ECR public and private, GAR and ACR', () => {
    const cases: [Parameters<typeof knownWebUrl>[0], string | undefined][] = [
      [
        { host: 'docker.io', repository: 'library/nginx', tag: '1.27' },
        'https://hub.docker.com/_/nginx/tags?name=1.27',
      ],
      [{ host: 'docker.io', repository: 'bitnami/redis' }, 'https://hub.docker.com/r/bitnami/redis'],
      [{ host: 'ghcr.io', repository: 'oras-project/oras' }, 'https://ghcr.io/oras-project/oras'],
      [
        { host: 'quay.io', repository: 'prometheus/node-exporter', tag: 'v1' },
        'https://quay.io/repository/prometheus/node-exporter?tab=tags&tag=v1',
      ],
      [
        { host: 'registry.gitlab.com', repository: 'group/project' },
        'https://gitlab.com/group/project/container_registry',
      ],
      [
        { host: 'public.ecr.aws', repository: 'docker/library/alpine' },
        'https://gallery.ecr.aws/docker/library/alpine',
      ],
      [
        { host: '123456789012.dkr.ecr.eu-west-1.amazonaws.com', repository: 'team/app' },
        'https://eu-west-1.console.aws.amazon.com/ecr/repositories/private/123456789012/team/app?region=eu-west-1',
      ],
      [
        { host: 'europe-west1-docker.pkg.dev', repository: 'my-project/images/app' },
        'https://console.cloud.google.com/artifacts/docker/my-project/europe-west1/images/app',
      ],
      [
        { host: 'contoso.azurecr.io', repository: 'app' },
        'https://portal.azure.com/#browse/Microsoft.ContainerRegistry%2Fregistries',
      ],
      [{ host: 'registry.example.com', repository: 'app' }, undefined],
    ];
    for (const [target, url] of cases) assert.equal(knownWebUrl(target), url, JSON.stringify(target));
  });

  it('a template fills its placeholders URL-encoded and wins over the known page', () => {
    const harbor = 'https://harbor.example.com/harbor/projects/3/repositories/{name}/artifacts-tab?tag={tag}';
    assert.equal(
      fillWebUrlTemplate(harbor, { host: 'harbor.example.com', repository: 'team/sub/app', tag: 'v1&x=1' }),
      'https://harbor.example.com/harbor/projects/3/repositories/sub/app/artifacts-tab?tag=v1%26x%3D1',
    );
    assert.equal(
      registryWebUrl(
        { host: 'docker.io', repository: 'library/nginx' },
        'https://mirror.example/{namespace}/{repository}',
      ),
      'https://mirror.example/library/library/nginx',
    );
  });

  it('a template needing a value the item lacks, or making a non-web address, gives nothing', () => {
    assert.equal(
      fillWebUrlTemplate('https://r.example/{repository}:{tag}', { host: 'r.example', repository: 'a' }),
      undefined,
    );
    assert.equal(
      fillWebUrlTemplate('javascript:alert({repository})', { host: 'r.example', repository: 'a' }),
      undefined,
    );
    assert.equal(fillWebUrlTemplate('{host}/x', { host: 'evil.example' }), undefined);
  });
});
