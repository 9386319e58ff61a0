// `manifest push`'s checks (checkManifestForPush) as `stowage lint` prints findings: errors and warnings only.
import { checkManifestForPush, decodeDocument, LineColumns, type Problem } from '../core/lint';
import type { BlobStatter, ReadOnlyTarget } from '../core/content';
import type { Manifest } from '../core/oci';

export interface ManifestCheck {
  /** `file:line:col severity code message`, as `stowage lint` prints them. */
  lines: string[];
  errors: number;
  /** What the check found, for the notes of a push (missingBlobs). */
  problems: Problem[];
}

export async function checkManifestBeforePush(
  bytes: Buffer,
  name: string,
  hints: { mediaType?: string; manifest?: Manifest },
  target: (ReadOnlyTarget & Partial<BlobStatter>) | undefined,
  signal: AbortSignal,
): Promise<ManifestCheck> {
  const document = decodeDocument(bytes);
  const problems = await checkManifestForPush(document, hints, target, signal);
  const shown = problems.filter((p) => p.severity !== 'info');
  const lines = new LineColumns(document.text);
  return {
    lines: shown.map((p) => {
      const { line, column } = lines.at(p.offset);
      return `${name}:${line + 1}:${column + 1} ${p.severity} ${p.code} ${p.message}`;
    }),
    errors: shown.filter((p) => p.severity === 'error').length,
    problems,
  };
}
