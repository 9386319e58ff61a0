// Writes the demo OCI image layout through the engine itself: a small artifact tagged `v1` with three titled text
// files, an SPDX SBOM generated from it, and a real Notary Project signature made with a demo key (its
// certificate is saved beside the layout so "Verify Signatures" has something to trust). The artifact and the
// SBOM are byte-for-byte the same every run; the signature is new every run (a fresh key).
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { pushArtifact } from '../../src/core/files/artifact';
import type { Descriptor } from '../../src/core/oci/descriptor';
import { LayoutTarget } from '../../src/core/layout/LayoutTarget';
import { createSigningKey, loadSigningIdentity } from '../../src/core/sign';
import { attachSbom, generateArtifactSbom, saveSigningKey, signArtifact } from '../../src/core/supplyChain';

export const DEMO_ARTIFACT_TYPE = 'application/vnd.example.demo.v1';
/** Fixed so that the artifact's digests do not change between runs. */
const CREATED_AT = '2026-01-01T00:00:00Z';

export interface DemoLayout {
  dir: string;
  target: LayoutTarget;
  artifact: Descriptor;
  referrers: Descriptor[];
  /** The demo signer's certificate (PEM), to trust when verifying. */
  certificateFile: string;
}

const DEMO_FILES: Record<string, string> = {
  'README.txt': 'Stowage demo artifact.\nThree small text files packed as titled layers of one OCI artifact.\n',
  'greeting.txt': 'Hello from an OCI image layout.\n',
  'notes.txt': 'Referrers attached to this artifact: an SPDX SBOM and a Notary Project signature.\n',
};

/** (Re)creates the layout at `dir`; the signing key goes to `keyDir` (default: beside the layout). */
export async function writeDemoLayout(
  dir: string,
  keyDir = path.join(path.dirname(dir), 'demo-signing-key'),
): Promise<DemoLayout> {
  await fs.rm(dir, { recursive: true, force: true });
  await fs.rm(keyDir, { recursive: true, force: true });
  const target = await LayoutTarget.open(dir, { create: true });

  const staging = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-demo-'));
  try {
    for (const [name, text] of Object.entries(DEMO_FILES)) await fs.writeFile(path.join(staging, name), text);
    const pushed = await pushArtifact(
      target,
      Object.keys(DEMO_FILES).map((name) => ({ path: path.join(staging, name), mediaType: 'text/plain' })),
      {
        tag: 'v1',
        artifactType: DEMO_ARTIFACT_TYPE,
        annotations: { 'org.opencontainers.image.description': 'Demo artifact written by npm start' },
        created: CREATED_AT,
      },
    );
    const artifact = pushed.descriptor;

    const sbom = await generateArtifactSbom(target, `oci:${dir}:v1`, artifact, 'spdx', {
      created: new Date(CREATED_AT),
    });
    const attached = await attachSbom(target, artifact, sbom);

    const key = await createSigningKey({ algorithm: 'ecdsa-p256', subject: 'CN=Stowage demo signer', validDays: 30 });
    const saved = await saveSigningKey(keyDir, key, 'demo');
    const identity = await loadSigningIdentity(saved.keyFile, saved.certFile);
    const signature = await signArtifact(target, artifact, { key: identity.key, certChain: identity.certChain });
    // The second referrer rewrote the fallback-tag index: remove the first one, which nothing reaches any more, or a
    // newcomer's first Validate Layout reports the demo's own leftover.
    await target.garbageCollect({ graceMs: 0 });

    return {
      dir: target.root,
      target,
      artifact,
      referrers: [attached.descriptor, signature],
      certificateFile: saved.certFile,
    };
  } finally {
    await fs.rm(staging, { recursive: true, force: true });
  }
}
