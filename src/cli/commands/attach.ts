import { UsageError } from '../args';
import { COMMON_OPTIONS } from '../commonOptions';
import { printError, printJson, type Command, type CommandContext } from '../command';
import { stat } from 'node:fs/promises';
import { isSbomArtifactType } from '../../core/oci';
import { sbomAttachProblem } from '../../core/supplyChain';
import { parseFileArg } from '../fileArgs';
import { shellWord } from '../hintFlags';
import { ARTIFACT_OPTIONS, checkInputsBeforeWriting, pushFiles } from './push';
import { indexReferrer } from '../../core/graph';
import { parseManifestBytes } from '../../core/content';
import { distributionSpecOf, distributionSpecOption } from '../distributionSpec';
import { printPushed, referenced, storeLabel } from '../orasOutput';
import { PLATFORM_OPTION, resolvePlatform } from '../platform';

export const attachCommand: Command = {
  name: 'attach',
  summary: 'attach files to an artifact as a referrer (found through the referrers API or the fallback tag)',
  examples: [
    {
      does: 'attach an SPDX SBOM to an image',
      run: 'stowage attach localhost:5000/team/app:v1 --artifact-type application/spdx+json sbom.spdx.json:application/spdx+json',
    },
  ],
  usage:
    'stowage attach <subject-reference> [<file>[:<media-type>]...] --artifact-type T [-a key=value]... [--platform os/arch] [--distribution-spec v1.1-referrers-api|v1.1-referrers-tag]',
  options: [
    ...COMMON_OPTIONS,
    // push's option says it has a default; a referrer must say what it is (as ORAS requires).
    ...ARTIFACT_OPTIONS.map((option) =>
      option.name === 'artifact-type'
        ? { ...option, description: 'the referrer’s artifact type (required), e.g. application/spdx+json' }
        : option,
    ),
    {
      ...PLATFORM_OPTION,
      description: 'when the subject names an index, attach to this platform’s manifest in it',
    },
    distributionSpecOption(
      'how the referrer is found (default: the referrers API where the registry has it, else the fallback tag): referrers-api requires the API, referrers-tag also writes the fallback tag',
    ),
  ],
  arity: [1, Infinity],
  async run(context) {
    const { args, session, signal, io } = context;
    const [ref, ...files] = args.positionals as [string, ...string[]];
    if (!args.options['artifact-type'])
      throw new UsageError('attach needs --artifact-type (what kind of referrer this is, e.g. application/spdx+json)');
    if (!files.length && !args.options['annotation'] && !args.options['annotation-file'])
      throw new UsageError(
        'attach needs files, or annotations (-a key=value, --annotation-file) for a referrer without files',
      );
    const checked = await checkInputsBeforeWriting(context, files);
    const sbomWarnings = await invalidSbomWarnings(context, ref, files);
    const opened = await session.openManifest(ref);
    const { target, tagOrDigest } = opened;
    const spec = await distributionSpecOf(args.options, target, signal);
    const subject = await resolvePlatform(target, tagOrDigest, args.options['platform'] as string | undefined, signal);
    const pushed = await pushFiles(context, target, files, { subject, checked });
    // The tag schema asked for: the fallback tag lists the referrer even where the registry indexed it itself.
    if (spec === 'v1.1-referrers-tag')
      await indexReferrer(
        target,
        pushed.descriptor,
        parseManifestBytes(pushed.manifest, 'the pushed manifest'),
        false,
        signal,
      );
    printError(io, sbomWarnings);
    if (args.options['format'] === 'json') printJson(io, referenced(target.location, pushed.descriptor));
    else
      printPushed(io, `Attached to ${storeLabel(opened)}`, `${target.location}@${subject.digest}`, pushed.descriptor);
    return 0;
  },
};

/**
 * Attached under an SBOM type, a file is attached as given (as ORAS does), but one that is no valid SBOM of that
 * type is named (checked before anything is written, said once it is attached): scanners trust the type.
 */
async function invalidSbomWarnings(context: CommandContext, ref: string, files: string[]): Promise<string[]> {
  const artifactType = context.args.options['artifact-type'] as string;
  const warnings: string[] = [];
  if (!isSbomArtifactType(artifactType)) return warnings;
  for (const { path: file } of files.map(parseFileArg)) {
    if ((await stat(file)).isDirectory()) continue;
    const problem = await sbomAttachProblem(file, artifactType);
    if (problem)
      warnings.push(
        `warning: ${file}: ${problem}; attached as given ("stowage sbom ${shellWord(ref)} --sbom ${shellWord(file)} --attach" checks an SBOM and attaches it only when valid)`,
      );
  }
  return warnings;
}
