// The question Pull Artifact… asks when a Flux artifact, unpacked into the folder, meets files of the user's that
// differ (known only once unpacked): a modal naming them, like any question before files are replaced. Only the
// names agreed to are replaced (PullOptions.replaceOnly); the user's other files stay.
import { MAX_NAMED_CLASHES } from '../../core/files';
import { counted, printable } from '../../core/oci';
import type { CommandContext } from './CommandContext';

export const REPLACE_AND_PULL = 'Replace and Pull';

/** How many names the question lists (the rest are counted). */
const NAMES_LISTED = 30;

/** True when the user agreed to replace `names` (relative to `folder`) with the artifact's files. */
export async function agreeToReplace(ctx: CommandContext, folder: string, names: readonly string[]): Promise<boolean> {
  const listed = names.slice(0, NAMES_LISTED).map((name) => printable(name));
  if (names.length > NAMES_LISTED) listed.push(`… and ${names.length - NAMES_LISTED} more`);
  // The engine names at most MAX_NAMED_CLASHES at once: more may follow, asked about in turn.
  const count = `${counted(names.length, 'file')}${names.length >= MAX_NAMED_CLASHES ? ' or more' : ''}`;
  const choice = await ctx.prompts().choose({
    message: `${count} in ${folder} ${names.length === 1 ? 'differs' : 'differ'} from the Flux artifact's. Replace ${names.length === 1 ? 'it' : 'them'}?`,
    detail: `${listed.join('\n')}\n\nYour other files stay. Nothing has been written yet.`,
    actions: [REPLACE_AND_PULL],
  });
  return choice === REPLACE_AND_PULL;
}
