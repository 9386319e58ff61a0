// Reading an SBOM file to validate it: a JSON document is checked whole, so it is read whole, up to a cap (a file
// of gigabytes given by mistake is named, not read into memory).
import { readFile, stat } from 'node:fs/promises';
import { formatBytes, OciError, sbomMediaType } from '../oci';
import { checkSbom } from './artifactSbom';

/** The largest SBOM validated: generous for an image's SBOM (tens of MiB with every file listed). */
export const MAX_SBOM_FILE_BYTES = 64 * 1024 * 1024;

export async function readSbomFile(file: string): Promise<Buffer> {
  const { size } = await stat(file);
  if (size > MAX_SBOM_FILE_BYTES)
    throw new OciError(
      'SIZE_EXCEEDED',
      `${file} is ${formatBytes(size)}, more than the ${formatBytes(MAX_SBOM_FILE_BYTES)} an SBOM is validated up to`,
    );
  return readFile(file);
}

/**
 * What is wrong with attaching `file` under the SBOM type `artifactType` (application/spdx+json or CycloneDX's):
 * undefined when it is a valid SBOM of that type, else why not (not one, invalid, the other format, too large).
 * For `attach`, which attaches what it is given (as ORAS does) and warns with this.
 */
export async function sbomAttachProblem(file: string, artifactType: string): Promise<string | undefined> {
  try {
    const type = await checkSbom(await readSbomFile(file));
    return sbomMediaType(type) === artifactType
      ? undefined
      : `a ${type === 'spdx' ? 'SPDX' : 'CycloneDX'} document, not ${artifactType}`;
  } catch (err) {
    if (OciError.is(err)) return err.message;
    throw err;
  }
}
