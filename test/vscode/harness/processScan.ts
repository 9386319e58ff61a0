// Finds processes by what they carry (command line or environment), to prove that stopping left nothing behind.
import * as fs from 'node:fs';

/** PIDs whose command line or environment contains `marker` (this process excluded). */
export function processesCarrying(marker: string): number[] {
  const found: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    if (readProc(pid, 'cmdline').includes(marker) || readProc(pid, 'environ').includes(marker)) found.push(pid);
  }
  return found;
}

function readProc(pid: number, file: string): string {
  try {
    return fs.readFileSync(`/proc/${pid}/${file}`, 'latin1');
  } catch {
    // Gone meanwhile, or not ours to read.
    return '';
  }
}
