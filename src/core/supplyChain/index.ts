// Supply-chain operations over any Target: sign, verify (Notary and cosign), generate and attach SBOMs, attach documents.
export { attachBytes, type AttachBytesOptions, type AttachedDocument } from './attachBytes';
export { attachSbom, checkSbom, generateArtifactSbom, type AttachSbomResult } from './artifactSbom';
export { pushReferrer, type InMemoryBlob, type InMemoryManifest } from './pushReferrer';
export { signArtifact, type SignArtifactOptions } from './signArtifact';
export {
  verifyArtifactSignatures,
  MAX_SIGNATURE_CHECKS,
  type ArtifactVerification,
  type AttestationKind,
  type AttestationVerification,
  verifySignatureReferrer,
  type SignatureKind,
  type SignatureVerification,
  type VerifyArtifactOptions,
} from './verifyArtifact';
export {
  verifyAttestationManifest,
  verifyCosignManifest,
  MAX_SIGNATURE_LAYERS,
  type CosignLayerVerification,
} from './verifyCosignManifest';
export { saveSigningKey, type SavedSigningKey } from './saveSigningKey';
export { describeArtifact, type ArtifactDescription } from './describeArtifact';
export {
  type ImageFacts,
  type InspectedManifest,
  type Inspection,
  inspectArtifact,
  MAX_INSPECTED_CONFIG_BYTES,
  MAX_INSPECTED_TAG_PAGES,
  MAX_INSPECTED_TAGS,
  parseImageFacts,
  PlatformNotFoundError,
} from './inspectArtifact';
export {
  compareInspections,
  compareLayers,
  type FactDifference,
  type InspectionComparison,
  type LayerChange,
  type LayersComparison,
} from './compareInspections';
export { compareFiles, type ChangedFile, type ComparedLayers, type FilesComparison } from './compareFiles';
export { fileListingLines } from './fileListing';
export { comparisonLines, type ComparedSide, filesLines } from './comparisonText';
export { inspectionLines, layersSize, layerText, manifestLines } from './inspectionText';
export { MAX_DETAIL_LENGTH } from '../oci';
export { lintSbom, MAX_SBOM_PROBLEMS, SBOM_INVALID } from './lintSbom';
export {
  applySbomSignatures,
  MAX_SBOM_SIGNATURE_CHECKS,
  MAX_SBOM_SIGNATURE_REFERRERS,
  MAX_SBOMS_CHECKED,
  sbomSignatureVerdict,
} from './sbomSignatures';
export { MAX_SBOM_FILE_BYTES, readSbomFile, sbomAttachProblem } from './sbomFile';
export {
  auditRepository,
  type RepositoryAudit,
  type RepositoryAuditOptions,
  type RepositoryAuditSummary,
} from './repositoryAudit';
export {
  AUDIT_REQUIREMENTS,
  auditTag,
  judgeTag,
  type AuditedAttestation,
  type AuditedSignature,
  type AuditRequirement,
  type TagAudit,
  type TagFacts,
  type TagVerdict,
  type TrustOptions,
} from './tagAudit';
export {
  MAX_PREDICATE_TYPE_LENGTH,
  MAX_PREDICATE_TYPES,
  type FoundAttestation,
  type FoundSbom,
  type SbomFormat,
  type TagEvidence,
} from './tagEvidence';
export { auditLines, streamedAuditText, summaryLine } from './auditText';
export {
  attestationLine,
  attestationsOfType,
  attestationsPass,
  attestationStatus,
  attestationSummary,
  type AttestationStatus,
} from './attestationText';
