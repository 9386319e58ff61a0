// Asking for the name of a folder to create inside one the user chose: the editor's folder dialogs cannot create
// one (in the browser not at all), so commands that write a folder of their own ask for its name instead.
import type { CommandContext } from './CommandContext';

/** Why `name` cannot name a new folder (one path segment), or undefined when it can. */
export function folderNameProblem(name: string): string | undefined {
  if (!name) return 'Type a name.';
  if (name === '.' || name === '..' || /[/\\]/.test(name)) return 'One name, without / or \\.';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'A name cannot hold control characters.';
  return undefined;
}

/** The name typed for a new folder in `parent` (trimmed), `suggested` filled in; undefined when cancelled. */
export async function askNewFolderName(
  ctx: CommandContext,
  title: string,
  parent: string,
  suggested: string,
  prompt = 'Name of the folder to create',
): Promise<string | undefined> {
  const name = await ctx.prompts().input({
    title: `${title}: new folder in ${parent}`,
    prompt,
    value: folderNameProblem(suggested) ? '' : suggested,
    validateInput: (value) => folderNameProblem(value.trim()),
  });
  return name?.trim() || undefined;
}
