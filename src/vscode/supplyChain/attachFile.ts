// "Attach File…": any files as a referrer of the artifact, with an artifactType and annotations the user gives.
import * as path from 'node:path';
import { pushArtifact } from '../../core/files';
import { ANNOTATIONS_PROMPT, REFERRER_ARTIFACT_TYPES } from '../commands/artifactInputs';
import { askArtifactType } from '../commands/askArtifactType';
import { isManifestNode, type TreeNode } from '../tree/nodes';
import { runSteps } from '../multiStep';
import type { SupplyChainContext } from './SupplyChainContext';
import { showAttached, subjectOf, type Subject } from './subject';
import { isSbomArtifactType, parseAnnotationText } from '../../core/oci';
import { sbomAttachProblem } from '../../core/supplyChain';
import type * as vscode from 'vscode';

const TITLE = 'Attach File';

export function attachFile(ctx: SupplyChainContext) {
  return async (node?: TreeNode): Promise<string | undefined> => {
    let subject: Subject | undefined;
    let files: vscode.Uri[] | undefined;
    let artifactType: string | undefined;
    let annotationText: string | undefined;
    const answered = await runSteps(ctx, [
      { questions: isManifestNode(node) ? 0 : 1, ask: async (c) => (subject = await subjectOf(c, node, TITLE)) },
      {
        questions: 0,
        ask: async (c) =>
          (files = await c.prompts().openDialog({
            title: `${TITLE}: files to attach`,
            canSelectFiles: true,
            canSelectMany: true,
            openLabel: 'Attach',
          }))?.length || undefined,
      },
      {
        ask: async (c) =>
          (artifactType = await askArtifactType(
            c,
            TITLE,
            REFERRER_ARTIFACT_TYPES,
            'Artifact type: what kind of referrer this is',
          )),
      },
      { questions: 0, ask: async (c) => (await attachUnderSbomType(c, artifactType!, files!)) || undefined },
      {
        ask: async (c) =>
          (annotationText = await c.prompts().input({
            title: TITLE,
            prompt: `${ANNOTATIONS_PROMPT}; may be empty`,
            value: '',
            validateInput: (v) => parseAnnotationText(v).problem,
          })),
      },
    ]);
    if (!answered || !subject || !files || !artifactType || annotationText === undefined) return undefined;
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

/**
 * Under an SBOM type, files that are no valid SBOM of that type are named and attached only when the user says so:
 * scanners trust the type (Attach SBOM… is the checked way). True to go on.
 */
async function attachUnderSbomType(
  ctx: SupplyChainContext,
  artifactType: string,
  files: readonly vscode.Uri[],
): Promise<boolean> {
  if (!isSbomArtifactType(artifactType)) return true;
  const problems: string[] = [];
  for (const file of files) {
    const problem = await sbomAttachProblem(file.fsPath, artifactType);
    if (problem) problems.push(`• ${path.basename(file.fsPath)}: ${problem}`);
  }
  if (!problems.length) return true;
  return ctx.prompts().confirm({
    message: `Attach ${problems.length === 1 ? 'a file that is' : `${problems.length} files that are`} no valid SBOM as ${artifactType}?`,
    detail: `${problems.join('\n')}\n\nScanners that trust the artifact type would read ${problems.length === 1 ? 'it' : 'them'} as an SBOM. Attach SBOM… checks an SBOM and takes its type from the content.`,
    action: 'Attach Anyway',
  });
}
