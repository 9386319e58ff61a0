// Dispatches a command line to its command. Exit codes: 0 success, 1 failure, 2 usage (main.ts ends an
// interrupted run by the signal that stopped it).
import { existsSync } from 'node:fs';
import {
  AuthError,
  NetworkError,
  NotFoundError,
  OciError,
  OutputExistsError,
  RateLimitError,
  SizeExceededError,
  STOWAGE_VERSION,
  TlsError,
  isTag,
  showInvisible,
  formatBytes,
} from '../core/oci';
import { catalogNamesForHint, isUnknownRepository, redactSecrets, RegistryTarget } from '../core/registry';
import { FolderNotCreatableError, type Target } from '../core/content';
import { isReferrerTag } from '../core/graph';
import { parseArgs, UsageError, type ParsedArgs } from './args';
import { printError, type CliIO, type Command } from './command';
import { closestFew, didYouMean } from './suggest';
import { describeSystemError, errorWords } from './systemErrors';
import { HeldOutput } from './heldOutput';
import { interruptedWords } from './interruptedNote';
import { drawsProgress, progressReporter } from './progress';
import { checkVerb } from './verbs';
import { allCommands, commandNames, findCommand } from './commands';
import { Session, type CliEngineOptions } from './session';
import { takeGoTemplate } from './template/goTemplateOption';
import { untilStopped } from './untilStopped';
import { connectionFlags, shellWord } from './hintFlags';
import { helpWidth, twoColumns, wrapWords } from './helpLayout';
import { commandHelp, usageLines } from './help';

function usage(width: number): string {
  const rows = twoColumns(
    allCommands().map((c) => [c.name, c.summary] as const),
    width,
  );
  const paragraph = (text: string) => wrapWords(text, width, 0);
  return `Usage: stowage <command> [options]

${paragraph(
  'OCI artifacts in registries and image layouts. References are registry references ' +
    '(host[:port]/repository[:tag][@digest], Docker Hub names like "alpine" too) or layouts ' +
    '(oci:<path>[:tag|@digest] for a folder, oci-archive:<file.tar>[:tag|@digest] for a tar, as skopeo names them).',
)}

Commands:
${rows}

${paragraph(
  'Run "stowage <command> --help" for a command\'s options. Exit codes: 0 success, 1 failure, 2 usage; stopped ' +
    'by Ctrl-C, SIGTERM or SIGHUP, a command cleans up and ends by that signal (130, 143, 129 in a shell).',
)}
${paragraph(
  'Environment: DOCKER_CONFIG, REGISTRY_AUTH_FILE (credentials), HTTPS_PROXY/NO_PROXY, SOURCE_DATE_EPOCH (the ' +
    'creation time push and attach record), TERM=dumb (no progress line), COLUMNS (the width of help).',
)}
`;
}

export function defaultIO(): CliIO {
  return {
    out: process.stdout,
    err: process.stderr,
    stdin: process.stdin,
    env: process.env,
    interactive: !!process.stderr.isTTY,
  };
}

