// `stowage diff A B`: what differs between two artifacts, by what `inspect` shows of each (kind, platform, created,
// labels, environment, entrypoint, annotations, config, layers), as one reads a release's changes before promoting
// it. `--exit-code` answers in the exit status as diff(1) and `git diff --exit-code` do: 0 identical, 1 different,
// 2 trouble.
import { COMMON_OPTIONS, OCI_LAYOUT_OPTION, formatOption } from '../commonOptions';
import { print, printJson, type Command } from '../command';
import { compareFiles, compareInspections, comparisonLines, filesLines, type Inspection } from '../../core/supplyChain';
import type { Descriptor } from '../../core/oci';
import { UsageError } from '../args';
import { PLATFORM_OPTION } from '../platform';
import { inspectReference } from '../inspected';

export const diffCommand: Command = {
  name: 'diff',
  summary: 'show what differs between two artifacts: kind, platform, created, labels, env, annotations, layers',
  examples: [
    {
      does: 'compare two tags, file by file',
      run: 'stowage diff localhost:5000/team/app:v1 localhost:5000/team/app:v2 --files',
    },
  ],
  usage: 'stowage diff <reference> <reference> [--files] [--platform os/arch] [--format text|json] [--exit-code]',
  options: [
    ...COMMON_OPTIONS,
    PLATFORM_OPTION,
    formatOption('json: both sides, whether identical, each difference and the layers only one side has'),
    {
      name: 'files',
      type: 'boolean',
      description:
        'also compare the files the layers make (whiteouts applied): added, removed, changed in content, mode or link',
    },
    {
      name: 'exit-code',
      type: 'boolean',
      description:
        'exit with 1 when the two differ, 0 when they are identical, 2 on any trouble (as diff does; git diff --exit-code)',
    },
    OCI_LAYOUT_OPTION,
  ],
  arity: [2, 2],
  // With --exit-code, 1 answers "they differ": a failure must not read as that.
  failureExitCode: (args) => (args?.options['exit-code'] ? 2 : undefined),
  async run(context) {
    const { args, io } = context;
    const [fromReference, toReference] = args.positionals as [string, string];
    const fromSide = await inspectReference(context, fromReference, false);
    const toSide = await inspectReference(context, toReference, false);
    const [from, to] = [fromSide.inspection, toSide.inspection];
    const comparison = compareInspections(from, to);
    const files =
      args.options['files'] && !comparison.identical
        ? await compareFiles(
            { target: fromSide.target, layers: layersOf(fromReference, from) },
            { target: toSide.target, layers: layersOf(toReference, to) },
            context.signal,
          )
        : undefined;
    if (args.options['format'] === 'json')
      printJson(io, {
        from: sideShape(fromReference, from),
        to: sideShape(toReference, to),
        ...comparison,
        ...(files ? { files } : {}),
      });
    else {
      print(io, comparisonLines(side(fromReference, from), side(toReference, to), comparison));
      if (files) print(io, filesLines(files));
    }
    const differ = !comparison.identical;
    return args.options['exit-code'] && differ ? 1 : 0;
  },
};

/** The layers whose files are compared: of an index, the platform's manifest's. */
function layersOf(reference: string, inspection: Inspection): Descriptor[] {
  if (!inspection.manifest)
    throw new UsageError(
      `${reference} is an index with no manifest for this machine’s platform: name one with --platform os/arch to compare files`,
    );
  return inspection.manifest.layers;
}

function side(label: string, inspection: Inspection) {
  const kind = inspection.entries ? 'index' : inspection.manifest?.kindLabel;
  return { label, descriptor: inspection.descriptor, ...(kind ? { kind } : {}) };
}

function sideShape(reference: string, inspection: Inspection): Record<string, unknown> {
  return {
    reference,
    name: inspection.name,
    digest: inspection.descriptor.digest,
    mediaType: inspection.descriptor.mediaType,
    ...(inspection.manifest ? { kind: inspection.manifest.kindLabel } : {}),
    ...(inspection.manifest && inspection.entries ? { manifest: inspection.manifest.descriptor.digest } : {}),
  };
}
