import * as path from 'node:path';
import { validateSbom, type SbomType } from '../../core/sbom';
import { attachSbom, checkSbom, generateArtifactSbom, readSbomFile } from '../../core/supplyChain';
import { UsageError } from '../args';
import { print, printError, type Command, type CommandContext } from '../command';
import { isTerminal } from '../terminalGuard';
import { escapeInvisibleInJson } from '../../core/oci';
import { writeFileAtomic } from '../../core/content';
import { COMMON_OPTIONS } from '../commonOptions';

export const sbomCommand: Command = {
  name: 'sbom',
  summary: 'generate an SBOM (CycloneDX or SPDX JSON) listing an artifact’s files; print, save or attach it',
  examples: [
    {
      does: "write an SPDX SBOM of an artifact's files",
      run: 'stowage sbom localhost:5000/team/docs:v1 --format spdx -o docs.spdx.json',
    },
    {
      does: 'generate a CycloneDX SBOM and attach it to the artifact',
      run: 'stowage sbom localhost:5000/team/docs:v1 --attach',
    },
  ],
  usage:
    'stowage sbom <reference> [--format cyclonedx|spdx] [--attach] [-o FILE] | stowage sbom <reference> --sbom FILE [--attach]',
  options: [
    ...COMMON_OPTIONS,
    { name: 'format', type: 'string', choices: ['cyclonedx', 'spdx'], description: 'cyclonedx (default) or spdx' },
    { name: 'attach', type: 'boolean', description: 'attach the SBOM to the artifact as a referrer' },
    {
      name: 'sbom',
      type: 'string',
      valueName: 'file',
      description:
        'your own SPDX or CycloneDX JSON file instead of a generated one (as cosign attach sbom --sbom): validated, and attached with --attach',
    },
    {
      name: 'output',
      short: 'o',
      type: 'string',
      valueName: 'file',
      description: 'write the SBOM to this file instead of stdout',
    },
  ],
  arity: [1, 1],
  async run(context) {
    const { io, args, session, signal } = context;
    const format = (args.options['format'] as string | undefined) ?? 'cyclonedx';
    if (format !== 'cyclonedx' && format !== 'spdx')
      throw new UsageError(`--format must be cyclonedx or spdx, not "${format}"`);
    const ref = args.positionals[0]!;
    const own = args.options['sbom'] as string | undefined;
    if (own) return attachOwnSbom(context, own);
    const { target, tagOrDigest } = await session.openManifest(ref);
    const subject = await target.resolve(tagOrDigest, { signal });
    const bytes = await generateArtifactSbom(target, ref, subject, format as SbomType, { signal });
    const output = args.options['output'] as string | undefined;
    if (args.options['attach']) {
      const attached = await attachSbom(target, subject, bytes, { signal });
      printError(
        io,
        `attached ${attached.descriptor.digest} (${attached.descriptor.artifactType}) to ${subject.digest}`,
      );
    } else {
      // What is written is checked the same way an attached SBOM is.
      const problems = await validateSbom(bytes);
      if (problems.length)
        throw new Error(
          `generated SBOM failed validation: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`,
        );
    }
    if (output) {
      await writeFileAtomic(output, bytes);
      if (!args.options['attach']) print(io, `wrote ${output}`);
    } else if (!args.options['attach']) {
      // File names come from the artifact: to a terminal, what would act is escaped (a parser reads the same JSON).
      io.out.write(isTerminal(io.out) ? escapeInvisibleInJson(bytes.toString('utf8')) : bytes);
      io.out.write('\n');
    }
    return 0;
  },
};

/**
 * `--sbom FILE`: the user's SBOM, validated as the editor's Attach SBOM… does (type from the content), then
 * attached under its type with --attach; without it only checked, so a pipeline can gate on it.
 */
async function attachOwnSbom(context: CommandContext, file: string): Promise<number> {
  const { io, args, session, signal } = context;
  if (args.options['format'] || args.options['output'])
    throw new UsageError('--sbom FILE takes no --format or -o: the file is attached as it is');
  const bytes = await readSbomFile(file);
  let type: SbomType;
  try {
    type = await checkSbom(bytes);
  } catch (err) {
    const outcome = args.options['attach'] ? '; nothing was attached' : '';
    throw new Error(`${file}: ${(err as Error).message}${outcome}`, { cause: err });
  }
  const kind = type === 'spdx' ? 'SPDX' : 'CycloneDX';
  if (!args.options['attach']) {
    print(io, `${file}: a valid ${kind} document (add --attach to attach it)`);
    return 0;
  }
  const { target, tagOrDigest } = await session.openManifest(args.positionals[0]!);
  const subject = await target.resolve(tagOrDigest, { signal });
  const attached = await attachSbom(target, subject, bytes, { fileName: path.basename(file), signal });
  printError(io, `attached ${attached.descriptor.digest} (${attached.descriptor.artifactType}) to ${subject.digest}`);
  return 0;
}
