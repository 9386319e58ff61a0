// Asking for the name of a folder to create inside one the user chose: the editor's folder dialogs cannot create
// one (in the browser not at all), so commands that write a folder of their own ask for its name instead.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { printable } from '../../core/oci';
import type { CommandContext } from './CommandContext';

/** Why `name` cannot name a new folder (one path segment), or undefined when it can. */
export function folderNameProblem(name: string): string | undefined {
  if (!name) return 'Type a name.';
  if (name === '.' || name === '..' || /[/\\]/.test(name)) return 'One name, without / or \\.';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'A name cannot hold control characters.';
  return undefined;
}

/** `name`, or `name-2`, `name-3`… : the first that names nothing in `parent` yet (`name` when all are taken). */
export function freeFolderName(parent: string, name: string): string {
  for (let n = 1; n < 100; n++) {
    const candidate = n === 1 ? name : `${name}-${n}`;
    if (!fs.existsSync(path.join(parent, candidate))) return candidate;
  }
  return name;
}

/**
 * The name typed for a new folder in `parent` (trimmed), `suggested` filled in; undefined when cancelled. With
 * `mustNotExist` (a command that promises a new folder), a name already taken in `parent` is refused as it is
 * typed and the suggestion is one that is free, rather than the clash coming up in the next question.
 */
export async function askNewFolderName(
  ctx: CommandContext,
  title: string,
  parent: string,
  suggested: string,
  prompt = 'Name of the folder to create',
  { mustNotExist = false }: { mustNotExist?: boolean } = {},
): Promise<string | undefined> {
  const problem = (name: string) =>
    folderNameProblem(name) ??
    (mustNotExist && fs.existsSync(path.join(parent, name))
      ? `${printable(name)} already exists here: type another name.`
      : undefined);
  const offered = mustNotExist && !folderNameProblem(suggested) ? freeFolderName(parent, suggested) : suggested;
  const name = await ctx.prompts().input({
    title: `${title}: new folder in ${parent}`,
    prompt,
    value: problem(offered) ? '' : offered,
    validateInput: (value) => problem(value.trim()),
  });
  return name?.trim() || undefined;
}
