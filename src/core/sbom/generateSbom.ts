// Generates an SBOM for an OCI artifact from the files its manifest lists (titled layers).
import { isDigest, OciError } from '../oci';
import { generateCycloneDx, type CycloneDxVersion } from './generateCycloneDx';
import { generateSpdx } from './generateSpdx';
import type { SbomFile } from './identifiers';
import type { SbomSubject } from './sbomSubject';

export interface GenerateSbomOptions {
  /** The document's creation time; fix it to get identical bytes for identical input. Default: now. */
  created?: Date;
  /** Default 1.6. */
  cyclonedxVersion?: CycloneDxVersion;
}

export function generateSbom(
  subject: SbomSubject,
  files: readonly SbomFile[],
  format: 'cyclonedx' | 'spdx',
  options: GenerateSbomOptions = {},
): Buffer {
  if (!isDigest(subject.descriptor.digest))
    throw new OciError('USAGE', `subject digest "${subject.descriptor.digest}" is not a digest`);
  for (const file of files) {
    if (!/^[a-f0-9]{64}$/.test(file.sha256))
      throw new OciError('USAGE', `file "${file.name}": sha256 must be 64 lowercase hex characters`);
    if (file.sha1 !== undefined && !/^[a-f0-9]{40}$/.test(file.sha1))
      throw new OciError('USAGE', `file "${file.name}": sha1 must be 40 lowercase hex characters`);
    if (!file.name) throw new OciError('USAGE', 'every file needs a name');
  }
  const created = options.created ?? new Date();
  return format === 'spdx'
    ? generateSpdx(subject, files, created)
    : generateCycloneDx(subject, files, created, options.cyclonedxVersion ?? '1.6');
}
