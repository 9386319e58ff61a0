// What the editor checks in an open document, given what it knows about the file: an SBOM against its schema,
// anything else with the linter (and, in an image layout, against the layout's blobs). One function for both the
// extension host (small documents) and the lint thread (large ones), so both say the same.
import { isRecognised, lintReport, type LintContext, type LintInput } from './lint';
import type { Problem } from './problem';
import { lintWithStore, type BlobStore } from './store';

/** Said of JSON that is no OCI document: noise in an editor, where most JSON is something else. */
const NOT_OCI = 'unknown-document';

export interface EditorLintRequest {
  input: LintInput;
  context: LintContext;
  /** The layout folder of a layout's own file or draft: descriptors are checked against its blobs. */
  layoutRoot?: string;
  /** Plain JSON is linted only once its content shows it is an OCI document. */
  byContentOnly: boolean;
  /** Whether an earlier version of the document was recognised (a syntax error while typing does not hide it). */
  recognised: boolean;
  /** Whether the text may be an SBOM (core/oci's mayBeSbom): then its schema is checked first. */
  maySbom: boolean;
}

export interface EditorLintResult {
  problems: Problem[];
  /** Whether the document is (now) recognised as an OCI document. */
  recognised: boolean;
}

/** An SBOM's schema problems; undefined when the text is no SBOM (core/supplyChain's lintSbom). */
export type SbomLinter = (text: string) => Promise<Problem[] | undefined>;

export interface EditorLintHelpers {
  lintSbom: SbomLinter;
  storeFor(root: string): BlobStore;
  signal?: AbortSignal;
}

/** The document's problems, or undefined when it is nothing Stowage checks. */
export async function lintEditorDocument(
  request: EditorLintRequest,
  helpers: EditorLintHelpers,
): Promise<EditorLintResult | undefined> {
  const { input, context, layoutRoot, byContentOnly } = request;
  if (request.maySbom) {
    const problems = await helpers.lintSbom(typeof input === 'string' ? input : input.text);
    if (problems) return { problems, recognised: request.recognised };
  }
  const report = lintReport(input, context);
  const recognised = request.recognised || isRecognised(report);
  if (byContentOnly && !recognised) return undefined;
  let problems = report.problems;
  if (layoutRoot !== undefined && report.kind !== 'unknown')
    problems = await lintWithStore(input, helpers.storeFor(layoutRoot), context, { signal: helpers.signal });
  return { problems: problems.filter((p) => p.code !== NOT_OCI), recognised };
}
