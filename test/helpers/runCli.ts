// Runs the CLI in-process with captured output, the way a pipeline would call it, and in a child process
// (from the compiled sources) where separate processes matter.
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { runCli } from '../../src/cli/run';
import type { CliEngineOptions } from '../../src/cli/session';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** `interactive`: as if stderr were a terminal (progress lines are drawn); `onStderr` sees it as it is written. */
export async function cli(
  args: string[],
  options: {
    env?: NodeJS.ProcessEnv;
    stdin?: string;
    interactive?: boolean;
    engine?: CliEngineOptions;
    onStderr?: (text: string) => void;
    /** Sees standard output as it is written. */
    onStdout?: (text: string) => void;
    /** As if standard output were a terminal (what `process.stdout.isTTY` says of one). */
    terminal?: boolean;
    /** With `terminal`: its width (what `process.stdout.columns` says). */
    columns?: number;
    /** The run's signal, as main.ts aborts it on Ctrl-C ("interrupted"). */
    signal?: AbortSignal;
  } = {},
): Promise<CliRun> {
  const out = Object.assign(new PassThrough(), options.terminal ? { isTTY: true, columns: options.columns } : {});
  const err = new PassThrough();
  const chunks = { out: [] as Buffer[], err: [] as Buffer[] };
  out.on('data', (c: Buffer) => {
    chunks.out.push(c);
    options.onStdout?.(c.toString('utf8'));
  });
  err.on('data', (c: Buffer) => {
    chunks.err.push(c);
    options.onStderr?.(c.toString('utf8'));
  });
  const code = await runCli(
    args,
    {
      out,
      err,
      stdin: Readable.from([Buffer.from(options.stdin ?? '')]),
      // A terminal that can redraw a line, whatever TERM the tests run under (TERM=dumb turns progress off); help
      // as wide as into a file, whatever COLUMNS the shell running the tests exports.
      env: { ...process.env, COLUMNS: '', ...(options.interactive ? { TERM: 'xterm' } : {}), ...options.env },
      interactive: options.interactive ?? false,
    },
    options.signal,
    options.engine,
  );
  return {
    code,
    stdout: Buffer.concat(chunks.out).toString('utf8'),
    stderr: Buffer.concat(chunks.err).toString('utf8'),
  };
}

/** `cli` that fails the test with the CLI's own words unless it exits 0. */
export async function cliOk(
  args: string[],
  options: { env?: NodeJS.ProcessEnv; stdin?: string; interactive?: boolean; terminal?: boolean } = {},
): Promise<CliRun> {
  const run = await cli(args, options);
  if (run.code !== 0) throw new Error(`stowage ${args.join(' ')} exited ${run.code}:\n${run.stderr}${run.stdout}`);
  return run;
}

/** The compiled CLI entry point, for tests that need separate processes. */
export const CLI_MAIN = path.resolve(__dirname, '../../src/cli/main.js');

/**
 * `options.cwd`: the folder the process runs in; `options.stdin`: what it reads on standard input; `onStderr` sees
 * its standard error as it comes.
 */
export function cliProcess(
  args: string[],
  env: NodeJS.ProcessEnv = {},
  options: { cwd?: string; stdin?: string; onStderr?: (text: string) => void } = {},
): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [CLI_MAIN, ...args],
      { env: { ...process.env, ...env }, cwd: options.cwd, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
    if (options.onStderr) child.stderr?.on('data', (c: Buffer | string) => options.onStderr!(c.toString()));
    child.stdin?.end(options.stdin ?? '');
  });
}
