// What every CLI command is: a name, help, its options and a run function over the shared session.
import type { Readable, Writable } from 'node:stream';
import type { OptionSpec, ParsedArgs } from './args';
import type { Session } from './session';
import { showInvisible } from '../core/oci';

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
  usage: string;
  options: OptionSpec[];
  /** Positional arguments accepted: [min, max]. */
  arity: [number, number];
  run(context: CommandContext): Promise<number>;
}

/**
 * Human-readable lines for a terminal. Tags, names, annotations and errors in them come from registries and
 * layouts: escape sequences (window title, hyperlinks, clear screen), carriage returns and bidi characters are
 * shown as code points by the one rule of `showInvisible`; only the line breaks between lines act.
 */
export function terminalLines(text: string): string {
  const shown = showInvisible(text.endsWith('\n') ? text.slice(0, -1) : text, '\n');
  return `${shown}\n`;
}

/** Lines of untrusted values, one per line: a new line inside a value is shown, never starts a line of its own. */
export function printEach(io: CliIO, values: readonly string[]): void {
  if (values.length) print(io, values.map((value) => showInvisible(value)).join('\n'));
}

/** Human-readable output on stdout (JSON output goes through `printJson`, exact). */
export function print(io: CliIO, text: string): void {
  io.out.write(terminalLines(text));
}

/** Human-readable messages and errors on stderr. */
export function printError(io: CliIO, text: string): void {
  io.err.write(terminalLines(text));
}

export function printJson(io: CliIO, value: unknown): void {
  if (io.jsonTemplate) io.out.write(io.jsonTemplate.render(value));
  else io.out.write(`${JSON.stringify(value, null, 2)}\n`);
}
