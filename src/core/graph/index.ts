// core/graph, the door: walks over any Target (copy, referrers from the API, the fallback tag and cosign tags,
// the referrer graph, delete with referrers, artifact kinds). Asks for capabilities, never for a store type.
export {
  ARTIFACT_KIND_LABELS,
  type ArtifactFamily,
  type ArtifactKind,
  artifactFamilyOf,
  artifactKindOf,
  artifactKindOfManifest,
} from './artifactKind';
export {
  type CopyItemOutcome,
  type CopyOptions,
  type CopyProgress,
  type CopyResult,
  type RefusedReferrer,
  copy,
  describeReferrersLeft,
  refusedForABlob,
} from './copy';
export {
  type CopyTagsOptions,
  type CopyTagsSummary,
  type TagRecord,
  type TagEvent,
  type TagMove,
  copyTags,
  TAG_LIST_MAX_AGE_MS,
  formatCopyTagsSummary,
  tagsMoved,
  plannedTagMove,
  tagIfUnchanged,
  plannedTagMoves,
  selectTags,
} from './copyTags';
export { DryRunTarget } from './dryRunTarget';
export {
  DoneSoFar,
  type RunKind,
  type StoppedTransfer,
  describeStoppedTransfer,
  runWords,
  stoppedTransferWords,
} from './stoppedTransfer';
export { type PushManifestBytesOptions, manifestDescriptor, pushManifestBytes } from './pushManifestBytes';
export { type DeletePlan, deleteArtifact, planDelete } from './deleteArtifact';
export { describeNotAReferrer, type NotAReferrer, referrerJudge, subjectMismatch } from './referrerSubject';
export { type GraphRootOptions, describeGraphRoot, describedRoot } from './graphRoot';
export {
  DEFAULT_GRAPH_NODES,
  JUDGED_PER_NODE,
  type ReferrerGraph,
  type ReferrerGraphOptions,
  buildReferrerGraph,
} from './referrerGraph';
export {
  type JudgedGraph,
  type JudgedReferrers,
  buildJudgedGraph,
  judgedReferrers,
  MAX_REFERRERS_READ,
} from './judgedGraph';
export { StagedGraph } from './stagedGraph';
export { COSIGN_TAG_TYPES, type Referrer, type ReferrerSource, isReferrerTag, listReferrers } from './referrers';
export { indexReferrer, removeFromFallbackIndex } from './fallbackIndex';
export {
  type CheckReferrersOptions,
  DEFAULT_MAX_SCAN,
  type ReferrersProblem,
  type ReferrersProblemKind,
  type ReferrersReport,
  type SubjectReferrers,
  checkReferrers,
} from './referrersCheck';
export {
  type ApplyRepairOptions,
  type ReferrersChange,
  type RepairPlan,
  applyRepair,
  describeChange,
  planRepair,
} from './referrersRepair';
export { createdTimeOf } from './createdTime';
export {
  type KeptEntry,
  planPrune,
  type PruneEntry,
  recheckPrune,
  type PrunePlan,
  type PrunePlanOptions,
} from './pruneTags';
export { describePruneEntry, doomedCount, keptLine, parsePruneAge } from './pruneText';
export {
  type HelmChartMetadata,
  helmChartFileNames,
  isHelmChart,
  LEGACY_HELM_CHART_LAYER,
  parseHelmChartMetadata,
  readHelmChartMetadata,
} from './helmChart';
export { parseWasmConfig, readWasmConfig, type WasmConfigFacts } from './wasmConfig';
export {
  COSIGN_PAYLOAD_TYPE,
  MAX_COSIGN_PAYLOAD_BYTES,
  parseSimpleSigningPayload,
  type SimpleSigningPayload,
} from './cosignPayload';
export { resolvedAhead, type Settled } from './resolvedAhead';
