// ORAS's output shapes (its "format output" guide, v1.3), shared by the commands that print them: a descriptor
// with the digest reference it names, the text lines of a push, and where a reference lives.
import type { OpenedTarget } from '../core/open';
import type { Descriptor } from '../core/oci';
import type { ParsedArgs } from './args';
import { print, printJson, type CliIO } from './command';

/** ORAS's descriptor: `reference` (name@digest) first, then the descriptor's own fields. */
export interface ReferencedDescriptor {
  reference: string;
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
  artifactType?: string;
}

export function referenced(location: string, descriptor: Descriptor): ReferencedDescriptor {
  const out: ReferencedDescriptor = {
    reference: `${location}@${descriptor.digest}`,
    mediaType: descriptor.mediaType,
    digest: descriptor.digest,
    size: descriptor.size,
  };
  if (descriptor.annotations && Object.keys(descriptor.annotations).length) out.annotations = descriptor.annotations;
  if (descriptor.artifactType) out.artifactType = descriptor.artifactType;
  return out;
}

/** "[registry]" or "[oci-layout]", as ORAS labels where something went. */
export function storeLabel(opened: OpenedTarget): string {
  return opened.reference.kind === 'layout' ? '[oci-layout]' : '[registry]';
}

/** ORAS's closing lines of a push or attach: what was pushed, its artifact type and its digest. */
export function printPushed(io: CliIO, verb: string, name: string, descriptor: Descriptor): void {
  const lines = [`${verb} ${name}`];
  if (descriptor.artifactType) lines.push(`ArtifactType: ${descriptor.artifactType}`);
  lines.push(`Digest: ${descriptor.digest}`);
  print(io, lines);
}

/**
 * `--descriptor`: the descriptor alone, as ORAS prints it, ready to be a subject or an index entry; `--format json`:
 * with the reference it went to. False when neither was asked: the caller prints its text.
 */
export function printDescriptorIfAsked(
  io: CliIO,
  options: ParsedArgs['options'],
  location: string,
  descriptor: Descriptor,
): boolean {
  if (options['descriptor']) printJson(io, descriptor);
  else if (options['format'] === 'json') printJson(io, referenced(location, descriptor));
  else return false;
  return true;
}
