// Installs something into a folder exactly once, atomically: the work happens in a staging folder beside it that
// is renamed into place only after it finished and got its completion marker. An interrupted install therefore
// never looks finished, and when two runs race, the first to finish wins and the other keeps its result.
import * as fs from 'node:fs';
import * as path from 'node:path';

const STAGING_PREFIX = '.installing-';
/** Staging folders older than this belong to interrupted runs (a live install is much younger). */
const STALE_STAGING_MS = 6 * 60 * 60 * 1000;

/** Returns false when `dir` was already complete, true when this call installed it. */
export async function installOnce(
  dir: string,
  marker: { name: string; content: string },
  install: (staging: string) => Promise<void>,
): Promise<boolean> {
  if (fs.existsSync(path.join(dir, marker.name))) return false;
  const parent = path.dirname(dir);
  fs.mkdirSync(parent, { recursive: true });
  removeStaleStaging(parent);
  const staging = fs.mkdtempSync(path.join(parent, STAGING_PREFIX));
  try {
    await install(staging);
    fs.writeFileSync(path.join(staging, marker.name), marker.content);
    moveIntoPlace(staging, dir, marker.name);
  } catch (error) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  return true;
}

function moveIntoPlace(staging: string, dir: string, markerName: string): void {
  // A folder without the marker is not an install (e.g. made by hand): replace it.
  if (fs.existsSync(dir) && !fs.existsSync(path.join(dir, markerName)))
    fs.rmSync(dir, { recursive: true, force: true });
  try {
    fs.renameSync(staging, dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if ((code === 'ENOTEMPTY' || code === 'EEXIST') && fs.existsSync(path.join(dir, markerName))) {
      fs.rmSync(staging, { recursive: true, force: true });
      return;
    }
    throw error;
  }
}

function removeStaleStaging(parent: string): void {
  for (const name of fs.readdirSync(parent)) {
    if (!name.startsWith(STAGING_PREFIX)) continue;
    const full = path.join(parent, name);
    if (Date.now() - fs.statSync(full).mtimeMs > STALE_STAGING_MS) fs.rmSync(full, { recursive: true, force: true });
  }
}
