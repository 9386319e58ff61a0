// What `stowage lint` checks for each argument: a layout folder is validated whole; a file is linted by its
// content and name, with its layout's blobs checked when it is one of a layout's files.
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
} from '../core/lint';
import { ArchiveTarget } from '../core/layout';
import { ARCHIVE_PREFIX, isIndex, isManifestOrIndex, parseReference } from '../core/oci';

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
  const stat = await fs.stat(input).catch((err: NodeJS.ErrnoException) => err);
  if (stat instanceof Error)
    return [wholeFile(input, 'file-unreadable', `cannot read it (${stat.code ?? stat.message})`)];
  if (stat.isDirectory()) {
    if (!(await isLayoutFolder(input)))
      return [wholeFile(input, 'not-a-layout', 'a folder without an oci-layout file is not an OCI image layout')];
    const result = await validateLayout(input, { signal: options.signal, onProgress: options.onProgress });
    return result.problems.map((problem) => layoutFinding(input, problem));
  }
  const document = await readDocument(input);
  const layoutFile = await layoutFileOf(input);
  const problems = layoutFile
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

/** Most manifests one archive lint reads (a hostile index could list millions). */
const MAX_ARCHIVE_MANIFESTS = 10_000;

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
  const findings: LintFinding[] = [];
  const lintBytes = async (entry: string, bytes: Buffer, fileName?: string) => {
    const document = decodeDocument(bytes);
    const problems = await lintWithStore(document, archive, { fileName }, { signal });
    const lines = new LineColumns(document.text);
    const where = `${file}!/${entry}`;
    for (const problem of problems)
      findings.push(finding(where, problem, lines.at(problem.offset), lines.at(problem.offset + problem.length)));
  };
  const index = await archive.readIndex();
  const named = reference.digest ?? reference.tag;
  if (!named) await lintBytes('index.json', Buffer.from(JSON.stringify(index)), 'index.json');
  const queue = named ? [await archive.resolve(named, { signal })] : [...index.manifests];
  const seen = new Set<string>();
  while (queue.length && seen.size < MAX_ARCHIVE_MANIFESTS) {
    const descriptor = queue.shift()!;
    if (seen.has(descriptor.digest)) continue;
    seen.add(descriptor.digest);
    const entry = `blobs/${descriptor.digest.replace(':', '/')}`;
    try {
      const { bytes, manifest } = await archive.fetchManifest(descriptor, { signal });
      await lintBytes(entry, bytes);
      if (isIndex(manifest)) queue.push(...manifest.manifests.filter((m) => isManifestOrIndex(m.mediaType)));
    } catch (err) {
      findings.push(wholeFile(`${file}!/${entry}`, 'unreadable-manifest', (err as Error).message));
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
