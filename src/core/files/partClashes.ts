// Several manifests pulled into one folder (a referrer and its subjects): a Flux artifact's tree is known only once
// unpacked, so what it holds is compared, after staging and before anything moves, with what the other manifests
// put there. A name two of them hold differently is refused (neither may silently win), overwrite or not.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { differingNames, sameBytes } from './holdsTree';
import type { PlannedOutput } from './planPull';

/** One other manifest's outputs, each with where its content is now: staged, or in the target (unchanged). */
export interface PlacedOutput {
  output: PlannedOutput;
  /** The staged copy, or the file or folder in the target that already holds it. */
  content: string;
}

/**
 * Names (relative, "/"-separated) the Flux tree `fluxTree` holds with other contents than `others` put at the same
 * place: another kind, other bytes, a file where the other has a folder on the way. At most `max`.
 */
export async function clashesWithFlux(
  fluxTree: string,
  others: readonly PlacedOutput[],
  signal?: AbortSignal,
  max = 6,
): Promise<string[]> {
  const found: string[] = [];
  for (const { output, content } of others) {
    if (found.length >= max) break;
    if (output.intoTarget) {
      found.push(...(await differingNames(content, fluxTree, signal, max - found.length)));
      continue;
    }
    const parts = output.title.split('/');
    // A file (or link) of the Flux tree where the title needs a folder.
    let blocked = false;
    for (let i = 1; i < parts.length && !blocked; i++) {
      const onTheWay = await fs.lstat(path.join(fluxTree, ...parts.slice(0, i))).catch(() => undefined);
      if (onTheWay && !onTheWay.isDirectory()) {
        found.push(parts.slice(0, i).join('/'));
        blocked = true;
      }
    }
    if (blocked) continue;
    const inFlux = path.join(fluxTree, ...parts);
    const [mine, theirs] = await Promise.all([fs.lstat(inFlux).catch(() => undefined), fs.lstat(content)]);
    if (!mine) continue;
    if (mine.isDirectory() && theirs.isDirectory()) {
      const names = await differingNames(content, inFlux, signal, max - found.length);
      found.push(...names.map((name) => `${output.title}/${name}`));
    } else if (!(mine.isFile() && theirs.isFile() && (await sameBytes(inFlux, content, signal))))
      found.push(output.title);
  }
  return found.slice(0, max);
}
