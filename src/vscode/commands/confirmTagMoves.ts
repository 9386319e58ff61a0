// The question before tags move: writing into a repository in use moves the tags it shares with what is written,
// so they then name other artifacts (what production pulls as v1 changes). Asked first, naming each tag and both
// digests; a destination whose tags nothing would move is written into without a question. Restore to Registry…
// and Copy Repository To… both ask it.
import type { Target } from '../../core/content';
import { plannedTagMoves, selectTags } from '../../core/graph';
import { counted, printable, type StoreRef } from '../../core/oci';
import type { CommandContext } from './CommandContext';

/** How the question names the work: "Restoring" … "Restore anyway?" with the button "Restore". */
export interface MoveVerb {
  doing: string;
  action: string;
}

const MAX_MOVES_SHOWN = 10;

/** True when no tag would move, or the user agreed; `tags` empty means every tag of `src`. */
export async function confirmTagMoves(
  ctx: CommandContext,
  src: Target,
  destination: StoreRef,
  tags: readonly string[],
  to: string,
  verb: MoveVerb,
): Promise<boolean> {
  const selected = tags.length ? [...tags] : await selectTags(src, {});
  const moves = await plannedTagMoves(src, await ctx.stores.target(destination), selected);
  if (!moves.length) return true;
  const shown = moves.slice(0, MAX_MOVES_SHOWN);
  return ctx.prompts().confirm({
    message: `${verb.doing} moves ${counted(moves.length, 'tag')} of ${to} that name other artifacts now: ${shown.map((m) => printable(m.tag)).join(', ')}${moves.length > shown.length ? ', …' : ''}. ${verb.action} anyway?`,
    detail: [
      ...shown.map((m) => `${printable(m.tag)}: ${m.from} → ${m.to}`),
      ...(moves.length > shown.length ? [`and ${moves.length - shown.length} more`] : []),
    ].join('\n'),
    action: verb.action,
  });
}
