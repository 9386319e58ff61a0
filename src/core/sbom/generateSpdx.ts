// An SPDX 2.3 JSON SBOM for an OCI artifact: one package for the artifact, one file per titled layer.
import type { SbomSubject } from './sbomSubject';
import { digestParts, documentUuid, isContainerImage, ociPurl, type SbomFile } from './identifiers';
import { SBOM_TOOL_NAME, SBOM_TOOL_VERSION } from './tool';

const ARTIFACT_ID = 'SPDXRef-Artifact';

/** SPDX identifiers allow letters, digits, '.' and '-' only. */
function idPart(text: string): string {
  return text.replace(/[^A-Za-z0-9.-]+/g, '-').replace(/^-+|-+$/g, '') || 'file';
}

export function generateSpdx(subject: SbomSubject, files: readonly SbomFile[], created: Date): Buffer {
  const { descriptor, manifest, reference } = subject;
  const uuid = documentUuid('spdx-2.3', descriptor.digest, files);
  const { algorithm, hex } = digestParts(descriptor.digest);
  const purl = ociPurl(reference, descriptor.digest);
  const name = reference.split('@')[0]!;

  const fileIds = files.map((file, i) => `SPDXRef-File-${i + 1}-${idPart(file.name)}`);
  const document = {
    spdxVersion: 'SPDX-2.3',
    dataLicense: 'CC0-1.0',
    SPDXID: 'SPDXRef-DOCUMENT',
    name,
    // spdx.org/spdxdocs/<name>-<uuid> is the namespace form the SPDX examples and most tools use.
    documentNamespace: `https://spdx.org/spdxdocs/${idPart(name)}-${uuid}`,
    creationInfo: {
      created: created.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      creators: [`Tool: ${SBOM_TOOL_NAME}-${SBOM_TOOL_VERSION}`],
    },
    packages: [
      {
        SPDXID: ARTIFACT_ID,
        name,
        versionInfo: descriptor.digest,
        downloadLocation: 'NOASSERTION',
        // Analysing files would require a package verification code over SHA1s of the contents, which Stowage does
        // not have; the files are still listed and related with CONTAINS.
        filesAnalyzed: false,
        checksums: [{ algorithm: algorithm.toUpperCase(), checksumValue: hex }],
        ...(purl
          ? { externalRefs: [{ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: purl }] }
          : {}),
        primaryPackagePurpose: isContainerImage(manifest) ? 'CONTAINER' : 'OTHER',
      },
    ],
    files: files.map((file, i) => ({
      SPDXID: fileIds[i]!,
      fileName: `./${file.name.replace(/^\.?\/+/, '')}`,
      checksums: [
        ...(file.sha1 ? [{ algorithm: 'SHA1', checksumValue: file.sha1 }] : []),
        { algorithm: 'SHA256', checksumValue: file.sha256 },
      ],
      comment: `media type ${file.mediaType}, ${file.size} bytes`,
    })),
    relationships: [
      { spdxElementId: 'SPDXRef-DOCUMENT', relationshipType: 'DESCRIBES', relatedSpdxElement: ARTIFACT_ID },
      ...fileIds.map((id) => ({ spdxElementId: ARTIFACT_ID, relationshipType: 'CONTAINS', relatedSpdxElement: id })),
    ],
  };
  return Buffer.from(JSON.stringify(document, null, 2));
}
