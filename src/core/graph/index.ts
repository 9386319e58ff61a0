// The graph package's public door: everything other packages, the CLI and the editor use of it.
export { ARTIFACT_KIND_LABELS, type ArtifactKind, artifactKindOf } from './artifactKind';
export { type CopyOptions, type CopyProgress, type CopyResult, type GraphSource, copy } from './copy';
export { type DeletePlan, deleteArtifact, planDelete } from './deleteArtifact';
export { type ReferrerGraph, buildReferrerGraph } from './referrerGraph';
export { COSIGN_TAG_TYPES, type Referrer, indexReferrer, isReferrerTag, listReferrers, removeFromFallbackIndex } from './referrers';
