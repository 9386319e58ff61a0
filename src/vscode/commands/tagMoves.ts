// Copying into a repository in use moves the tags it shares with what is copied: they then name other artifacts
// (what production pulls as v1 changes). Restore to Registry…, Copy Repository To… and Copy To… (one artifact or
// several) ask first, naming each tag and both digests; a copy that moves no tag goes ahead without a question.
import type { Target } from '../../core/content';
import { plannedTagMove, plannedTagMoves, selectTags, type TagMove } from '../../core/graph';
import { counted, printable, type StoreRef } from '../../core/oci';
import type { CommandContext } from './CommandContext';

const MAX_MOVES_SHOWN = 10;

/** How the question names the work: `verb` "Restoring" … "Restore anyway?" with the button `action` "Restore". */
export interface MoveWording {
  verb: string;
  action: string;
}

/**
 * The moves the user agreed to (none when no tag would move), undefined when declined; `tags` empty means every tag
 * of `src`. The copy is given them (copyTags' movesAgreed): a move the source or destination sprang after the
 * question is refused, not made unasked.
 */
export async function confirmTagMoves(
  ctx: CommandContext,
  src: Target,
  destination: StoreRef,
  tags: readonly string[],
  where: string,
  wording: MoveWording,
): Promise<TagMove[] | undefined> {
  const selected = tags.length ? [...tags] : await selectTags(src, {});
  const moves = await plannedTagMoves(src, await ctx.stores.target(destination), selected);
  return (await agreeToTagMoves(ctx, moves, where, wording)) ? moves : undefined;
}

/** True when no tag moves or the user agreed. Tags come from a store: shown printable. */
export async function agreeToTagMoves(
  ctx: CommandContext,
  moves: readonly TagMove[],
  where: string,
  wording: MoveWording,
): Promise<boolean> {
  if (!moves.length) return true;
  const shown = moves.slice(0, MAX_MOVES_SHOWN);
  return ctx.prompts().confirm({
    message: `${wording.verb} moves ${counted(moves.length, 'tag')} of ${where} that name other artifacts now: ${shown.map((m) => printable(m.tag)).join(', ')}${moves.length > shown.length ? ', …' : ''}. ${wording.action} anyway?`,
    detail: [
      ...shown.map((m) => `${printable(m.tag)}: ${m.from} → ${m.to}`),
      ...(moves.length > shown.length ? [`and ${moves.length - shown.length} more`] : []),
    ].join('\n'),
    action: wording.action,
  });
}

/**
 * Whether `tag` at `destination` may be written: `{}` when it is free or already names `digest`, `{ move }` when the
 * user agreed to move it there (tagIfUnchanged checks it again before tagging), undefined when declined.
 */
export async function agreeToTagMove(
  ctx: CommandContext,
  destination: StoreRef,
  tag: string,
  digest: string,
  where: string,
  wording: MoveWording,
): Promise<{ move?: TagMove } | undefined> {
  const now = await readableNow(ctx, destination);
  const move = now && (await plannedTagMove(now, tag, digest));
  if (!move) return {};
  return (await agreeToTagMoves(ctx, [move], where, wording)) ? { move } : undefined;
}

/** The destination as it is now, to tell which tags move; a layout not made yet has none. */
export async function readableNow(ctx: CommandContext, destination: StoreRef): Promise<Target | undefined> {
  try {
    return await ctx.stores.target(destination);
  } catch (error) {
    if (destination.kind === 'layout') return undefined;
    throw error;
  }
}
