// The question Copy To… and Back Up Repository… ask before a transfer: take the signatures, SBOMs and other
// referrers along, or only the artifacts themselves.
import type { CommandContext } from './CommandContext';

export interface ReferrersQuestion {
  title: string;
  /** "Copy its referrers too?" */
  placeHolder: string;
  /** What "Include referrers" takes: "signatures, SBOMs and other artifacts that refer to it". */
  includes: string;
  /** The other answer: "Only the artifact". */
  only: string;
}

/** True to include referrers, false for the artifacts only, undefined when dismissed. */
export async function askIncludeReferrers(
  ctx: CommandContext,
  question: ReferrersQuestion,
): Promise<boolean | undefined> {
  const choice = await ctx.prompts().pick(
    [
      { label: 'Include referrers', description: question.includes, referrers: true },
      { label: question.only, referrers: false },
    ],
    { title: question.title, placeHolder: question.placeHolder },
  );
  return choice?.referrers;
}