export async function runCli(
  argv: string[],
  io: CliIO = defaultIO(),
  signal: AbortSignal = new AbortController().signal,
  engine: CliEngineOptions = {},
): Promise<number> {
  const [name, ...rest] = argv;
  // `stowage help <command>`, as git and ORAS read it: that command's help (an unknown one is named below).
  if (name === 'help' && rest.length === 1 && findCommand(rest[0]!)) {
    io.out.write(commandHelp(findCommand(rest[0]!)!, helpWidth(io.out, io.env)));
    return 0;
  }
  if (name === 'help' && rest.length === 1) return runCli(rest, io, signal, engine);
  if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
    io.out.write(usage(helpWidth(io.out, io.env)));
    return name === undefined ? 2 : 0;
  }
  if (name === '--version') {
    io.out.write(`${STOWAGE_VERSION}\n`);
    return 0;
  }
  const command = findCommand(name);
  if (!command) {
    // The error and where the list is, as for a usage error: the whole command list would bury the one line.
    const names = [...commandNames(), 'help'];
    printError(io, [
      `stowage: unknown command "${name}"${didYouMean(name, names)}`,
      'Run "stowage --help" for the list of commands.',
    ]);
    return 2;
  }

  let session: Session | undefined;
  // What the command printed after it staged writes: printed only once they are durable (heldOutput.ts).
  let held: HeldOutput | undefined;
  // Kept for the error's hint: the command it suggests needs this command line's connection flags.
  let parsed: ParsedArgs | undefined;
  try {
    const { args, template } = readCommandLine(command, rest);
    if (template) io = { ...io, jsonTemplate: template };
    parsed = args;
    if (args.options['no-tty']) io = { ...io, interactive: false };
    if (args.options['help']) {
      io.out.write(commandHelp(command, helpWidth(io.out, io.env)));
      return 0;
    }
    checkPositionals(command, args.positionals);
    const logger =
      args.options['verbose'] || args.options['debug']
        ? (entry: { method: string; url: string; status?: number; durationMs: number; error?: string }) => {
            printError(
              io,
              `${entry.method} ${entry.url} → ${entry.status ?? entry.error ?? '?'} (${Math.round(entry.durationMs)} ms)`,
            );
          }
        : undefined;
    if (['password', 'from-password', 'to-password'].some((name) => args.options[name] !== undefined))
      printError(io, 'WARNING! Using --password via the CLI is insecure. Use --password-stdin.');
    if (['identity-token', 'from-identity-token', 'to-identity-token'].some((n) => args.options[n] !== undefined))
      printError(io, 'WARNING! Using --identity-token via the CLI is insecure. Use --identity-token-stdin.');
    // A registry's warnings (deprecations, expiring tokens) on stderr, each once, as ORAS shows them.
    const onWarning = ({ registry, text, ours }: { registry: string; text: string; ours?: true }) => {
      // On a terminal a progress line may be drawn: the warning starts on a cleared line (progress redraws).
      if (drawsProgress(io)) io.err.write('\r\u001b[K');
      printError(io, ours ? `warning: ${text}` : `Warning from ${registry}: ${text}`);
    };
    // Another process writing the same archive: this one waits its turn, and says so rather than look hung.
    const onLockWait = (location: string, holder: { pid: number; host: string; since: string } | undefined) => {
      if (drawsProgress(io)) io.err.write('\r\u001b[K');
      const who = holder
        ? `process ${showInvisible(String(holder.pid))} on ${showInvisible(holder.host)}, since ${showInvisible(holder.since)}`
        : 'another process';
      printError(
        io,
        `waiting for ${who} to finish writing ${location}; this command goes on after it (and gives up after 120 s)`,
      );
    };
    session = new Session(args, { logger, onWarning, onLockWait }, io.env, () => readAll(io.stdin, signal), engine);
    // Checked for every command (each takes the shared option): a pipeline's `--concurrency 0` or `-1` is a usage
    // error up front, not read as the default by the commands that transfer one layer at a time.
    void session.concurrency;
    await session.checkTlsFiles();
    const staging = session;
    held = new HeldOutput(io.out, () => staging.staged().length > 0);
    const code = await command.run({ io: { ...io, out: held }, args, session, signal });
    // An archive is written whole now, after every byte was fetched: on a terminal, its progress shows (a large
    // one takes seconds, which looked like a hang after the last tag's line).
    let writing: ReturnType<typeof progressReporter> | undefined;
    try {
      await session.finish(signal, (location) => {
        writing?.done();
        writing = progressReporter(io, `writing ${location}`);
        return writing.onProgress;
      });
    } finally {
      writing?.done();
    }
    held.release();
    await held.flushed();
    return code;
  } catch (err) {
    held?.discard();
    // Whatever failed (a usage error found after the destination was opened too), a layout this run made that
    // lists nothing goes, unless its blobs are worth a rerun's finding them (then it is said below).
    const made = (await session?.createdLayouts.removeUnused().catch(() => undefined)) ?? { removed: [], kept: [] };
    if (err instanceof UsageError) {
      // The usage line only: the full option list would bury the one line that says what is wrong.
      printError(io, [
        // Redacted as any other error: a usage error may quote what was typed (a reference with a sign-in).
        `stowage ${command.name}: ${redactSecrets(err.message)}`,
        // The usage is Stowage's own text: a command with verbs has a line per verb.
        ...usageLines(command, helpWidth(io.err, io.env)).split('\n'),
        `Run "stowage ${command.name} --help" for its options.`,
      ]);
      return command.failureExitCode?.(parsed) ?? 2;
    }
    // Ctrl-C or SIGTERM: whatever the operation was doing when it stopped, the user knows why it stopped.
    const message = signal.aborted ? interruptedWords(signal.reason, err) : errorWords(err);
    const tagPages = firstTagPages(AbortSignal.any([signal, AbortSignal.timeout(HINTS_DEADLINE_MS)]));
    const hint = [
      ...hintFor(err, command.name, parsed),
      ...(await missingTagHint(err, session, tagPages)),
      ...(await similarRepositoryHint(err, session, tagPages)),
    ];
    const staged = [
      ...(session?.staged() ?? []).map(
        (folder) => `  note: what was written so far is kept in ${folder}; run the same command again to resume`,
      ),
      ...made.kept.map(
        ({ folder, bytes }) =>
          `  note: ${folder} lists no tag yet; it is kept for the ${formatBytes(bytes)} of blobs written so far: run the same command again to resume (or remove it)`,
      ),
      // Removed after writing something (the stop line may have counted tags stored there): said, so that nobody
      // looks for them. Removed before writing anything (a typo in the source), there is nothing to say.
      ...made.removed
        .filter(({ bytes }) => bytes > 0)
        .map(
          ({ folder, bytes }) =>
            `  note: ${folder}, made by this run, lists no tag and was removed (the ${formatBytes(bytes)} of blobs written so far are fetched again by a rerun)`,
        ),
    ];
    printError(io, [`stowage ${command.name}: ${redactSecrets(message)}`, ...hint, ...staged]);
    return command.failureExitCode?.(parsed) ?? 1;
  } finally {
    await session?.close();
  }
}

