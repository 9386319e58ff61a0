// Copying into a repository in use moves the tags it shares with what is copied: they then name other artifacts
// (what production pulls as v1 changes). Restore to Registry… and Copy To… on several tags ask first, naming each
// tag and both digests; a copy that moves no tag goes ahead without a question.
import type { TagMove } from '../../core/graph';
import { counted } from '../../core/oci';
import type { CommandContext } from './CommandContext';

const MAX_MOVES_SHOWN = 10;

/** True when no tag moves or the user agreed. `verb`: "Restoring", "Copying"; `action`: the button ("Restore"). */
export async function agreeToTagMoves(
  ctx: CommandContext,
  moves: readonly TagMove[],
  where: string,
  wording: { verb: string; action: string },
): Promise<boolean> {
  if (!moves.length) return true;
  const shown = moves.slice(0, MAX_MOVES_SHOWN);
  return ctx.prompts().confirm({
    message: `${wording.verb} moves ${counted(moves.length, 'tag')} of ${where} that name other artifacts now: ${shown.map((m) => m.tag).join(', ')}${moves.length > shown.length ? ', …' : ''}. ${wording.action} anyway?`,
    detail: [
      ...shown.map((m) => `${m.tag}: ${m.from} → ${m.to}`),
      ...(moves.length > shown.length ? [`and ${moves.length - shown.length} more`] : []),
    ].join('\n'),
    action: wording.action,
  });
}
