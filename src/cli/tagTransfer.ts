// The arguments backup and restore share, in ORAS 1.3's shapes: `<registry>/<repository>[:<tag>[,<tag>…]]` and a
// local path that is a layout archive when it ends in .tar, a layout folder otherwise; plus what they print.
import {
  echoedReference,
  formatReference,
  parseRegistryReference,
  tagProblem,
  type Reference,
  counted,
  OciError,
} from '../core/oci';
import {
  copyTags,
  describeNotAReferrer,
  DoneSoFar,
  DryRunTarget,
  formatCopyTagsSummary,
  runWords,
  stoppedTransferWords,
  tagsMoved,
  type CopyTagsSummary,
  type RunKind,
  type TagRecord,
} from '../core/graph';
import { describeRunStop, failedTagName, runStopOf, type RunStopRecord } from './runStop';
import { redactSecrets } from '../core/registry';
import { errorWords } from './systemErrors';
import { isFinisher, type Target } from '../core/content';
import { InterruptedNote } from './interruptedNote';
import { parseTypedReference, UsageError, type OptionSpec, type ParsedArgs } from './args';
import { print, printError, printFailureJson, printJson, type CommandContext } from './command';
import { progressName, progressReporter } from './progress';
import { streamedJsonArray, type StreamedJsonArray } from './streamedJson';
import { formatOption } from './commonOptions';

type RegistryReference = Extract<Reference, { kind: 'registry' }>;

export const TAGS_OPTION: OptionSpec = {
  name: 'tags',
  type: 'strings',
  valueName: 'glob',
  description: 'only tags matching this pattern (* and ?; repeatable or comma-separated)',
};

export const DRY_RUN_OPTION: OptionSpec = {
  name: 'dry-run',
  type: 'boolean',
  description: 'list what would move, and move nothing',
};

/** --keep-going, as copy --all-tags, backup and restore take it: `what` names the run ("the copy", "the backup"). */
export function keepGoingOption(what: string): OptionSpec {
  return {
    name: 'keep-going',
    type: 'boolean',
    description: `a tag that fails is named with its reason and ${what} goes on with the next (skopeo sync’s flag); the summary lists the failed tags and the exit code is 1`,
  };
}

export const TAG_FILTER_OPTIONS: OptionSpec[] = [
  TAGS_OPTION,
  DRY_RUN_OPTION,
  formatOption('text or json (the summary)'),
];

/** `host/repo:v1,v2` → the repository and its tags (none: every tag). */
export function parseRepositoryTags(input: string): { repository: RegistryReference; tags: string[] } {
  const slash = input.lastIndexOf('/');
  const colon = input.indexOf(':', slash + 1);
  const base = colon >= 0 ? input.slice(0, colon) : input;
  const tags = colon >= 0 ? input.slice(colon + 1).split(',') : [];
  for (const tag of tags) {
    const problem = tagProblem(tag);
    if (problem) throw new UsageError(`"${echoedReference(input)}": ${problem} (tags are separated by ",")`);
  }
  if (input.includes('@')) throw new UsageError(`"${echoedReference(input)}": name tags (":v1,v2"), not digests`);
  const repository = parseTypedReference(() => parseRegistryReference(base));
  return { repository, tags };
}

/** How each compressed name is decompressed into the plain .tar beside it (the original kept). */
const DECOMPRESS: { suffix: RegExp; tool: string; tar: string }[] = [
  { suffix: /\.tar\.gz$/i, tool: 'gunzip -k', tar: '.tar' },
  { suffix: /\.tgz$/i, tool: 'gunzip -k', tar: '.tar' },
  { suffix: /\.tar\.zst$/i, tool: 'zstd -d', tar: '.tar' },
  { suffix: /\.tar\.xz$/i, tool: 'xz -dk', tar: '.tar' },
  { suffix: /\.tar\.bz2$/i, tool: 'bunzip2 -k', tar: '.tar' },
];

/**
 * A path as a layout reference: `.tar` is an archive, anything else a folder. A compressed archive is refused: to
 * read, with the command that gives the plain .tar (renaming it would not do); to write, asking for a .tar name.
 */