/** A command line's words (after the command's name) read by the command's options; a UsageError if they are not. */
export function readCommandLine(
  command: Command,
  words: readonly string[],
): ReturnType<typeof takeGoTemplate> & {
  args: ParsedArgs;
} {
  const read = takeGoTemplate(words, command);
  return { ...read, args: parseArgs(read.argv, command.options) };
}

/** The verb (for a command with verbs) and the number of arguments checked: a UsageError naming what is wrong. */
export function checkPositionals(command: Command, positionals: readonly string[]): void {
  checkVerb(command, positionals);
  checkArity(command, positionals);
}

/**
 * "pull takes 1 argument, got 0", "tag takes at least 2 arguments, got 1". After a subcommand the words after it
 * are counted, as the user counts them, against that verb's own range: "repo tags takes 1 argument, got 2: "b" is
 * one too many" (it said "repo takes 2 arguments, got 3"), "blob fetch takes 1 argument, got 2" (it said "at most 2",
 * push's count).
 */
function checkArity(command: Command, positionals: readonly string[]): void {
  const verb = positionals[0] ?? '';
  const isVerb = !!command.subcommands?.includes(verb) || !!command.subcommandAliases?.includes(verb);
  const words = isVerb ? positionals.slice(1) : positionals;
  const [min, max] = command.arity;
  const [least, most] = isVerb ? (command.verbArity?.[verb] ?? [min - 1, max - 1]) : [min, max];
  const given = words.length;
  if (given >= least && given <= most) return;
  const count =
    least === most
      ? `${least}`
      : most === Infinity
        ? `at least ${least}`
        : given < least
          ? `at least ${least}`
          : `at most ${most}`;
  const plural = (most === Infinity ? least : given < least ? least : most) === 1 ? '' : 's';
  const takes = count === '0' ? 'takes no argument' : `takes ${count} argument${plural}`;
  const extra = words.slice(most).map((word) => `"${showInvisible(word)}"`);
  const tooMany = extra.length ? `: ${extra.join(', ')} ${extra.length === 1 ? 'is one' : 'are'} too many` : '';
  throw new UsageError(`${isVerb ? `${command.name} ${verb}` : command.name} ${takes}, got ${given}${tooMany}`);
}

