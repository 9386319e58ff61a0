import { UsageError } from '../args';
import { COMMON_OPTIONS } from '../session';
import type { Command } from '../command';
import { ARTIFACT_OPTIONS, checkInputsBeforeWriting, pushFiles, report } from './push';

export const attachCommand: Command = {
  name: 'attach',
  summary: 'attach files to an artifact as a referrer (found through the referrers API or the fallback tag)',
  usage: 'stowage attach <subject-reference> <file>[:<media-type>]... --artifact-type T [-a key=value]...',
  options: [...COMMON_OPTIONS, ...ARTIFACT_OPTIONS],
  arity: [2, Infinity],
  async run(context) {
    const [ref, ...files] = context.args.positionals as [string, ...string[]];
    if (!context.args.options['artifact-type'])
      throw new UsageError('attach needs --artifact-type (what kind of referrer this is, e.g. application/spdx+json)');
    await checkInputsBeforeWriting(context, files);
    const { target, tagOrDigest } = await context.session.openManifest(ref);
    const subject = await target.resolve(tagOrDigest, { signal: context.signal });
    const descriptor = await pushFiles(context, target, files, { subject });
    return report(context, descriptor, `attached ${descriptor.digest} to ${subject.digest}`);
  },
};
