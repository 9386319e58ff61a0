// Finds a program to run by its bare name in PATH's absolute folders only, then callers spawn the absolute path.
// Spawning by bare name is not safe: on Windows the search starts in the current folder (libuv, like
// CreateProcess), and on every OS an empty or relative PATH entry ("", ".", "bin") means a folder relative to the
// current one. The current folder is often a cloned repository, which could plant `docker-credential-desktop.exe`
// and receive the password on `login`.
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import * as path from 'node:path';

const WINDOWS_DEFAULT_PATHEXT = '.COM;.EXE;.BAT;.CMD';

/** A variable of `env` by name, case-insensitively on Windows (where it may be "Path"). */
function envValue(env: NodeJS.ProcessEnv, name: string, platform: NodeJS.Platform): string | undefined {
  if (platform !== 'win32') return env[name];
  const key = Object.keys(env).find((k) => k.toUpperCase() === name);
  return key === undefined ? undefined : env[key];
}

/**
 * The files that would be tried for `name`, in order: each absolute PATH folder (empty and relative entries
 * skipped) with `name`, and on Windows with each PATHEXT extension. Pure: no file system access.
 */
export function executableCandidates(
  name: string,
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string[] {
  const paths = platform === 'win32' ? path.win32 : path.posix;
  const folders = (envValue(env, 'PATH', platform) ?? '')
    .split(paths.delimiter)
    // Windows allows quoted entries ("C:\Program Files\x").
    .map((entry) => (platform === 'win32' ? entry.trim().replace(/^"(.*)"$/, '$1') : entry))
    // "C:foo" and "\\foo" are relative to a current drive or folder on Windows: only "C:\…" and UNC paths count.
    .filter(
      (entry) =>
        entry !== '' &&
        (platform === 'win32' ? /^([A-Za-z]:[\\/]|[\\/]{2}[^\\/])/.test(entry) : paths.isAbsolute(entry)),
    );
  let names = [name];
  if (platform === 'win32') {
    const extensions = (envValue(env, 'PATHEXT', platform) || WINDOWS_DEFAULT_PATHEXT)
      .split(';')
      .map((e) => e.trim())
      .filter((e) => e.startsWith('.'));
    const hasOne = extensions.some((e) => name.toUpperCase().endsWith(e.toUpperCase()));
    names = [...(hasOne ? [name] : []), ...extensions.map((e) => `${name}${e.toLowerCase()}`)];
  }
  return folders.flatMap((folder) => names.map((n) => paths.join(folder, n)));
}

/** The absolute path of the first candidate that is a file this process may execute, or undefined. */
export async function findExecutableOnPath(
  name: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string | undefined> {
  for (const candidate of executableCandidates(name, env)) {
    try {
      if (!(await stat(candidate)).isFile()) continue;
      await access(candidate, process.platform === 'win32' ? constants.F_OK : constants.X_OK);
      return candidate;
    } catch {
      // not there, or not executable: keep looking, as a shell would
    }
  }
  return undefined;
}