/** The flag that gets past an error, where there is one: the engine names settings, the command line has flags. */
function hintFor(err: unknown, commandName: string, args: ParsedArgs | undefined): string[] {
  let hint: string | undefined;
  if (err instanceof TlsError) hint = tlsHint(err);
  else if (err instanceof AuthError && commandName !== 'login') hint = loginHint(err, args);
  else if (err instanceof RateLimitError && err.quotaUsedUp)
    hint = `if you are not logged in to ${err.registry}, "stowage login ${err.registry}${connectionFlags(args, err.registry)}" (or docker login) raises the limit`;
  else if (err instanceof OutputExistsError)
    hint = args?.options['keep-old-files']
      ? '-k keeps what is there; pass --overwrite instead to replace what differs'
      : 'pass --overwrite to replace what differs';
  else if (
    (commandName === 'login' || commandName === 'logout') &&
    (describeSystemError(err) !== undefined || err instanceof FolderNotCreatableError) &&
    !args?.options['registry-config']
  )
    // A CI job's home is often read-only, missing (HOME unset: the account's, such as /nonexistent) or shared.
    hint =
      'docker keeps logins in $DOCKER_CONFIG/config.json (default ~/.docker): set DOCKER_CONFIG to a folder you can write, or pass --registry-config FILE';
  else if (err instanceof NetworkError && err.closedUnanswered && !args?.options['cert-file'])
    hint = `if ${err.registry} asks for a client certificate (mutual TLS), pass --cert-file <pem> --key-file <pem> (or put client.cert and client.key in ~/.docker/certs.d/${err.registry}/)`;
  else if (err instanceof SizeExceededError && commandName === 'pull')
    hint = 'pass --max-size <bytes> to allow a larger pull';
  else if (commandName === 'push' && args?.options['image-spec'] !== 'v1.0' && isRefusedManifest(err))
    hint =
      'a registry without image-spec v1.1 (Amazon ECR before 2024, for one) refuses a manifest with artifactType: push again with --image-spec v1.0 (the artifact type then goes in the config media type)';
  return hint ? [`  hint: ${hint}`] : [];
}

/** A manifest PUT the registry refused as unsupported or invalid (405, or 400 MANIFEST_INVALID). */
function isRefusedManifest(err: unknown): boolean {
  if (!(err instanceof OciError) || !/\bmanifest\b/.test(err.message)) return false;
  return err.code === 'UNSUPPORTED' || /\bMANIFEST_INVALID\b/.test(err.message);
}

/**
 * For a tag that is not there: the tags that are (the first few, one listing request), so a typo shows at once.
 * Only in this error path: a missing tag is routine elsewhere (fallback referrer tags).
 */
async function missingTagHint(err: unknown, session: Session | undefined, tagPages: TagPages): Promise<string[]> {
  if (!(err instanceof NotFoundError) || !session) return [];
  for (const { target, tag } of session.tagged) {
    if (!err.message.includes(tag)) continue;
    const exists = await target.resolve(tag, { signal: tagPages.signal }).then(
      () => true,
      () => false,
    );
    if (exists) continue;
    try {
      // Referrer tags (sha256-…) are the engine's bookkeeping, not names anyone types.
      // Sorted (registries list tags in any order), and the one a typo most likely meant named first. Only tags one
      // could type: a hostile listing's name megabytes long, or with spaces, is no hint.
      const page = (await tagPages.first(target)).filter((t) => isTag(t) && !isReferrerTag(t)).sort();
      const shown = page.slice(0, MAX_TAGS_SHOWN);
      if (!shown.length) return [`  hint: ${target.location} has no tags (or does not exist)`];
      const more = page.length > MAX_TAGS_SHOWN ? ', …' : '';
      const guess = didYouMean(tag, page);
      return [`  hint: ${target.location} has no tag "${tag}"${guess}; its tags include ${shown.join(', ')}${more}`];
    } catch (listing) {
      return listing instanceof NotFoundError ? [`  hint: ${target.location} has no tags (or does not exist)`] : [];
    }
  }
  return [];
}

const MAX_TAGS_SHOWN = 10;

/**
 * How long the hints of a failure (the tags there, similar repository names) may hold its exit, all told: each asks
 * the registry again, and a request's own deadline (120 s by default) is for work the user asked for, not a hint.
 */
export const HINTS_DEADLINE_MS = 5000;

/**
 * The first page of each repository's tags, asked once however many hints of one failure want it (a tag hint and a
 * repository hint after the same 404 both do), all under the hints' one deadline.
 */
interface TagPages {
  readonly signal: AbortSignal;
  first(target: Pick<Target, 'location' | 'listTags'>): Promise<string[]>;
}

