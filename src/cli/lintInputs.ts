// What `stowage lint` checks for each argument: a layout folder (or `oci:<folder>`) is validated whole; a file is
// linted by its content and name, with its layout's blobs checked when it is one of a layout's files; a tag or
// digest of a layout or layout archive is linted with every manifest it reaches.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import {
  lint,
  lintWithStore,
  LayoutBlobStore,
  layoutFileOf,
  lintFileName,
  isLayoutFolder,
  LineColumns,
  validateLayout,
  type LayoutProblem,
  type LayoutValidationProgress,
  formatPath,
  type Problem,
  readDocument,
  decodeDocument,
  type BlobStore,
} from '../core/lint';
import { ArchiveTarget, LayoutTarget } from '../core/layout';
import { lintSbom, MAX_SBOM_FILE_BYTES } from '../core/supplyChain';
import {
  ARCHIVE_PREFIX,
  formatBytes,
  LAYOUT_PREFIX,
  isIndex,
  isManifestOrIndex,
  parseReference,
  type Descriptor,
} from '../core/oci';

/** One finding, positioned 1-based as compilers print them. */
export interface LintFinding {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: Problem['severity'];
  code: string;
  message: string;
  /** The JSON path, as people read it (`layers[0].digest`); empty for the whole file. */
  path: string;
  /** For layout findings about another blob than the file: that blob's path. */
  blob?: string;
}

export async function lintInput(
  input: string,
  options: { signal: AbortSignal; onProgress?: (p: Readonly<LayoutValidationProgress>) => void },
): Promise<LintFinding[]> {
  if (input.startsWith(ARCHIVE_PREFIX)) return lintArchive(input, options.signal);
  if (input.startsWith(LAYOUT_PREFIX)) return lintLayoutReference(input, options);
  const stat = await fs.stat(input).catch((err: NodeJS.ErrnoException) => err);
  if (stat instanceof Error)
    return [wholeFile(input, 'file-unreadable', `cannot read it (${stat.code ?? stat.message})`)];
  if (stat.isDirectory()) {
    if (!(await isLayoutFolder(input)))
      return [wholeFile(input, 'not-a-layout', 'a folder without an oci-layout file is not an OCI image layout')];
    const result = await validateLayout(input, { signal: options.signal, onProgress: options.onProgress });
    return result.problems.map((problem) => layoutFinding(input, problem));
  }
  // A document is linted whole, so it is read whole: the largest an SBOM may be (a manifest may be 4 MiB).
  if (stat.size > MAX_SBOM_FILE_BYTES)
    return [
      wholeFile(
        input,
        'file-too-large',
        `${formatBytes(stat.size)} is more than the ${formatBytes(MAX_SBOM_FILE_BYTES)} a document is linted up to (a manifest may be 4 MiB at most)`,
      ),
    ];
  const document = await readDocument(input);
  const layoutFile = await layoutFileOf(input);
  // An SBOM is no OCI document: it is checked against its own schema, as Attach SBOM… and `sbom --sbom` check it.
  const sbomProblems =
    (!layoutFile || layoutFile.role === 'draft') && !document.problems.length
      ? await lintSbom(document.text)
      : undefined;
  const problems = sbomProblems
    ? sbomProblems
    : layoutFile
      ? await lintWithStore(
          document,
          new LayoutBlobStore(layoutFile.root, { signal: options.signal }),
          { fileName: lintFileName(layoutFile) },
          { signal: options.signal },
        )
      : lint(document, { fileName: path.basename(input) });
  const lines = new LineColumns(document.text);
  return problems.map((problem) => {
    const start = lines.at(problem.offset);
    const end = lines.at(problem.offset + problem.length);
    return finding(input, problem, start, end);
  });
}

/** Most manifests one layout or archive lint reads (a hostile index could list millions). */
const MAX_REACHABLE_MANIFESTS = 10_000;

/**
 * `oci:<folder>` is the folder validated whole; `oci:<folder>:tag` (or `@digest`) lints that manifest and every
 * manifest it reaches, with the layout's blobs checked, findings naming the blob files.
 */
