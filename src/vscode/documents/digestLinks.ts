// Finds the descriptors in a manifest's JSON text so that their digests become links. Pure (unit-tested).
import { parseTree, type Node } from 'jsonc-parser';
import { type Descriptor, digestProblem } from '../../core/oci';

export interface DigestLink {
  /** Where the digest string's value sits in the text (without its quotes). */
  offset: number;
  length: number;
  descriptor: Descriptor;
}

export function digestLinks(text: string): DigestLink[] {
  const root = parseTree(text);
  const links: DigestLink[] = [];
  if (root) visit(root, links);
  return links;
}

function visit(node: Node, links: DigestLink[]): void {
  if (node.type === 'object') {
    const link = descriptorLink(node);
    if (link) links.push(link);
  }
  for (const child of node.children ?? []) visit(child, links);
}

function descriptorLink(object: Node): DigestLink | undefined {
  const digest = property(object, 'digest');
  const mediaType = property(object, 'mediaType');
  const size = property(object, 'size');
  if (digest?.type !== 'string' || typeof digest.value !== 'string' || digestProblem(digest.value)) return undefined;
  if (mediaType?.type !== 'string' || typeof mediaType.value !== 'string') return undefined;
  const descriptor: Descriptor = {
    digest: digest.value,
    mediaType: mediaType.value,
    size: typeof size?.value === 'number' ? size.value : -1,
  };
  const annotations = property(object, 'annotations');
  const title = annotations && property(annotations, 'org.opencontainers.image.title');
  if (typeof title?.value === 'string') descriptor.annotations = { 'org.opencontainers.image.title': title.value };
  return { offset: digest.offset + 1, length: digest.length - 2, descriptor };
}

function property(object: Node, name: string): Node | undefined {
  if (object.type !== 'object') return undefined;
  for (const pair of object.children ?? []) {
    const [key, value] = pair.children ?? [];
    if (key?.value === name) return value;
  }
  return undefined;
}
