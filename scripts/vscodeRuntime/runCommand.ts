// Runs a command to completion, streaming its output, and rejects with the exit status when it fails.
import { spawn } from 'node:child_process';

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Output goes here instead of the parent's stdout/stderr (e.g. to keep a log of a long install). */
  log?: (chunk: string) => void;
}

export function runCommand(command: string, args: string[], options: RunOptions = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: options.log ? ['ignore', 'pipe', 'pipe'] : 'inherit',
    });
    if (options.log) {
      const log = options.log;
      child.stdout?.setEncoding('utf8').on('data', log);
      child.stderr?.setEncoding('utf8').on('data', log);
    }
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`${command} ${args.join(' ')} failed (${signal ?? `exit ${code}`})`));
    });
  });
}
