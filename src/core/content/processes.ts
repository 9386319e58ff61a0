// Whether the process that wrote something still runs: a pid alone can be reused, and means nothing on another
// host, another boot or in another pid namespace (a container sharing the folder). So an owner is recorded as its
// pid, the start time of that pid (Linux: /proc/<pid>/stat) and the "view" it was seen from (host name, boot id,
// pid namespace); a later process judges the pid only from the same view, and a recorded start time that differs
// from the running pid's means the pid was reused.
import { promises as fs } from 'node:fs';
import * as os from 'node:os';

export interface ProcessOwner {
  pid: number;
  /** Clock ticks since boot when the pid started (Linux), absent where the OS does not say. */
  start?: string;
  host: string;
  boot?: string;
  pidNamespace?: string;
}

/** True when no process `pid` exists here (a process we may not signal still exists). */
export function processIsGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** This process, as an owner record. */
export async function currentProcessOwner(): Promise<ProcessOwner> {
  return { pid: process.pid, start: await processStart(process.pid), ...(await view()) };
}

/**
 * 'gone' when the recorded owner surely no longer runs, 'running' when it may (same pid, start unknown or equal),
 * 'unknown' when it was recorded from another host, boot or pid namespace (its pid says nothing here).
 */
export async function ownerState(owner: ProcessOwner): Promise<'gone' | 'running' | 'unknown'> {
  const here = await view();
  if (owner.host !== here.host) return 'unknown';
  // Another boot of this host: every process of that boot is gone.
  if (owner.boot !== undefined && here.boot !== undefined && owner.boot !== here.boot) return 'gone';
  if (owner.pidNamespace !== here.pidNamespace) return 'unknown';
  if (processIsGone(owner.pid)) return 'gone';
  if (owner.start === undefined) return 'running';
  const start = await processStart(owner.pid);
  return start !== undefined && start !== owner.start ? 'gone' : 'running';
}

type View = Pick<ProcessOwner, 'host' | 'boot' | 'pidNamespace'>;
let here: Promise<View> | undefined;

/** Where this process sees pids from: read once (a sweep judges many folders; none of it changes while we run). */
function view(): Promise<View> {
  here ??= (async () => ({
    host: os.hostname(),
    boot: await readSmall('/proc/sys/kernel/random/boot_id'),
    pidNamespace: await fs.readlink('/proc/self/ns/pid').catch(() => undefined),
  }))();
  return here;
}

/** Field 22 of /proc/<pid>/stat (after the command name, which may hold spaces and parentheses). */
async function processStart(pid: number): Promise<string | undefined> {
  const stat = await readSmall(`/proc/${pid}/stat`);
  if (stat === undefined) return undefined;
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return fields[19];
}

async function readSmall(file: string): Promise<string | undefined> {
  return fs.readFile(file, 'utf8').then(
    (text) => text.trim(),
    () => undefined,
  );
}
