import * as path from 'node:path';
import { pullManifests, readManifestToPull, type ManifestToPull, type PulledManifest } from '../../core/files';
import {
  printable,
  formatBytes,
  type Descriptor,
  counted,
  isIndex,
  OciError,
  titleOf,
  IMAGE_LAYER_TYPES,
  descriptorProblem,
} from '../../core/oci';
import type { Target } from '../../core/content';

/** How far --include-subject follows subjects (a chain this long is already unusual). */
const MAX_SUBJECTS = 16;
import { progressReporter } from '../progress';
import { COMMON_OPTIONS, OCI_LAYOUT_OPTION, OCI_LAYOUT_PATH_OPTION, formatOption } from '../commonOptions';
import { shellWord } from '../hintFlags';
import { layoutPathInput } from '../session';
import { print, printError, printJson, type Command } from '../command';
import { UsageError } from '../args';
import { InterruptedNote } from '../interruptedNote';
import { errorWords } from '../systemErrors';
import { referenced, storeLabel } from '../orasOutput';
import { PLATFORM_OPTION, resolveOneManifest } from '../platform';

export const pullCommand: Command = {
  name: 'pull',
  summary: 'pull the files of an artifact into a folder (verified, staged, then moved into place)',
  examples: [
    {
      does: "pull an artifact's files into a new folder",
      run: 'stowage pull localhost:5000/team/docs:v1 -o ./docs-v1',
    },
    {
      does: 'pull from a layout folder, replacing files that differ',
      run: 'stowage pull oci:./backup:v1 -o ./docs --overwrite',
    },
  ],
  usage: 'stowage pull <reference> [-o DIR] [--overwrite] [--max-size bytes] [--platform os/arch] [--include-subject]',
  options: [
    ...COMMON_OPTIONS,
    {
      name: 'output',
      short: 'o',
      type: 'string',
      valueName: 'dir',
      description:
        'the folder to write into (default: the current folder). A Flux artifact is extracted into it, as flux pull artifact -o does; unlike Flux, files there that differ are refused without --overwrite, links are refused, and the unpacked size is capped',
    },
    {
      name: 'overwrite',
      type: 'boolean',
      description:
        'replace files that already exist (refused otherwise, before anything is written; ORAS replaces them); a folder is unpacked over, your other files in it stay',
    },
    {
      name: 'keep-old-files',
      short: 'k',
      type: 'boolean',
      description: 'do not replace existing files (ORAS’s flag; Stowage’s default already)',
    },
    {
      name: 'allow-path-traversal',
      short: 'T',
      type: 'boolean',
      description: 'ORAS’s flag; refused: Stowage never writes outside the folder it pulls into',
    },
    {
      name: 'max-size',
      type: 'number',
      valueName: 'bytes',
      description: 'refuse artifacts that would write more than this (default 4 GiB)',
    },
    PLATFORM_OPTION,
    {
      name: 'include-subject',
      type: 'boolean',
      description: 'also pull the files of the artifact’s subject, and of its subject in turn (ORAS’s flag)',
    },
    OCI_LAYOUT_OPTION,
    OCI_LAYOUT_PATH_OPTION,
    {
      name: 'config',
      type: 'string',
      valueName: 'file',
      description: 'ORAS’s flag; refused: write the config with stowage manifest fetch-config <reference> -o <file>',
    },
    formatOption('text or json (ORAS’s shape: the reference and the files written)'),
  ],
  arity: [1, 1],
  async run({ io, args, session, signal }) {
    if (args.options['allow-path-traversal'])
      throw new UsageError(
        '--allow-path-traversal is refused: Stowage never writes outside the folder it pulls into. A file titled with an absolute path or ../ is refused; pull into the folder you want with -o DIR',
      );
    if (args.options['config'] !== undefined)
      throw new UsageError(
        `--config is refused: a pull writes the artifact's files, never its config; write the config with "stowage manifest fetch-config ${shellWord(args.positionals[0]!)} -o ${shellWord(args.options['config'] as string)}"`,
      );
    const opened = await session.openManifest(layoutPathInput(args, args.positionals[0]!));
    const { target, tagOrDigest } = opened;
    const manifest = await resolveOneManifest(
      target,
      tagOrDigest,
      args.options['platform'] as string | undefined,
      signal,
    );
    const dir = (args.options['output'] as string | undefined) ?? '.';
    const progress = progressReporter(io, 'pulling');
    // --include-subject: the subject's files too, then its subject's (a forged chain is cut where it loops); the
    // chain is read (and checked) once, then pulled as one pull: all staged and compared before anything is written.
    const reads = args.options['include-subject']
      ? await readSubjectChain(target, manifest, signal)
      : [await readManifestToPull(target, manifest, signal)];
    const [result, ...subjects] = await pullManifests(target, reads, dir, {
      overwrite: !!args.options['overwrite'] && !args.options['keep-old-files'],
      maxBytes: args.options['max-size'] as number | undefined,
      concurrency: session.concurrency,
      signal,
      onProgress: progress.onProgress,
    })
      .catch((err: unknown) => {
        if (!signal.aborted) throw err;
        // A stopped pull is undone (pullFiles' rollback): said, or, when a file could not go back, where it is.
        throw new InterruptedNote(
          OciError.is(err, 'ABORTED') ? `nothing was written to ${printable(dir)}` : errorWords(err),
          { cause: err },
        );
      })
      .finally(progress.done);
    const pulled = [result!, ...subjects];
    // A file two manifests of the chain hold alike is written once and listed once.
    const outputs = pulled.flatMap((p) => p.outputs).filter((o) => !o.sameAs);
    const pulledRef = `${target.location}${opened.reference.digest ? `@${opened.reference.digest}` : `:${opened.reference.tag}`}`;
    const untitled = pulled.flatMap((p) => p.untitled);
    if (untitled.length) printError(io, untitledNote(untitled, target.location, pulledRef));
    if (args.options['format'] === 'json') {
      printJson(io, {
        reference: `${target.location}@${result!.descriptor.digest}`,
        files: outputs.map((o) => ({
          path: `${path.resolve(o.path)}${o.unpack ? path.sep : ''}`,
          ...referenced(target.location, o.layer),
          ...(o.unchanged ? { unchanged: true } : {}),
        })),
        bytesWritten: pulled.reduce((sum, p) => sum + p.bytesWritten, 0),
        bytesKept: pulled.reduce((sum, p) => sum + p.bytesKept, 0),
      });
    } else {
      // A folder's size is its layer's, packed; the totals are what was written and kept, unpacked: each says which.
      for (const output of outputs)
        print(
          io,
          `${output.unchanged ? 'unchanged' : output.unpack ? 'unpacked' : 'wrote'} ${printable(output.path)}${output.unpack ? '/' : ''} (${formatBytes(output.size)}${output.unpack ? ' packed' : ''})`,
        );
      print(io, [
        `pulled ${result!.descriptor.digest}: ${pulledText(result!)}`,
        ...subjects.map((s) => `pulled its subject ${s.descriptor.digest}: ${pulledText(s)}`),
        `Pulled ${storeLabel(opened)} ${pulledRef}`,
        `Digest: ${result!.descriptor.digest}`,
      ]);
    }
    return 0;
  },
};