async function lintLayoutReference(
  input: string,
  options: { signal: AbortSignal; onProgress?: (p: Readonly<LayoutValidationProgress>) => void },
): Promise<LintFinding[]> {
  const reference = parseReference(input);
  if (reference.kind !== 'layout') return [wholeFile(input, 'not-a-layout', 'not a layout reference')];
  const named = reference.digest ?? reference.tag;
  if (!named) return lintInput(reference.path, options);
  let layout: LayoutTarget;
  try {
    layout = await LayoutTarget.open(reference.path);
  } catch (err) {
    return [wholeFile(reference.path, 'not-a-layout', (err as Error).message)];
  }
  const root = reference.path;
  return lintReachable(layout, new LayoutBlobStore(root, { signal: options.signal }), named, options.signal, {
    where: (entry) => path.join(root, entry),
  });
}

/**
 * A layout archive (`oci-archive:<file.tar>[:tag|@digest]`): index.json and every manifest and index reachable from
 * it (or from the tag named) linted with the archive as the blob store, so each descriptor's blob is checked for
 * presence, size and digest. Findings name `<file.tar>!/<entry>`.
 */
async function lintArchive(input: string, signal: AbortSignal): Promise<LintFinding[]> {
  const reference = parseReference(input);
  if (reference.kind !== 'layout') return [wholeFile(input, 'not-a-layout', 'not a layout archive reference')];
  const file = reference.path;
  let archive: ArchiveTarget;
  try {
    archive = await ArchiveTarget.open(file, { signal });
  } catch (err) {
    return [wholeFile(file, 'not-a-layout', (err as Error).message)];
  }
  return lintReachable(archive, archive, reference.digest ?? reference.tag, signal, {
    where: (entry) => `${file}!/${entry}`,
    withIndex: true,
  });
}

/** The manifests of a layout or archive `store`: from `named`, or from every entry of its index.json. */
async function lintReachable(
  store: Pick<LayoutTarget, 'readIndex' | 'resolve' | 'fetchManifest'>,
  blobs: BlobStore,
  named: string | undefined,
  signal: AbortSignal,
  { where, withIndex = false }: { where: (entry: string) => string; withIndex?: boolean },
): Promise<LintFinding[]> {
  const findings: LintFinding[] = [];
  const lintBytes = async (entry: string, bytes: Buffer, fileName?: string) => {
    const document = decodeDocument(bytes);
    const problems = await lintWithStore(document, blobs, { fileName }, { signal });
    const lines = new LineColumns(document.text);
    for (const problem of problems)
      findings.push(
        finding(where(entry), problem, lines.at(problem.offset), lines.at(problem.offset + problem.length)),
      );
  };
  const index = await store.readIndex();
  if (!named && withIndex) await lintBytes('index.json', Buffer.from(JSON.stringify(index)), 'index.json');
  let queue: Descriptor[];
  try {
    queue = named ? [await store.resolve(named, { signal })] : [...index.manifests];
  } catch (err) {
    return [wholeFile(where('index.json'), 'unknown-reference', (err as Error).message)];
  }
  const seen = new Set<string>();
  while (queue.length && seen.size < MAX_REACHABLE_MANIFESTS) {
    const descriptor = queue.shift()!;
    if (seen.has(descriptor.digest)) continue;
    seen.add(descriptor.digest);
    const entry = `blobs/${descriptor.digest.replace(':', '/')}`;
    try {
      const { bytes, manifest } = await store.fetchManifest(descriptor, { signal });
      await lintBytes(entry, bytes);
      if (isIndex(manifest)) queue.push(...manifest.manifests.filter((m) => isManifestOrIndex(m.mediaType)));
    } catch (err) {
      findings.push(wholeFile(where(entry), 'unreadable-manifest', (err as Error).message));
    }
  }
  return findings;
}

function layoutFinding(root: string, problem: LayoutProblem): LintFinding {
  const result = finding(path.join(root, problem.file), problem, problem.start, problem.end);
  if (problem.blob && problem.blob !== problem.file) result.blob = path.join(root, problem.blob);
  return result;
}

function finding(
  file: string,
  problem: Problem,
  start: { line: number; column: number },
  end: { line: number; column: number },
): LintFinding {
  return {
    file,
    line: start.line + 1,
    column: start.column + 1,
    endLine: end.line + 1,
    endColumn: end.column + 1,
    severity: problem.severity,
    code: problem.code,
    message: problem.message,
    path: formatPath(problem.path),
  };
}

function wholeFile(file: string, code: string, message: string): LintFinding {
  return { file, line: 1, column: 1, endLine: 1, endColumn: 1, severity: 'error', code, message, path: '' };
}
