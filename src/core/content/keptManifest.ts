// What a store that keeps its own manifests and tags (a layout, the memory store) checks before it pushes or tags
// one, so both refuse the same things in the same words, and before anything is kept.
import { OciError, tagProblem, type Descriptor, type Manifest } from '../oci';
import { manifestToStore, taggedMediaType } from './parseManifest';

/** Refuses a tag that is no valid OCI tag, naming the store. */
export function checkTagIn(location: string, tag: string): void {
  const problem = tagProblem(tag);
  if (problem) throw new OciError('USAGE', `cannot tag in ${location}: ${problem}`);
}

/** The media type a tag of this manifest records (taggedMediaType; a refusal names the store and the digest). */
export function taggedTypeIn(location: string, manifest: Manifest, descriptor: Descriptor): string {
  return taggedMediaType(manifest, descriptor.mediaType, `${location}: manifest ${descriptor.digest}`);
}

/**
 * A manifest push's checks: the tag when one is given, the bytes (manifestToStore), and the type the tag will
 * record, so a type no garbage collection would walk is refused before anything is kept.
 */
export function manifestToKeep(
  location: string,
  descriptor: Descriptor,
  bytes: Buffer,
  tag: string | undefined,
): { manifest: Manifest; taggedType: string | undefined } {
  if (tag !== undefined) checkTagIn(location, tag);
  const manifest = manifestToStore(location, descriptor, bytes);
  return { manifest, taggedType: tag !== undefined ? taggedTypeIn(location, manifest, descriptor) : undefined };
}
