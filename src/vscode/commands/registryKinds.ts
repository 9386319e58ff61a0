// The kinds "Add Registry…" offers, each asking only what it needs. Pure (unit-tested): questions in, a
// registry setting out.
import { hostProblem, repositoryProblem } from '../../core/oci';
import { defaultRegistryConfig } from '../../core/registry';
import { normaliseHost, type RegistryKind, type RegistrySetting } from '../settingsModel';

export interface KindQuestion {
  key: string;
  prompt: string;
  placeHolder?: string;
  value?: string;
  optional?: boolean;
  validate: (answer: string) => string | undefined;
}

export interface RegistryKindSpec {
  kind: RegistryKind;
  label: string;
  detail: string;
  questions: KindQuestion[];
  build(answers: Record<string, string>): RegistrySetting;
}

const repositories = (prompt: string, placeHolder: string): KindQuestion => ({
  key: 'repositories',
  prompt: `${prompt} (comma-separated; this registry has no catalog to list them)`,
  placeHolder,
  validate: (answer) =>
    splitList(answer).map(repositoryProblem).find(Boolean) ??
    (splitList(answer).length ? undefined : 'Name at least one repository'),
});

const optionalRepositories: KindQuestion = {
  key: 'repositories',
  prompt: 'Repositories to show (comma-separated; leave empty to list the catalog)',
  optional: true,
  validate: (answer) => splitList(answer).map(repositoryProblem).find(Boolean),
};

const hostQuestion = (placeHolder: string, value?: string): KindQuestion => ({
  key: 'host',
  prompt: 'Registry host (with :port when not 443)',
  placeHolder,
  value,
  validate: (answer) => hostProblem(normaliseHost(answer)),
});

export const REGISTRY_KINDS: readonly RegistryKindSpec[] = [
  {
    kind: 'dockerhub',
    label: 'Docker Hub',
    detail: 'docker.io',
    questions: [repositories('Repositories', 'library/alpine, myname/app')],
    build: (a) => ({
      host: 'docker.io',
      name: 'Docker Hub',
      kind: 'dockerhub',
      repositories: splitList(a.repositories),
    }),
  },
  {
    kind: 'ghcr',
    label: 'GitHub Container Registry',
    detail: 'ghcr.io',
    questions: [repositories('Packages as owner/name', 'my-org/my-image')],
    build: (a) => ({
      host: 'ghcr.io',
      name: 'GitHub Container Registry',
      kind: 'ghcr',
      repositories: splitList(a.repositories),
    }),
  },
  {
    kind: 'azure',
    label: 'Azure Container Registry',
    detail: '<name>.azurecr.io',
    questions: [
      {
        key: 'name',
        prompt: 'Registry name (the part before .azurecr.io)',
        placeHolder: 'myregistry',
        validate: (v) =>
          /^[a-z0-9]{5,50}$/i.test(v.trim()) ? undefined : 'Azure registry names have 5–50 letters and digits',
      },
    ],
    build: (a) => ({ host: `${a.name!.trim().toLowerCase()}.azurecr.io`, kind: 'azure' }),
  },
  {
    kind: 'ecr',
    label: 'Amazon ECR',
    detail: '<account>.dkr.ecr.<region>.amazonaws.com',
    questions: [
      {
        key: 'account',
        prompt: 'AWS account ID',
        placeHolder: '123456789012',
        validate: (v) => (/^\d{12}$/.test(v.trim()) ? undefined : 'An account ID has 12 digits'),
      },
      {
        key: 'region',
        prompt: 'Region',
        placeHolder: 'eu-west-1',
        validate: (v) => (/^[a-z]{2}(-[a-z]+)+-\d$/.test(v.trim()) ? undefined : 'A region looks like eu-west-1'),
      },
    ],
    build: (a) => ({ host: `${a.account!.trim()}.dkr.ecr.${a.region!.trim()}.amazonaws.com`, kind: 'ecr' }),
  },
  {
    kind: 'quay',
    label: 'Quay',
    detail: 'quay.io',
    questions: [repositories('Repositories as namespace/name', 'my-org/my-image')],
    build: (a) => ({ host: 'quay.io', name: 'Quay', kind: 'quay', repositories: splitList(a.repositories) }),
  },
  {
    kind: 'harbor',
    label: 'Harbor',
    detail: 'your Harbor host',
    questions: [hostQuestion('harbor.example.com')],
    build: (a) => ({ host: normaliseHost(a.host!), kind: 'harbor' }),
  },
  {
    kind: 'gitlab',
    label: 'GitLab',
    detail: 'registry.gitlab.com or your instance',
    questions: [
      hostQuestion('registry.gitlab.com', 'registry.gitlab.com'),
      repositories('Projects as group/project', 'my-group/my-project'),
    ],
    build: (a) => ({ host: normaliseHost(a.host!), kind: 'gitlab', repositories: splitList(a.repositories) }),
  },
  {
    kind: 'generic',
    label: 'Other registry',
    detail: 'any OCI distribution registry',
    questions: [hostQuestion('registry.example.com or localhost:5000'), optionalRepositories],
    build: (a) => {
      const host = normaliseHost(a.host!);
      const setting: RegistrySetting = { host, kind: 'generic' };
      const repos = splitList(a.repositories);
      if (repos.length) setting.repositories = repos;
      // The engine's default for a host: plain HTTP on loopback only, TLS anywhere else.
      if (defaultRegistryConfig(host).plainHttp) setting.plainHttp = true;
      return setting;
    },
  },
];

export function splitList(answer: string | undefined): string[] {
  return (answer ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}
