// The artifactType question of Push as Artifact… and Attach File…: a list of known types (the first one the
// default), then "Other…" for any media type typed.
import { mediaTypeProblem } from '../../core/oci';
import type { ArtifactTypeChoice } from './artifactInputs';
import type { CommandContext } from './CommandContext';

export async function askArtifactType(
  ctx: CommandContext,
  title: string,
  choices: readonly ArtifactTypeChoice[],
  placeHolder: string,
): Promise<string | undefined> {
  const items = [
    ...choices.map((c) => ({ label: c.type, description: c.label, type: c.type })),
    { label: 'Other…', description: 'type a media type', type: '' },
  ];
  const picked = await ctx.prompts().pick(items, { title, placeHolder });
  if (!picked) return undefined;
  if (picked.type) return picked.type;
  const typed = await ctx.prompts().input({
    title,
    prompt: 'Media type',
    placeHolder: 'application/vnd.example.thing.v1',
    validateInput: (v) => {
      const problem = mediaTypeProblem(v.trim());
      return problem && `Not a media type: ${problem}. A media type looks like type/subtype.`;
    },
  });
  return typed?.trim();
}
