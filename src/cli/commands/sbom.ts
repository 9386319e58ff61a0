import { writeFile } from 'node:fs/promises';
import { validateSbom, type SbomType } from '../../core/sbom';
import { attachSbom, generateArtifactSbom } from '../../core/supplyChain';
import { UsageError } from '../args';
import { print, printError, type Command } from '../command';
import { COMMON_OPTIONS } from '../commonOptions';

export const sbomCommand: Command = {
  name: 'sbom',
  summary: 'generate an SBOM (CycloneDX or SPDX JSON) listing an artifact’s files; print, save or attach it',
  usage: 'stowage sbom <reference> [--format cyclonedx|spdx] [--attach] [-o FILE]',
  options: [
    ...COMMON_OPTIONS,
    { name: 'format', type: 'string', choices: ['cyclonedx', 'spdx'], description: 'cyclonedx (default) or spdx' },
    { name: 'attach', type: 'boolean', description: 'attach the SBOM to the artifact as a referrer' },
    {
      name: 'output',
      short: 'o',
      type: 'string',
      valueName: 'file',
      description: 'write the SBOM to this file instead of stdout',
    },
  ],
  arity: [1, 1],
  async run({ io, args, session, signal }) {
    const format = (args.options['format'] as string | undefined) ?? 'cyclonedx';
    if (format !== 'cyclonedx' && format !== 'spdx')
      throw new UsageError(`--format must be cyclonedx or spdx, not "${format}"`);
    const ref = args.positionals[0]!;
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
      await writeFile(output, bytes);
      if (!args.options['attach']) print(io, `wrote ${output}`);
    } else if (!args.options['attach']) {
      io.out.write(bytes);
      io.out.write('\n');
    }
    return 0;
  },
};
