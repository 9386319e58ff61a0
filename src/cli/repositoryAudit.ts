// `stowage verify --all-tags REPO` (or `--tags <glob>`, selected as `copy --all-tags` selects them): every tag's
// signatures judged as `verify` judges one artifact, with its SBOMs and attestations, one row per tag in tag order
// and a summary. `--require sbom|attestation|provenance` names what else a tag must have; the exit code is what a
// release gate reads: 0 only when every tag passed.
import {
  AUDIT_REQUIREMENTS,
  auditLines,
  auditRepository,
  streamedAuditText,
  type AuditRequirement,
  type TagAudit,
  type TrustOptions,
} from '../core/supplyChain';
import { UsageError, type OptionSpec, type ParsedArgs } from './args';
import { print, printError, type CommandContext } from './command';
import { streamedJsonArray, type StreamedJsonArray } from './streamedJson';
import { drawsProgress, LOG_PROGRESS_EVERY_MS } from './progress';
import { repositoryOf } from './repositoryCopy';
import { TAGS_OPTION, tagPatterns } from './tagTransfer';

export const AUDIT_OPTIONS: OptionSpec[] = [
  {
    name: 'all-tags',
    short: 'a',
    type: 'boolean',
    description:
      'verify every tag of the repository (not referrer tags): one row per tag with its signatures, SBOMs and attestations; exit 0 only when every tag passes',
  },
  {
    ...TAGS_OPTION,
    description:
      'verify the repository’s tags matching this pattern (* and ?; repeatable or comma-separated); implies --all-tags',
  },
  {
    name: 'require',
    type: 'strings',
    valueName: 'what',
    description:
      'with --all-tags: a tag must also have an SBOM (sbom: SPDX or CycloneDX, attached or attested), an attestation (attestation) or a SLSA provenance attestation (provenance). With --cosign-key or --sigstore-trusted-root, only attestations whose DSSE signature verifies and whose statement names the tag\'s digest count (one present but not verified makes the verdict "unverified …"); an SBOM attached as a document counts when a signature of the SBOM itself verifies with any of the trust flags (stowage sign, notation or cosign on its digest), and one whose signature fails fails the tag; with --trust-cert alone, other evidence counts by presence, unverified; repeatable or comma-separated',
  },
];

/** --require's values, each checked (the option's words are fixed). */
export function requirements(options: ParsedArgs['options']): AuditRequirement[] {
  const values = ((options['require'] as string[] | undefined) ?? []).flatMap((v) => v.split(',')).filter(Boolean);
  for (const value of values)
    if (!(AUDIT_REQUIREMENTS as readonly string[]).includes(value))
      throw new UsageError(`--require takes ${AUDIT_REQUIREMENTS.join(', ')}, not "${value}"`);
  return values as AuditRequirement[];
}

export async function verifyRepository(
  { io, args, session, signal }: CommandContext,
  input: string,
  trust: TrustOptions,
): Promise<number> {
  const require = requirements(args.options);
  const reference = repositoryOf(input, !!args.options['oci-layout'], 'repository', 'verify');
  const { target } = await session.open(reference);
  const progress = tagProgress(io);
  // Text and JSON print each tag as it is judged and keep only the counts (thousands of tags, each with its
  // signatures' results). verify takes no Go template, which would need the whole result at once.
  const json = args.options['format'] === 'json';
  let text: ReturnType<typeof streamedAuditText> | undefined;
  let streamed: StreamedJsonArray<TagAudit> | undefined;
  const audit = await auditRepository(target, {
    ...trust,
    patterns: tagPatterns(args),
    require,
    concurrency: session.concurrency,
    signal,
    keepTags: false,
    onTags: (tags) => {
      // The members before `tags`, as auditRepository returns them (their order is the JSON's).
      if (json) streamed = streamedJsonArray(io, { location: target.location, require: [...new Set(require)] }, 'tags');
      else if (tags.length) {
        text = streamedAuditText(tags);
        print(io, text.header);
      }
    },
    onTagInOrder: (tag) => {
      streamed?.add(tag);
      if (!text) return;
      progress.clear();
      print(io, text.tagLines(tag));
    },
    onTag: (_audit, done, count) => progress.update(done, count),
  }).finally(progress.done);
  if (streamed) {
    const { location: _location, require: _require, tags: _tags, ...after } = audit;
    streamed.close(after);
  } else if (text) print(io, text.closing(audit));
  else print(io, auditLines(audit));
  if (!audit.summary.tags)
    printError(io, `${target.location} has no tags: nothing was verified, so this does not pass`);
  return audit.passed ? 0 : 1;
}

/** "verifying tags 3/10" redrawn on a terminal; elsewhere a line every LOG_PROGRESS_EVERY_MS while it lasts. */
function tagProgress(io: CommandContext['io']): {
  update: (done: number, count: number) => void;
  /** Before a line is printed: the redrawn line goes, and comes back at the next update. */
  clear: () => void;
  done: () => void;
} {
  const redraw = drawsProgress(io);
  let due = Date.now() + LOG_PROGRESS_EVERY_MS;
  let drawn = false;
  return {
    update: (done, count) => {
      if (redraw) {
        drawn = true;
        io.err.write(`\r\u001b[Kverifying tags ${done}/${count}`);
      } else if (Date.now() >= due && done < count) {
        due = Date.now() + LOG_PROGRESS_EVERY_MS;
        io.err.write(`verifying tags ${done}/${count}\n`);
      }
    },
    clear: () => {
      if (drawn) io.err.write('\r\u001b[K');
      drawn = false;
    },
    done: () => {
      if (drawn) io.err.write('\r\u001b[K');
    },
  };
}