export function layoutAt(path: string, flag: '--input' | '--output'): Reference {
  const compressed = DECOMPRESS.find((d) => d.suffix.test(path));
  if (compressed && flag === '--input') {
    const tar = path.replace(compressed.suffix, compressed.tar);
    throw new UsageError(
      `${flag} ${path}: a compressed archive; layout archives are read as plain .tar (as skopeo and ORAS read them): decompress it first (${compressed.tool} ${path}), then restore --input ${tar}`,
    );
  }
  if (compressed) {
    throw new UsageError(
      `${flag} ${path}: layout archives are written as plain .tar (what skopeo and ORAS read); name it .tar (compress it afterwards if you must, and decompress it before restoring), or a folder`,
    );
  }
  return /\.tar$/i.test(path) ? { kind: 'layout', path, archive: true } : { kind: 'layout', path };
}

/**
 * The destination of a transfer, opened to write; for a dry run opened as it is, or undefined when it does not
 * exist yet (a dry run creates nothing: it plans against nothing).
 */
export async function openDestination(
  session: CommandContext['session'],
  destination: string | Reference,
  dryRun: boolean,
  options: { layout?: boolean; side?: 'to' } = {},
): Promise<Target | undefined> {
  if (!dryRun) return (await session.open(destination, { ...options, create: true })).target;
  return session.open(destination, options).then(
    (opened) => opened.target,
    (err: unknown) => {
      if (OciError.is(err, 'NOT_FOUND') || OciError.is(err, 'LAYOUT')) return undefined;
      throw err;
    },
  );
}

/** The glob patterns of --tags (repeatable, comma-separated). */
export function tagPatterns(args: ParsedArgs): string[] {
  const values = (args.options['tags'] as string[] | undefined) ?? [];
  return values.flatMap((v) => v.split(',')).filter((v) => v !== '');
}

/** The closing summary line: "backed up 3 tags: …", or "would back up 3 tags: …" in a dry run (runWords). */
export function describeSummary(run: RunKind, summary: CopyTagsSummary, dryRun: boolean): string {
  const words = runWords(run);
  const done = dryRun ? `would ${words.plan}` : words.done;
  // The tags found as they were are counted at the end ("; 3 tags unchanged"), not as copied.
  return `${done} ${counted(tagsMoved(summary), 'tag')}: ${formatCopyTagsSummary(summary)}`;
}

/**
 * Runs a backup or restore: every selected tag copied with progress per tag on stderr (bytes while it moves), then
 * the summary on stdout. With --dry-run the same walk runs against a destination that stores nothing.
 */
