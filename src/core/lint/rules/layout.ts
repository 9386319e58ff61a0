// Rules for the files of an image layout and for references between index entries.
import { isObject } from '../detect';
import { Annotation } from '../../oci';
import { replaceValueFix } from '../fixes';
import type { RuleContext } from './context';

export function layoutRules(context: RuleContext): void {
  if (context.kind === 'ociLayout') layoutVersion(context);
  if (context.kind === 'layoutIndex') refNames(context);
  if (context.sites.some((site) => site.role === 'manifest')) attestationSubjects(context);
}

function layoutVersion({ document, locator, report }: RuleContext): void {
  const version = document.imageLayoutVersion;
  if (version !== undefined && version !== '1.0.0') {
    report(
      'error',
      'layout-version',
      `imageLayoutVersion is ${JSON.stringify(version)}; the only defined version is "1.0.0".`,
      ['imageLayoutVersion'],
      undefined,
      replaceValueFix('Set imageLayoutVersion to "1.0.0"', locator, ['imageLayoutVersion'], '1.0.0'),
    );
  }
}

/** Two entries with one name make a tag ambiguous: readers pick either. (The name's grammar is an annotation rule.) */
function refNames({ sites, report }: RuleContext): void {
  const seen = new Map<string, number>();
  for (const site of sites) {
    const name = isObject(site.value.annotations) ? site.value.annotations[Annotation.refName] : undefined;
    if (typeof name !== 'string') continue;
    const first = seen.get(name);
    if (first === undefined) {
      seen.set(name, site.path[1] as number);
      continue;
    }
    report(
      'warning',
      'ref-name-duplicate',
      `The name "${name}" is already used by manifests[${first}]; the reference is ambiguous.`,
      [...site.path, 'annotations', Annotation.refName],
    );
  }
}

/** buildx attestation manifests point at the image they describe, which must be in the same index. */
function attestationSubjects({ sites, report }: RuleContext): void {
  const digests = new Set<unknown>(sites.map((site) => site.value.digest));
  for (const site of sites) {
    const target = isObject(site.value.annotations) ? site.value.annotations['vnd.docker.reference.digest'] : undefined;
    if (typeof target === 'string' && !digests.has(target)) {
      report(
        'warning',
        'attestation-subject-missing',
        `This attestation refers to ${target}, which is not an entry of this index.`,
        [...site.path, 'annotations', 'vnd.docker.reference.digest'],
      );
    }
  }
}
