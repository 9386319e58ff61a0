// Where descriptors sit in each kind of document, so rules and store checks walk them the same way.
import { isObject, type DocumentKind } from './detect';
import type { JsonPath } from './problem';

export type DescriptorRole = 'config' | 'layer' | 'manifest' | 'subject' | 'descriptor';

export interface DescriptorSite {
  path: JsonPath;
  role: DescriptorRole;
  value: Record<string, unknown>;
}

export function descriptorSites(kind: DocumentKind, document: Record<string, unknown>): DescriptorSite[] {
  const sites: DescriptorSite[] = [];
  const add = (path: JsonPath, role: DescriptorRole, value: unknown) => {
    if (isObject(value)) sites.push({ path, role, value });
  };
  switch (kind) {
    case 'ociManifest':
    case 'dockerManifest':
      add(['config'], 'config', document.config);
      if (Array.isArray(document.layers)) document.layers.forEach((layer, i) => add(['layers', i], 'layer', layer));
      break;
    case 'ociIndex':
    case 'dockerManifestList':
    case 'layoutIndex':
      if (Array.isArray(document.manifests))
        document.manifests.forEach((entry, i) => add(['manifests', i], 'manifest', entry));
      break;
    case 'descriptor':
      add([], 'descriptor', document);
      break;
    default:
      break;
  }
  if (kind === 'ociManifest' || kind === 'ociIndex' || kind === 'layoutIndex')
    add(['subject'], 'subject', document.subject);
  return sites;
}
