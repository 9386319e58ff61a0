// SBOMs: recognising, validating and generating SPDX 2.3 and CycloneDX JSON documents for OCI artifacts.
export { detectSbomType, sbomMediaType, type SbomType } from '../oci';
export { CycloneDxProperty, type CycloneDxVersion } from './generateCycloneDx';
export { generateSbom, type GenerateSbomOptions } from './generateSbom';
export { type SbomSubject } from './sbomSubject';
export { type SbomFile } from './identifiers';
export { validateSbom, validateSbomDocument, type SbomProblem } from './validateSbom';
