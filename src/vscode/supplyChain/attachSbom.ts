// "Attach SBOM…": an SPDX or CycloneDX JSON file the user picks (type detected from the content, validated before
// upload) or one generated from the artifact's files, attached as a referrer; its graph then shows it.
import * as path from 'node:path';
import { ARTIFACT_KIND_LABELS } from '../../core/graph';
import type { SbomType } from '../../core/sbom';
import { attachSbom as attach, generateArtifactSbom, readSbomFile } from '../../core/supplyChain';
import type { TreeNode } from '../tree/nodes';
import type { SupplyChainContext } from './SupplyChainContext';
import { showAttached, subjectOf } from './subject';

const TITLE = 'Attach SBOM';

export interface AttachSbomOutcome {
  digest: string;
  type: SbomType;
}

export function attachSbom(ctx: SupplyChainContext) {
  return async (node?: TreeNode): Promise<AttachSbomOutcome | undefined> => {
    const subject = await subjectOf(ctx, node, TITLE);
    if (!subject) return undefined;
    const choice = await ctx.prompts().pick(
      [
        {
          label: 'Generate CycloneDX',
          description: 'lists the artifact’s files (names, sizes, SHA-256)',
          format: 'cyclonedx' as const,
        },
        {
          label: 'Generate SPDX 2.3',
          description: 'lists the artifact’s files (names, sizes, SHA-256)',
          format: 'spdx' as const,
        },
        { label: 'Choose an SBOM file…', description: 'SPDX or CycloneDX JSON', format: undefined },
      ],
      { title: TITLE, placeHolder: `SBOM for ${subject.reference}` },
    );
    if (!choice) return undefined;
    let bytes: Buffer;
    let fileName: string | undefined;
    if (choice.format) {
      bytes = await generateArtifactSbom(subject.target, subject.reference, subject.descriptor, choice.format);
    } else {
      const files = await ctx.prompts().openDialog({
        title: `${TITLE}: SBOM file`,
        canSelectFiles: true,
        canSelectMany: false,
        filters: { 'SBOM (JSON)': ['json'] },
        openLabel: 'Attach',
      });
      const file = files?.[0]?.fsPath;
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
