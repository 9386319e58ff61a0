// Names from a registry are hostile. These checks decide which relative paths a pull may create.
//
// Rules (for layer titles and tar entry names alike):
// - relative, "/"-separated paths only: no leading "/", no "\" (a separator on Windows), no drive letters;
// - no "", "." or ".." components (nothing that could climb out or alias another entry);
// - no NUL or other control characters (they hide the real name from people reading it);
// - at most 255 bytes per component and 4096 bytes in all (what common file systems accept);
// - nothing Windows cannot create or would alias: the characters < > : " | ? *, a component ending in "." or
//   " " (Windows drops them, so "a." lands on "a"), and device names (CON, PRN, AUX, NUL, COM0-9, LPT0-9,
//   CONIN$, CONOUT$, with any extension: "nul.txt" is the device too). Refused on every OS, because an
//   artifact pulled on Linux is often shared on with people on Windows;
// - no ".git" component (any case, or its Windows short name "git~1"): pulled into a repository, or into a folder
//   the editor's Git support then scans, a hook or a config (`core.fsmonitor`) written there runs a command.
import * as path from 'node:path';
import { UnsafePathError } from '../oci';

export const MAX_COMPONENT_BYTES = 255;
export const MAX_PATH_BYTES = 4096;

/** Why `name` is not a safe relative path, or undefined when it is one. */
export function unsafePathProblem(name: string): string | undefined {
  if (name === '') return 'the name is empty';
  // eslint-disable-next-line no-control-regex -- control characters are what is refused
  if (/[\u0000-\u001f\u007f-\u009f]/.test(name)) return 'the name contains NUL or control characters';
  if (name.startsWith('/')) return 'absolute paths are not allowed';
  if (/^[A-Za-z]:/.test(name)) return 'drive letters are not allowed';
  if (name.includes('\\')) return 'backslashes are not allowed';
  if (Buffer.byteLength(name) > MAX_PATH_BYTES) return `the name is longer than ${MAX_PATH_BYTES} bytes`;
  for (const component of name.split('/')) {
    if (component === '') return 'the name has an empty path component';
    if (component === '..') return '".." components are not allowed';
    if (component === '.') return '"." components are not allowed';
    if (GIT_FOLDER.test(component))
      return `"${component}" is Git's own folder: a hook or config written there runs commands (stowage blob fetch writes the layer as it is)`;
    if (Buffer.byteLength(component) > MAX_COMPONENT_BYTES)
      return `a path component is longer than ${MAX_COMPONENT_BYTES} bytes`;
    const windows = windowsNameProblem(component);
    if (windows) return windows;
  }
  return undefined;
}

const GIT_FOLDER = /^(\.git|git~1)$/i;
const WINDOWS_RESERVED_CHARACTERS = /[<>:"|?*]/;
const WINDOWS_DEVICE_NAMES =
  /^(CON|PRN|AUX|NUL|COM[0-9\u00b9\u00b2\u00b3]|LPT[0-9\u00b9\u00b2\u00b3]|CONIN\$|CONOUT\$)$/i;

/** Why Windows could not create `component` as named, or undefined. */
function windowsNameProblem(component: string): string | undefined {
  const reserved = WINDOWS_RESERVED_CHARACTERS.exec(component);
  if (reserved) return `the character "${reserved[0]}" is not allowed in file names on Windows`;
  if (/[. ]$/.test(component)) return `"${component}" ends in a dot or a space, which Windows drops`;
  // The device is named by what comes before the first dot, trailing spaces ignored ("NUL .txt" too).
  const stem = component.split('.')[0]!.trimEnd();
  if (WINDOWS_DEVICE_NAMES.test(stem)) return `"${component}" names the Windows device ${stem.toUpperCase()}`;
  return undefined;
}

export function assertSafeRelativePath(name: string, what: string): void {
  const problem = unsafePathProblem(name);
  if (problem) throw new UnsafePathError(name, `${what}: ${problem}`);
}

/**
 * Checks a set of titles: each safe, none repeated, and none inside another (a title "a" and a title
 * "a/b" would make one layer write into the other's output). Comparison ignores case and Unicode normalisation,
 * so that two titles cannot land on one file on case- or normalisation-insensitive file systems.
 */
export function assertSafeTitles(titles: string[]): void {
  const seen = new Map<string, string>();
  for (const title of titles) {
    assertSafeRelativePath(title, 'layer title');
    const key = title.normalize('NFC').toLowerCase();
    if (seen.has(key))
      throw new UnsafePathError(
        title,
        `layer title: the title is used by more than one layer${seen.get(key) !== title ? ` (as "${seen.get(key)}")` : ''}`,
      );
    seen.set(key, title);
  }
  for (const key of seen.keys()) {
    const parts = key.split('/');
    for (let i = 1; i < parts.length; i++) {
      const parent = parts.slice(0, i).join('/');
      if (seen.has(parent))
        throw new UnsafePathError(
          seen.get(key)!,
          `layer title: it lies inside the output of layer "${seen.get(parent)}"`,
        );
    }
  }
}

/**
 * Why a symlink entry `name` (a "/"-separated tar name under the folder `prefix`) pointing to `linkname` is
 * unsafe, or undefined: a relative target, staying inside `prefix` once joined to the link's folder. The one
 * rule for pull (what it extracts) and push (what it packs, so Stowage never publishes what its pull refuses).
 */
export function symlinkTargetProblem(name: string, linkname: string, prefix: string): string | undefined {
  if (linkname === '') return 'its target is empty';
  // eslint-disable-next-line no-control-regex -- control characters are what is refused
  if (/[\u0000-\u001f\u007f-\u009f]/.test(linkname)) return 'its target contains NUL or control characters';
  if (linkname.startsWith('/') || /^[A-Za-z]:/.test(linkname))
    return `absolute targets are not allowed (it points to "${linkname}")`;
  if (linkname.includes('\\')) return `its target "${linkname}" contains backslashes`;
  const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(name), linkname));
  if (resolved !== prefix && !resolved.startsWith(`${prefix}/`))
    return `it points outside "${prefix}/" (to "${linkname}")`;
  return undefined;
}