/**
 * The manifests --include-subject pulls, `first` and its chain of subjects, read once each. They are written
 * into one folder, one after the other: a file name two of them hold with different contents would stop the
 * second pull after the first had written its files ("nothing written", yet the folder had changed), so such a
 * chain is refused here, before anything is written.
 */
async function readSubjectChain(target: Target, first: Descriptor, signal: AbortSignal): Promise<ManifestToPull[]> {
  const chain: ManifestToPull[] = [];
  const owners = new Map<string, { digest: string; layer: string }>();
  const seen = new Set<string>();
  let next: Descriptor | undefined = first;
  while (next && !seen.has(next.digest) && seen.size <= MAX_SUBJECTS) {
    seen.add(next.digest);
    const read = await readManifestToPull(target, next, signal);
    chain.push(read);
    const { descriptor, manifest } = read;
    // An index has no files; its pull fails on its own, with its own words.
    for (const layer of isIndex(manifest) ? [] : (manifest.layers ?? [])) {
      const title = titleOf(layer);
      if (title === undefined) continue;
      const owner = owners.get(title);
      if (owner && owner.layer !== layer.digest)
        throw new OciError(
          'USAGE',
          `"${printable(title)}" is in both ${owner.digest} and its subject ${descriptor.digest}, with different contents; nothing was written: pull them into separate folders (without --include-subject)`,
        );
      owners.set(title, { digest: descriptor.digest, layer: layer.digest });
    }
    // A subject names a digest; anything else (a tag's name was pulled as that tag) stops the pull here.
    const subjectProblem = manifest.subject === undefined ? undefined : descriptorProblem(manifest.subject);
    if (subjectProblem)
      throw new OciError(
        'INVALID_CONTENT',
        `the subject of ${descriptor.digest} ${subjectProblem}; nothing was written: pull without --include-subject`,
      );
    next = manifest.subject;
  }
  return chain;
}

/** How many files of a layer without a title the note names, each with the command that fetches it. */
const MAX_FETCH_HINTS = 5;

/**
 * Why layers were not written, and how to get them. An image's layers are filesystem changes: copying the image
 * keeps them. Any other untitled layer is one file its own tool names (a WebAssembly module of another layout than
 * wkg's, an archive of a tool Stowage does not know): the note names each with the `blob fetch` that writes it.
 */
function untitledNote(untitled: readonly Descriptor[], location: string, pulledRef: string): string[] {
  const files = untitled.filter((layer) => !IMAGE_LAYER_TYPES.has(layer.mediaType));
  const lines = [
    `note: not written: ${counted(untitled.length, 'layer')} without a file name (annotation org.opencontainers.image.title)${files.length ? '' : ", as a container image's layers are"}`,
  ];
  for (const layer of files.slice(0, MAX_FETCH_HINTS))
    lines.push(
      `  hint: ${printable(layer.mediaType)}, ${formatBytes(layer.size)}: stowage blob fetch ${location}@${printable(layer.digest)} -o <file>`,
    );
  if (files.length > MAX_FETCH_HINTS) lines.push(`  … and ${files.length - MAX_FETCH_HINTS} more`);
  lines.push(`  hint: to keep every layer, copy it into a layout: stowage copy ${pulledRef} oci:<folder>`);
  return lines;
}

/**
 * "3 items, 1.2 KiB written", and what was already there with the same bytes and kept: "…, 300 B kept (2 items
 * already there unchanged)"; kept bytes also come from files alike inside a folder or a Flux tree merged into.
 */
function pulledText(pulled: PulledManifest): string {
  const unchanged = pulled.outputs.filter((o) => o.unchanged && !o.sameAs).length;
  const kept = pulled.bytesKept || unchanged ? `, ${formatBytes(pulled.bytesKept)} kept` : '';
  const items = unchanged ? ` (${counted(unchanged, 'item')} already there unchanged)` : '';
  return `${counted(pulled.outputs.length, 'item')}, ${formatBytes(pulled.bytesWritten)} written${kept}${items}`;
}
