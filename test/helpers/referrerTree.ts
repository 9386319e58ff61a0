// A subject with referrers two levels deep, pushed through any Target with the engine's own attach:
//   v1 ← sbom ← signature (of the SBOM)
//   v1 ← notes
import type { Descriptor } from '../../src/core/oci/descriptor';
import { attachBytes } from '../../src/core/supplyChain';
import type { Target } from '../../src/core/content/target';
import { pushArtifact } from './sampleArtifact';

export interface ReferrerTree {
  subject: Descriptor;
  sbom: Descriptor;
  signature: Descriptor;
  notes: Descriptor;
}

export async function pushReferrerTree(target: Target, tag = 'v1'): Promise<ReferrerTree> {
  const subject = (await pushArtifact(target, `subject of ${tag}`, { tag })).manifest;
  const attach = (to: Descriptor, artifactType: string, text: string) =>
    attachBytes(target, to, {
      artifactType,
      documents: [{ title: `${text}.txt`, mediaType: 'text/plain', bytes: Buffer.from(`${text} for ${to.digest}`) }],
    });
  const sbom = await attach(subject, 'application/spdx+json', 'sbom');
  const signature = await attach(sbom, 'application/vnd.cncf.notary.signature', 'signature');
  const notes = await attach(subject, 'application/vnd.example.notes.v1', 'notes');
  return { subject, sbom, signature, notes };
}
