// What every CLI command is: a name, help, its options and a run function over the shared session.
import type { Readable, Writable } from 'node:stream';
import type { OptionSpec, ParsedArgs } from './args';
import type { Session } from './session';
import { HeldOutput } from './heldOutput';
import { escapeInvisibleInJson, showInvisible } from '../core/oci';

export interface CliIO {
  out: Writable;
  err: Writable;
  stdin: Readable;
  env: NodeJS.ProcessEnv;
  /** Progress is drawn only when stderr is a terminal. */
  interactive: boolean;
  /** `--format go-template`: what printJson prints instead of the JSON. */
  jsonTemplate?: { render(value: unknown): string };
}

export interface CommandExample {
  does?: string;
  run: string;
}

export interface CommandContext {
  io: CliIO;
  args: ParsedArgs;
  session: Session;
  signal: AbortSignal;
}

export interface Command {
  name: string;
  /** Other names that run it (e.g. "cp" for copy). */
  aliases?: string[];
  summary: string;
  /** Its verbs, for commands whose first argument is one (`manifest fetch`, `blob push`…): help and completion. */
  subcommands?: string[];
  /** Other names its verbs answer to (ORAS's `manifest get-config`), accepted but not offered. */
  subcommandAliases?: string[];
  usage: string;
  /**
   * What --help shows under "Examples:", each a whole command line (read by the command's own options in a unit
   * test, so an example cannot drift from them), under what it does; an example without `does` goes on the one
   * before it (a key made, then used).
   */
  examples: readonly CommandExample[];
  options: OptionSpec[];
  /** Positional arguments accepted: [min, max] (with verbs: the verb counted, for a verb `verbArity` leaves out). */
  arity: [number, number];
  /**
   * The arguments each verb takes after it, [min, max] (aliases listed too): `blob fetch` takes one reference, `blob
   * push` a name and a file. One range for the whole command let each verb take the others' counts.
   */
  verbArity?: Readonly<Record<string, readonly [number, number]>>;
  run(context: CommandContext): Promise<number>;
  /**
   * The exit status of a failure (default 1 for a failure, 2 for a usage error): a command whose success already
   * says something with 1 (`diff --exit-code`: they differ) fails with 2, as diff(1) does, so scripts cannot mistake
   * trouble for an answer.
   */
  failureExitCode?(args: ParsedArgs | undefined): number | undefined;
}

/**
 * Human-readable lines for a terminal, one per element. Tags, names, annotations, artifact types and errors in
 * them come from registries, layouts and certificates: escape sequences (window title, hyperlinks, clear screen),
 * carriage returns, bidi characters and new lines are shown as code points by the one rule of `showInvisible`, so
 * a value can neither act on the terminal nor start a line of its own; only the breaks between elements act.
 */
export function terminalLines(lines: string | readonly string[]): string {
  const list = typeof lines === 'string' ? [lines] : lines;
  return list.map((line) => `${showInvisible(line)}\n`).join('');
}

/** Human-readable output on stdout, one line per element (JSON output goes through `printJson`, exact). */
export function print(io: CliIO, lines: string | readonly string[]): void {
  io.out.write(terminalLines(lines));
}

/** Human-readable messages and errors on stderr, one line per element. */
export function printError(io: CliIO, lines: string | readonly string[]): void {
  io.err.write(terminalLines(lines));
}

export function printJson(io: CliIO, value: unknown): void {
  io.out.write(jsonText(io, value));
}

/**
 * JSON that claims no success (where a run stopped): printed at once, even while the rest of the output waits for
 * the command's writes to be durable, and kept when they fail (heldOutput.ts).
 */
export function printFailureJson(io: CliIO, value: unknown): void {
  if (io.out instanceof HeldOutput) io.out.writeUnheld(jsonText(io, value));
  else printJson(io, value);
}

function jsonText(io: CliIO, value: unknown): string {
  if (io.jsonTemplate) return io.jsonTemplate.render(value);
  // Values from registries reach a terminal too: escaped, they parse the same and act on nothing.
  return `${escapeInvisibleInJson(JSON.stringify(value, null, 2))}\n`;
}
