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
} from '../core/lint';

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