function firstTagPages(signal: AbortSignal): TagPages {
  const asked = new Map<string, Promise<string[]>>();
  const firstOf = async (target: Pick<Target, 'location' | 'listTags'>): Promise<string[]> => {
    for await (const page of target.listTags({ signal })) return page;
    return [];
  };
  return {
    signal,
    first(target) {
      const page = asked.get(target.location) ?? firstOf(target);
      asked.set(target.location, page);
      return page;
    },
  };
}

/** Whether the registry says the repository does not exist when asked for its tags (any other answer: no). */
async function repositoryUnknown(target: RegistryTarget, tagPages: TagPages): Promise<boolean> {
  return tagPages.first(target).then(
    () => false,
    (err: unknown) => isUnknownRepository(err),
  );
}

/** Names of similar repositories a "repository not found" hint shows at most. */
const SIMILAR_REPOSITORIES_SHOWN = 3;

/**
 * A repository the registry does not know (NAME_UNKNOWN): up to three names of its catalog a typo may have meant.
 * Only from the catalog's first page, read under a short deadline and a small byte cap (catalogNamesForHint); a
 * catalog refused or slow gives no hint.
 */
async function similarRepositoryHint(
  err: unknown,
  session: Session | undefined,
  tagPages: TagPages,
): Promise<string[]> {
  const { signal } = tagPages;
  if (!session || !(err instanceof NotFoundError) || signal.aborted) return [];
  for (const { host, repository } of session.repositories) {
    if (!err.message.includes(`${host}/${repository}`)) continue;
    const client = await session.client(host);
    // A HEAD's 404 has no body to say which is missing: the tag list says whether the repository is.
    const unknown =
      isUnknownRepository(err) ||
      (err.codes.length === 0 && (await repositoryUnknown(new RegistryTarget(client, repository), tagPages)));
    if (!unknown) return [];
    const names = await catalogNamesForHint(client, { signal });
    const similar = closestFew(
      repository,
      names.filter((name) => name !== repository),
      SIMILAR_REPOSITORIES_SHOWN,
    );
    if (!similar.length) return [];
    return [`  hint: ${host} has no repository "${repository}"; similar names in its catalog: ${similar.join(', ')}`];
  }
  return [];
}

/** How to give a registry the credentials it asked for: a login, or the flags of this one command. */
function loginHint(err: AuthError, args: ParsedArgs | undefined): string | undefined {
  const login = `stowage login ${err.registry}${connectionFlags(args, err.registry)}`;
  if (err.credentials === 'none')
    return `${missingAuthFiles(args)}log in with "${login}", or pass -u <user> --password-stdin`;
  if (err.credentials === 'saved' && err.code === 'UNAUTHORIZED')
    return `the saved login may be out of date: run "${login}" to replace it`;
  return undefined;
}

/** A --registry-config file that does not exist is read as holding nothing (as ORAS reads it): a typo looks like this. */
function missingAuthFiles(args: ParsedArgs | undefined): string {
  const files = (args?.options['registry-config'] as string[] | undefined) ?? [];
  const missing = files.filter((file) => !existsSync(file));
  if (!missing.length) return '';
  const named = missing.map((file) => `--registry-config ${shellWord(file)}`).join(', ');
  return `${named}: no such file, so no credentials were read from it; `;
}

function tlsHint(err: TlsError): string {
  if (err.speaksPlainHttp) return `pass --plain-http-registry ${err.registry} (or "plainHttp": true in --hosts-config)`;
  if (err.speaksTls)
    return `drop --plain-http (or --plain-http-registry ${err.registry}, or "plainHttp": true in --hosts-config) for this registry`;
  if (err.untrusted)
    return `pass --ca-file <pem> for this registry (or "caFile" in --hosts-config); --insecure-registry ${err.registry} skips verification for that registry alone`;
  return `--insecure-registry ${err.registry} skips verification for that registry alone, if you trust the network to it`;
}

/** Standard input whole, without its final line break (a password piped with echo). */
async function readAll(stdin: NodeJS.ReadableStream, signal: AbortSignal): Promise<string> {
  const chunks: Buffer[] = [];
  // A pipe that never closes (`producer | stowage … --password-stdin`) must not outlive a SIGTERM.
  await untilStopped(
    (async () => {
      for await (const chunk of stdin) chunks.push(Buffer.from(chunk as Buffer));
    })(),
    signal,
  );
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}
