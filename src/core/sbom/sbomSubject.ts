// The artifact an SBOM describes, shared by the generator and both document writers (SPDX, CycloneDX).
import type { Descriptor, Manifest } from '../oci';

export interface SbomSubject {
  reference: string;
  descriptor: Descriptor;
  manifest: Manifest;
}
