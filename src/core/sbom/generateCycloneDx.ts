// A CycloneDX JSON SBOM for an OCI artifact, built with the CycloneDX library so the output follows its schema.
import { cyclonedxLibrary } from './cyclonedxLibrary';
import type { SbomSubject } from './sbomSubject';
import { digestParts, documentUuid, isContainerImage, ociPurl, type SbomFile } from './identifiers';
import { SBOM_TOOL_NAME, SBOM_TOOL_VERSION } from './tool';
import { artifactTypeOf } from '../oci';

export type CycloneDxVersion = '1.5' | '1.6';

// Property names in Stowage's namespace (CycloneDX asks for namespaced names outside its own taxonomy).
export const CycloneDxProperty = {
  mediaType: 'stowage:oci:mediaType',
  size: 'stowage:oci:size',
  artifactType: 'stowage:oci:artifactType',
} as const;

export function generateCycloneDx(
  subject: SbomSubject,
  files: readonly SbomFile[],
  created: Date,
  version: CycloneDxVersion,
): Buffer {
  const { Enums, Models, Serialize, Spec } = cyclonedxLibrary();
  const specs = { '1.5': Spec.Spec1dot5, '1.6': Spec.Spec1dot6 } as const;
  const { descriptor, manifest, reference } = subject;
  const bom = new Models.Bom({
    serialNumber: `urn:uuid:${documentUuid(`cyclonedx-${version}`, descriptor.digest, files)}`,
  });
  bom.metadata.timestamp = created;
  bom.metadata.tools.components.add(
    new Models.Component(Enums.ComponentType.Application, SBOM_TOOL_NAME, { version: SBOM_TOOL_VERSION }),
  );

  const artifactType = artifactTypeOf(manifest);
  const { algorithm, hex } = digestParts(descriptor.digest);
  const artifact = new Models.Component(
    isContainerImage(manifest) ? Enums.ComponentType.Container : Enums.ComponentType.Application,
    reference.split('@')[0]!,
    { bomRef: descriptor.digest, version: descriptor.digest, purl: ociPurl(reference, descriptor.digest) },
  );
  artifact.hashes.set(algorithm === 'sha512' ? Enums.HashAlgorithm['SHA-512'] : Enums.HashAlgorithm['SHA-256'], hex);
  artifact.properties.add(new Models.Property(CycloneDxProperty.mediaType, descriptor.mediaType));
  if (artifactType) artifact.properties.add(new Models.Property(CycloneDxProperty.artifactType, artifactType));
  bom.metadata.component = artifact;

  files.forEach((file, i) => {
    const component = new Models.Component(Enums.ComponentType.File, file.name, {
      bomRef: `file-${i + 1}:${file.name}`,
    });
    component.hashes.set(Enums.HashAlgorithm['SHA-256'], file.sha256);
    if (file.sha1) component.hashes.set(Enums.HashAlgorithm['SHA-1'], file.sha1);
    component.properties.add(new Models.Property(CycloneDxProperty.mediaType, file.mediaType));
    component.properties.add(new Models.Property(CycloneDxProperty.size, String(file.size)));
    bom.components.add(component);
  });

  const serializer = new Serialize.JsonSerializer(new Serialize.JSON.Normalize.Factory(specs[version]));
  // sortLists: the library keeps components in sets; sorting makes the output independent of insertion details.
  return Buffer.from(serializer.serialize(bom, { sortLists: true, space: 2 }));
}
