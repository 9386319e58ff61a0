// "Attach File…": any files as a referrer of the artifact, with an artifactType and annotations the user gives.
import { parseAnnotationText } from '../../core/oci';
import { pushArtifact } from '../../core/files';
import { ANNOTATIONS_PROMPT, REFERRER_ARTIFACT_TYPES } from '../commands/artifactInputs';
import { askArtifactType } from '../commands/askArtifactType';
import type { TreeNode } from '../tree/nodes';
import type { SupplyChainContext } from './SupplyChainContext';
import { showAttached, subjectOf } from './subject';

const TITLE = 'Attach File';

export function attachFile(ctx: SupplyChainContext) {
  return async (node?: TreeNode): Promise<string | undefined> => {
    const subject = await subjectOf(ctx, node, TITLE);
    if (!subject) return undefined;
    const files = await ctx.prompts().openDialog({
      title: `${TITLE}: files to attach`,
      canSelectFiles: true,
      canSelectMany: true,
      openLabel: 'Attach',
    });
    if (!files?.length) return undefined;
    const artifactType = await askArtifactType(
      ctx,
      TITLE,
      REFERRER_ARTIFACT_TYPES,
      'Artifact type: what kind of referrer this is',
    );
    if (!artifactType) return undefined;
    const annotationText = await ctx.prompts().input({
      title: TITLE,
      prompt: `${ANNOTATIONS_PROMPT}; may be empty`,
      value: '',
      validateInput: (v) => parseAnnotationText(v).problem,
    });
    if (annotationText === undefined) return undefined;
    const result = await pushArtifact(
      subject.target,
      files.map((f) => f.fsPath),
      {
        subject: subject.descriptor,
        artifactType,
        annotations: parseAnnotationText(annotationText).annotations,
      },
    );
    ctx.log.info(`Attached ${result.descriptor.digest} (${artifactType}) to ${subject.descriptor.digest}`);
    await showAttached(ctx, subject, { what: 'artifact', digest: result.descriptor.digest });
    return result.descriptor.digest;
  };
}