export async function transferTags(
  { io, args, signal, session }: CommandContext,
  options: {
    src: Target;
    /** The destination as it is now; undefined when it does not exist yet (a dry run then plans against nothing). */
    dst: Target | undefined;
    /** The destination as typed: named so while it does not exist yet (a dry run's). */
    destination: Reference;
    tags: string[];
    referrers: boolean;
    /** --distribution-spec: backup reads the source's referrers one way; restore writes the fallback tag too. */
    referrersFrom?: 'api' | 'fallback-tag';
    fallbackTagAlways?: boolean;
    /** Which run this is: the words of its summary, stop line and interrupted note (runWords). */
    run: RunKind;
    /** --keep-going (every transfer of tags); --no-clobber, --force-recursive (the copy command's). */
    keepGoing: boolean;
    noClobber?: boolean;
    checkEveryNode?: boolean;
  },
): Promise<number> {
  const dryRun = !!args.options['dry-run'];
  const dstLocation = options.dst?.location ?? formatReference(options.destination);
  const dst = dryRun ? new DryRunTarget(options.dst, dstLocation) : options.dst;
  if (!dst) throw new UsageError(`${dstLocation} cannot be opened`);
  let progress: ReturnType<typeof progressReporter> | undefined;
  // The tags passed by with --keep-going before a failure that ends the run, counted where it says it stopped.
  let failedBefore = 0;
  let stopped: RunStopRecord | undefined;
  const json = args.options['format'] === 'json';
  const doneSoFar = new DoneSoFar();
  // The JSON summary's tag records are printed as each tag is done (50,000 of them took 7 MB kept for the end), in
  // the text printJson would print of the whole. Not through a Go template, which needs the whole value, nor into a
  // layout archive, whose output waits in memory for the archive to be written anyway (heldOutput.ts).
  const streams = json && !io.jsonTemplate && !isFinisher(dst);
  let streamed: StreamedJsonArray<TagRecord> | undefined;
  const records = () => (streamed ??= streamedJsonArray<TagRecord>(io, { dryRun }, 'tags'));
  const summary = await copyTags(options.src, dst, {
    tags: options.tags,
    patterns: tagPatterns(args),
    referrers: options.referrers,
    referrersFrom: options.referrersFrom,
    fallbackTagAlways: options.fallbackTagAlways,
    keepGoing: options.keepGoing,
    noClobber: options.noClobber,
    checkEveryNode: options.checkEveryNode,
    // JSON lists every tag (printed as they come when it streams); text says how many, naming a few.
    everyTag: json && !streams,
    ...(streams ? { onTagRecord: (record: TagRecord) => records().add(record) } : {}),
    concurrency: session.concurrency,
    signal,
    onTag: (event) => {
      progress?.done();
      doneSoFar.onTag(event);
      if (event.phase === 'start') {
        // The tag cut on its own: the count after it stays on the line.
        progress = progressReporter(io, `${progressName(event.tag)} (${event.position}/${event.count})`);
        return;
      }
      if (event.phase === 'failed') {
        if (event.endsRun) {
          stopped = runStopOf(event, failedBefore);
          printError(io, describeRunStop(stopped, options.run));
        } else {
          failedBefore++;
          printError(io, `${failedTagName(event)} failed: ${redactSecrets(errorWords(event.error))}`);
        }
        return;
      }
      if (event.kept) {
        printError(io, `tag ${event.tag} kept, ${dstLocation} has ${event.kept} (the source names ${event.digest})`);
        return;
      }
      if (event.unchanged) {
        printError(io, `tag ${event.tag} unchanged (${event.digest})`);
        return;
      }
      const referrers = options.referrers ? ` and ${counted(event.referrers ?? 0, 'referrer')}` : '';
      const replaced = event.replaced
        ? `; at ${dstLocation} it ${dryRun ? 'names' : 'named'} ${event.replaced} ${dryRun ? 'now' : 'before'}`
        : '';
      printError(io, `${dryRun ? 'would copy' : 'copied'} tag ${event.tag} (${event.digest})${referrers}${replaced}`);
    },
    onProgress: (p) => progress?.onProgress?.(p),
  }).catch((err: unknown) => {
    progress?.done();
    // Streamed, the JSON closes valid once begun: the records of the tags done, then where the run stopped when it
    // stopped at a tag (the error follows on stderr, the exit code is the failure's); no counts, as the run is cut.
    if (streams && (streamed || stopped)) records().close(stopped ? { stopped } : {});
    // Where the run stopped, for a script reading the JSON, with the same fields as the line above says; the
    // error follows on stderr and the exit code stays the failure's. It claims nothing was written, so it gets out
    // even when the run's writes (an archive) are dropped with the output that waited for them.
    else if (stopped && json) printFailureJson(io, { dryRun, stopped });
    // Interrupted: what the destination holds whole, in the editor's words. An archive holds nothing until it is
    // written: its staging folder is named instead (run.ts), from which the rerun resumes.
    if (signal.aborted && !dryRun && !isFinisher(dst)) {
      const { kept, rerun } = stoppedTransferWords({
        run: options.run,
        cancelled: true,
        where: dstLocation,
        done: doneSoFar,
        again: 'the same command again',
      });
      throw new InterruptedNote(`${kept}; ${rerun}`, { cause: err });
    }
    throw err;
  });
  progress?.done();
  printError(
    io,
    summary.notReferrers.map((r) => describeNotAReferrer(r, 'copy')),
  );
  const failed = summary.failed.map((f) => ({ ...f, reason: redactSecrets(f.reason) }));
  // The tally is what `tags` says in full here: the JSON stays as it was.
  const { tally: _tally, ...fields } = summary;
  if (streams) {
    const { tags: _printed, ...after } = fields;
    records().close({ ...after, failed });
  } else if (json) printJson(io, { dryRun, ...fields, failed });
  else print(io, `${describeSummary(options.run, summary, dryRun)} (${options.src.location} → ${dstLocation})`);
  // A mirror job's exit status says whether every tag arrived.
  return failed.length ? 1 : 0;
}
