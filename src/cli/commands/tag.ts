import { COMMON_OPTIONS, OCI_LAYOUT_OPTION } from '../commonOptions';
import { print, type Command } from '../command';
import { UsageError } from '../args';
import { echoedReference, isTag } from '../../core/oci';
import { storeLabel } from '../orasOutput';

export const tagCommand: Command = {
  name: 'tag',
  summary: 'add tags to a manifest',
  examples: [
    { does: 'give the manifest v1 names two more tags', run: 'stowage tag localhost:5000/team/app:v1 stable 1.0' },
  ],
  usage: 'stowage tag <reference> <tag>...',
  options: [...COMMON_OPTIONS, OCI_LAYOUT_OPTION],
  arity: [2, Infinity],
  async run({ io, args, session, signal }) {
    const [ref, ...given] = args.positionals as [string, ...string[]];
    // ORAS's tag lists (`v2,v3`) as well as separate words.
    const tags = given.flatMap((t) => t.split(','));
    const bad = tags.find((t) => !isTag(t));
    if (bad !== undefined)
      throw new UsageError(
        `"${echoedReference(bad)}" is not a valid tag (letters, digits, _ . -; at most 128; not starting with . or -)`,
      );
    const opened = await session.openManifest(ref);
    const { target, tagOrDigest } = opened;
    const descriptor = await target.resolve(tagOrDigest, { signal });
    // ORAS's lines: what is tagged, then the tags it got.
    print(io, `Tagging ${storeLabel(opened)} ${target.location}@${descriptor.digest}`);
    for (const tag of tags) await target.tag(descriptor, tag, { signal });
    print(io, `Tagged ${tags.join(', ')}`);
    return 0;
  },
};
