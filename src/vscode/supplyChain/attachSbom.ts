// "Attach SBOM…": an SPDX or CycloneDX JSON file the user picks (type detected from the content, validated before
// upload) or one generated from the artifact's files, attached as a referrer; its graph then shows it.
import * as path from 'node:path';
import { ARTIFACT_KIND_LABELS } from '../../core/graph';
import type { SbomType } from '../../core/sbom';
import { attachSbom as attach, generateArtifactSbom, readSbomFile } from '../../core/supplyChain';
import type * as vscode from 'vscode';
import { runSteps } from '../multiStep';
import { isManifestNode, type TreeNode } from '../tree/nodes';
import type { SupplyChainContext } from './SupplyChainContext';
import { showAttached, subjectOf, type Subject } from './subject';

const TITLE = 'Attach SBOM';

export interface AttachSbomOutcome {
  digest: string;
  type: SbomType;
}

export function attachSbom(ctx: SupplyChainContext) {
  return async (node?: TreeNode): Promise<AttachSbomOutcome | undefined> => {
    let subject: Subject | undefined;
    let choice: SbomChoice | undefined;
    let file: string | undefined;
    // Numbered, with Back to the question before (the SBOM file is a dialog: no number, and no Back of its own).
    const answered = await runSteps(ctx, [
      {
        questions: isManifestNode(node) ? 0 : 1,
        ask: async (c) => (subject = await subjectOf(c, node, TITLE)),
      },
      { ask: async (c) => (choice = await askSbom(c, subject!)) },
      {
        // Asked of every step ahead while numbering a question: before the choice, as after it.
        when: () => choice !== undefined && !choice.format,
        questions: 0,
        ask: async (c) =>
          (file = (
            await c.prompts().openDialog({
              title: `${TITLE}: SBOM file`,
              canSelectFiles: true,
              canSelectMany: false,
              filters: { 'SBOM (JSON)': ['json'] },
              openLabel: 'Attach',
            })
          )?.[0]?.fsPath),
      },
    ]);
    if (!answered || !subject || !choice) return undefined;
    let bytes: Buffer;
    let fileName: string | undefined;
    if (choice.format) {
      bytes = await generateArtifactSbom(subject.target, subject.reference, subject.descriptor, choice.format);
    } else {
      if (!file) return undefined;
      bytes = await readSbomFile(file);
      fileName = path.basename(file);
    }
    const result = await attach(subject.target, subject.descriptor, bytes, { fileName });
    ctx.log.info(`Attached ${result.type} SBOM ${result.descriptor.digest} to ${subject.descriptor.digest}`);
    // Named as the tree and the graph name it ("CycloneDX SBOM"), not by the format's identifier.
    const what = ARTIFACT_KIND_LABELS[result.type === 'spdx' ? 'spdx-sbom' : 'cyclonedx-sbom'];
    await showAttached(ctx, subject, { what, digest: result.descriptor.digest });
    return { digest: result.descriptor.digest, type: result.type };
  };
}

interface SbomChoice extends vscode.QuickPickItem {
  /** The format to generate; absent: a file the user chooses. */
  format: 'cyclonedx' | 'spdx' | undefined;
}

function askSbom(ctx: SupplyChainContext, subject: Subject): Promise<SbomChoice | undefined> {
  return ctx.prompts().pick<SbomChoice>(
    [
      {
        label: 'Generate CycloneDX',
        description: 'lists the artifact’s files (names, sizes, SHA-256)',
        format: 'cyclonedx',
      },
      {
        label: 'Generate SPDX 2.3',
        description: 'lists the artifact’s files (names, sizes, SHA-256)',
        format: 'spdx',
      },
      { label: 'Choose an SBOM file…', description: 'SPDX or CycloneDX JSON', format: undefined },
    ],
    { title: TITLE, placeHolder: `SBOM for ${subject.shown}` },
  );
}
