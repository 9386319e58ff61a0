// Files as artifacts (ORAS-compatible): pack files and folders into layers, build the manifest, pull safely.
export {
  packFiles,
  type PackInput,
  type PackOptions,
  type PackProgress,
  type PackedFiles,
  type PackedLayer,
} from './packFiles';
export {
  assertMediaType,
  buildArtifactManifest,
  configFromFile,
  platformConfig,
  createdAnnotation,
  DEFAULT_ARTIFACT_TYPE,
  UNKNOWN_CONFIG_TYPE,
  type ImageSpecVersion,
  rfc3339,
  type ArtifactManifestOptions,
  type BuiltManifest,
} from './artifactManifest';
export { planPull, pullableLayers, type PlannedOutput, type PullPlan } from './planPull';
export {
  pullFiles,
  pullFilesTogether,
  type PullPart,
  DEFAULT_MAX_PULL_BYTES,
  DEFAULT_MAX_PULL_ENTRIES,
  MAX_NAMED_CLASHES,
  type BlobSource,
  type PullOptions,
  type PullResult,
} from './pullFiles';
export { assertSafeRelativePath, assertSafeTitles, unsafePathProblem } from './safeNames';
export { findSensitiveFiles, SensitiveFilesError, type SensitiveFilesCheck } from './sensitiveFiles';
export { assertFolderPackable, platformFreeGzip } from './deterministicTar';
export {
  pullArtifact,
  pullManifest,
  pullManifests,
  type PulledManifest,
  pushArtifact,
  readManifestToPull,
  type ManifestToPull,
} from './artifact';
export { conventionalTitlesNeedReading, withConventionalTitles } from './conventionalNames';
export { fluxContentLayer } from './fluxArtifact';
export { readHelmChartPackage, type HelmChartPackage } from './helmChartPackage';
export { pushHelmChart, type PushHelmChartOptions, type PushHelmChartResult } from './helmPush';
export {
  DEFAULT_LAYER_CONTENTS_LIMITS,
  isBrowsableLayer,
  layerFileName,
  layerFolders,
  layerForm,
  listLayer,
  normalisedEntryPath,
  OPAQUE_WHITEOUT,
  WHITEOUT_PREFIX,
  type LayerContentsLimits,
  type LayerEntry,
  type LayerEntryType,
  type LayerForm,
  type LayerListing,
} from './layerContents';
export {
  SharedLayerReads,
  MAX_MERGED_ENTRIES,
  MAX_MERGED_TAR_LAYERS,
  mergedFiles,
  type MergedEntry,
  type MergedFiles,
} from './mergedFiles';
export { findInLayer, readLayerFile, type FileCopySink, type FoundInLayer, type LayerFile } from './layerFile';
export { DEFAULT_LAYER_FILE_CACHE_BYTES, LayerFileCache } from './layerFileCache';
export {
  deletesFromBelow,
  isUnreadableArchive,
  streamLayeredFile,
  type FoundLayerFile,
  type NumberedLayer,
} from './layeredFile';
