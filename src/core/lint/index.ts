// The linter's public surface.
export { isRecognised, lint, lintReport, type LintContext, type LintInput, type LintReport } from './lint';
export { decodeDocument, type DecodedDocument } from './utf8';
export { lintWithStore, type BlobStore, type StoreLintOptions } from './store';
export { targetBlobStore } from './targetBlobStore';
export { checkManifestForPush, MAX_DESCRIPTORS_LOOKED_UP } from './checkForPush';
export { applyFix, type Fix, type JsonPath, type Problem, type Severity, type TextEdit } from './problem';
export { detectKind, KIND_NAMES, mayBeOciDocument, type DocumentKind, type DetectionHints } from './detect';
export { SCHEMAS } from './schemas';
export { WELL_KNOWN_MEDIA_TYPES, isMediaType, suggestMediaType } from './mediaTypeNames';
export { LayoutBlobStore } from './layout/LayoutBlobStore';
export { type LayoutFile, isLayoutFolder, layoutFileOf, lintFileName } from './layout/layoutFiles';
export { holdsLayoutWithin, type LayoutSearchLimits } from './layout/layoutsWithin';
export { LineColumns } from './layout/lineColumns';
export {
  type LayoutProblem,
  type LayoutValidation,
  type LayoutValidationProgress,
  validateLayout,
} from './layout/validateLayout';
export { MEDIA_TYPE_MEANINGS, mediaTypeParts } from './mediaTypeMeanings';
export { formatPath } from './paths';
export { Locator } from './positions';
export { readDocument } from './readDocument';
export { completionsAt, type Completion } from './completions';
export {
  lintEditorDocument,
  type EditorLintHelpers,
  type EditorLintRequest,
  type EditorLintResult,
  type SbomLinter,
} from './editorLint';
export { LintThread, serveEditorLint } from './lintThread';
export {
  missingBlobAdvice,
  missingBlobList,
  missingBlobs,
  namedBefore,
  refusalForMissingBlobs,
  subjectOf,
  tagMoveWarning,
  tagsMoved,
  type MissingBlob,
  type MovedTag,
  type ShowDigest,
} from './manifestPushNotes';
