// What every CLI command is: a name, help, its options and a run function over the shared session.
import type { Readable, Writable } from 'node:stream';
import type { OptionSpec, ParsedArgs } from './args';
import type { Session } from './session';

export interface CliIO {
  out: Writable;
  err: Writable;
  stdin: Readable;
  env: NodeJS.ProcessEnv;
  /** Progress is drawn only when stderr is a terminal. */
  interactive: boolean;
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
  usage: string;
  options: OptionSpec[];
  /** Positional arguments accepted: [min, max]. */
  arity: [number, number];
  run(context: CommandContext): Promise<number>;
}

export function print(io: CliIO, text: string): void {
  io.out.write(text.endsWith('\n') ? text : `${text}\n`);
}

export function printJson(io: CliIO, value: unknown): void {
  io.out.write(`${JSON.stringify(value, null, 2)}\n`);
}
