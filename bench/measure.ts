// Runs one command as a child process and measures it: wall time, time to its first byte on stdout, and peak
// RSS as GNU time reports it (the child's own high-water mark, not ours).
import { spawn } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface Measured {
  seconds: number;
  /** With `firstOutput`: seconds until the first stdout byte (for listings: the first page). */
  firstOutputSeconds?: number;
  /** Peak resident set size in MiB. */
  rssMiB: number;
  /** CPU seconds (user + system) the process and its threads used. */
  cpuSeconds: number;
  stdout: string;
  /** CPU seconds the registry spent serving this run (where measured): shows when the server is the limit. */
  serverCpuSeconds?: number;
  /** The program measured ("stowage", "skopeo", "curl"). */
  tool?: string;
}

const GNU_TIME = '/usr/bin/time';

export async function measure(
  command: string,
  args: string[],
  options: { keepStdout?: boolean; firstOutput?: boolean; env?: NodeJS.ProcessEnv } = {},
): Promise<Measured> {
  if (!existsSync(GNU_TIME))
    throw new Error(`${GNU_TIME} (GNU time) is needed for peak RSS: run \`npm run setup\` or apt-get install time`);
  const rssFile = path.join(os.tmpdir(), `stowage-bench-rss-${process.pid}-${Math.random().toString(16).slice(2)}`);
  const started = process.hrtime.bigint();
  const elapsed = () => Number(process.hrtime.bigint() - started) / 1e9;
  const child = spawn(GNU_TIME, ['-f', '%M %U %S', '-o', rssFile, command, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: options.env ?? process.env,
  });
  let firstOutputSeconds: number | undefined;
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    if (options.firstOutput) firstOutputSeconds ??= elapsed();
    if (options.keepStdout) stdout += d.toString('utf8');
  });
  child.stderr.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString('utf8')).slice(-4000);
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  const seconds = elapsed();
  const rssText = await fs.readFile(rssFile, 'utf8').catch(() => '');
  await fs.rm(rssFile, { force: true });
  if (code !== 0)
    throw new Error(`${path.basename(command)} ${args.slice(0, 3).join(' ')} … exited ${code}:\n${stderr}`);
  // GNU time may prefix a "Command exited…" line; the last line is "peak-KiB user-s system-s".
  const [kib, user, system] = (rssText.trim().split('\n').pop() ?? '').split(' ').map(Number);
  return { seconds, firstOutputSeconds, rssMiB: kib! / 1024, cpuSeconds: user! + system!, stdout };
}
