// Validates a whole OCI image layout: lints oci-layout, index.json and every manifest, index and image config
// reachable from index.json (checking each referenced blob's presence, size and digest), then hashes every
// other blob and reports it as unreferenced (linting the content of those that are manifests or indexes). Each problem names the layout file it is in and the JSON path.
// A hostile layout gets problems, not a crash: symbolic links in its structure are reported and never followed,
// non-regular files are not opened, JSON files are read only up to a size cap and nesting depth (parse.ts).
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import {
  isDigest,
  OciError,
  throwIfAborted,
  MAX_INDEX_BYTES,
  MAX_LAYOUT_FILE_BYTES,
  MAX_MANIFEST_BYTES,
  MediaType,
} from '../../oci';
import { LayoutSymlinkError, readLayoutFile } from '../../content';
import { detectKind, isIndexKind, isManifestKind, isObject } from '../detect';
import { descriptorSites } from '../descriptors';
import { lint, type LintContext } from '../lint';
import type { JsonPath, Problem } from '../problem';
import { manifestTooLargeMessage } from '../rules/document';
import { lintWithStore } from '../store';
import { decodeDocument, type DecodedDocument } from '../utf8';
import { LayoutBlobStore } from './LayoutBlobStore';
import { LineColumns, type LineColumn } from './lineColumns';
import { LAYOUT_MARKER } from './layoutFiles';

export interface LayoutProblem extends Problem {
  /** The file the problem is in, relative to the layout: `oci-layout`, `index.json` or `blobs/<alg>/<hex>`. */
  file: string;
  start: LineColumn;
  end: LineColumn;
  /** The blob the problem is about: the one a descriptor names (missing, wrong size, corrupt), or the file itself. */
  blob?: string;
}

export interface LayoutValidationProgress {
  blobsDone: number;
  blobsTotal: number;
  bytesDone: number;
  bytesTotal: number;
}

export interface ValidateLayoutOptions {
  signal?: AbortSignal;
  onProgress?: (progress: Readonly<LayoutValidationProgress>) => void;
  /** Blobs hashed at once (default 4). */
  concurrency?: number;
  /** Garbage collection's grace period, to say when an unreferenced blob goes (default: the editor's and CLI's, 10 minutes). */
  gcGraceMs?: number;
}

/** The grace period of `stowage gc` and Garbage Collect Layout… (core/layout's DEFAULT_GC_GRACE_MS; a unit test keeps them equal). */
export const GC_GRACE_MS = 10 * 60 * 1000;

export interface LayoutValidation {
  root: string;
  problems: LayoutProblem[];
  /** Manifests, indexes and configs linted. */
  documents: number;
  blobs: number;
}

const INDEX_FILE = 'index.json';
const STORE_CODES = new Set(['blob-missing', 'index-ref-missing', 'blob-size-mismatch', 'blob-digest-mismatch']);
const CONFIG_TYPES: readonly string[] = [MediaType.ociConfig, MediaType.dockerConfig];

interface Pending {
  digest: string;
  mediaType?: string;
  /** Index entries and subjects are manifests even when their media type is unusual. */
  manifestRole: boolean;
}

export async function validateLayout(root: string, options: ValidateLayoutOptions = {}): Promise<LayoutValidation> {
  const { signal } = options;
  const problems: LayoutProblem[] = [];
  const blobFiles = await listBlobs(root, problems, signal);
  const progress: LayoutValidationProgress = {
    blobsDone: 0,
    blobsTotal: blobFiles.length,
    bytesDone: 0,
    bytesTotal: blobFiles.reduce((sum, b) => sum + b.size, 0),
  };
  const store = new LayoutBlobStore(root, {
    signal,
    onHashed: ({ bytes }) => {
      progress.blobsDone++;
      progress.bytesDone += bytes;
      options.onProgress?.(progress);
    },
  });
  const lintFile = async (
    file: string,
    read: DecodedDocument,
    context: LintContext,
  ): Promise<Record<string, unknown> | undefined> => {
    const found = await lintWithStore(read, store, context, { signal, concurrency: options.concurrency ?? 4 });
    const document = parsedObject(read.text);
    problems.push(...locate(file, read.text, found, document));
    return document;
  };

  await lintLayoutMarker(root, problems, lintFile);
  const index = await readText(root, INDEX_FILE, MAX_INDEX_BYTES, problems);
  const reached = new Set<string>();
  let documents = 0;
  if (index === undefined) {
    problems.push(
      fileProblem(
        INDEX_FILE,
        'error',
        'layout-index-missing',
        `${INDEX_FILE} is missing or unreadable: nothing in the layout can be found.`,
      ),
    );
  } else {
    const pending = childrenOf(
      await lintFile(INDEX_FILE, index, { fileName: INDEX_FILE, kind: 'layoutIndex' }),
      'layoutIndex',
    );
    while (pending.length) {
      throwIfAborted(signal);
      const next = pending.pop()!;
      if (reached.has(next.digest)) continue;
      reached.add(next.digest);
      const document = await lintBlobDocument(store, next, lintFile, problems);
      if (document) {
        documents++;
        pending.push(...childrenOf(document.value, document.kind));
      }
    }
  }

  for (const blob of blobFiles) {
    throwIfAborted(signal);
    if (reached.has(blob.digest)) continue;
    const file = blobFileName(blob.digest);
    const actual = await store.computeDigest(blob.digest);
    if (actual !== blob.digest) {
      problems.push(
        fileProblem(
          file,
          'error',
          'blob-digest-mismatch',
          `The content stored as ${blob.digest} hashes to ${actual}.`,
          file,
        ),
      );
    } else if (blob.size <= MAX_MANIFEST_BYTES) {
      documents += await lintOrphanDocument(store, file, problems);
    }
    // Without a readable index.json nothing is reachable, and a line per blob would bury the real problem.
    if (index !== undefined) {
      problems.push(
        fileProblem(
          file,
          'info',
          'blob-unreferenced',
          `Not reachable from ${INDEX_FILE} (${blob.size} bytes); ${whenCollected(blob, options.gcGraceMs ?? GC_GRACE_MS)}`,
          file,
        ),
      );
    }
  }
  // Every blob is hashed once, reached or not; the count still ends at the total (a missing blob counts nothing).
  options.onProgress?.({ ...progress, blobsDone: progress.blobsTotal, bytesDone: progress.bytesTotal });
  return { root, problems: problems.sort(byFileAndOffset), documents, blobs: blobFiles.length };
}

type LintFile = (
  file: string,
  read: DecodedDocument,
  context: LintContext,
) => Promise<Record<string, unknown> | undefined>;

async function lintLayoutMarker(root: string, problems: LayoutProblem[], lintFile: LintFile): Promise<void> {
  const reported = problems.length;
  const text = await readText(root, LAYOUT_MARKER, MAX_LAYOUT_FILE_BYTES, problems);
  if (text !== undefined) await lintFile(LAYOUT_MARKER, text, { fileName: LAYOUT_MARKER, kind: 'ociLayout' });
  else if (problems.length === reported)
    problems.push(
      fileProblem(
        LAYOUT_MARKER,
        'error',
        'layout-marker-missing',
        `${LAYOUT_MARKER} is missing: this folder is not an OCI image layout.`,
      ),
    );
}

/**
 * Lints a reached blob when it is a manifest, index or config whose stored bytes match its digest (a corrupt
 * blob is reported by whoever refers to it; its content is not what was meant, so it is not walked). A manifest
 * or index over the registries' limit is reported in its own file without being read: it may be anything.
 */
async function lintBlobDocument(
  store: LayoutBlobStore,
  next: Pending,
  lintFile: LintFile,
  problems: LayoutProblem[],
): Promise<{ value: Record<string, unknown>; kind: 'manifest' | 'index' | 'config' } | undefined> {
  const isConfig = next.mediaType !== undefined && CONFIG_TYPES.includes(next.mediaType);
  const isManifest = next.manifestRole || isManifestLike(next.mediaType);
  if (!isManifest && !isConfig) return undefined;
  const size = await store.blobSize(next.digest);
  if (size === undefined) return undefined;
  if (size > MAX_MANIFEST_BYTES) {
    const file = blobFileName(next.digest);
    if (isManifest)
      problems.push(
        fileProblem(
          file,
          'error',
          'manifest-too-large',
          manifestTooLargeMessage(`manifest (${next.mediaType ?? 'no media type'})`, size),
          file,
        ),
      );
    return undefined;
  }
  if (!(await store.verified(next.digest)) && (await store.computeDigest(next.digest)) !== next.digest)
    return undefined;
  const file = blobFileName(next.digest);
  const read = await readText(store.root, file, MAX_MANIFEST_BYTES);
  if (read === undefined) return undefined;
  const value = await lintFile(file, read, { mediaType: next.mediaType });
  if (!value) return undefined;
  const kind = detectKind(value, { mediaType: next.mediaType });
  if (kind === 'imageConfig') return { value, kind: 'config' };
  return isIndexKind(kind) ? { value, kind: 'index' } : isManifestKind(kind) ? { value, kind: 'manifest' } : undefined;
}

/**
 * An unreferenced manifest or index (say, pushed without a tag) is still linted for its content; its own
 * references are not checked, as garbage collection may already have taken what it pointed to.
 */
async function lintOrphanDocument(store: LayoutBlobStore, file: string, problems: LayoutProblem[]): Promise<number> {
  const read = await readText(store.root, file, MAX_MANIFEST_BYTES);
  const document = read === undefined || !read.text.trimStart().startsWith('{') ? undefined : parsedObject(read.text);
  if (read === undefined || !document) return 0;
  const kind = detectKind(document);
  if (!isManifestKind(kind) && !isIndexKind(kind)) return 0;
  problems.push(...locate(file, read.text, lint(read, { kind }), document));
  return 1;
}

function isManifestLike(mediaType: string | undefined): boolean {
  return (
    mediaType === MediaType.ociManifest ||
    mediaType === MediaType.ociIndex ||
    mediaType === MediaType.dockerManifest ||
    mediaType === MediaType.dockerManifestList
  );
}

/** The descriptors a document refers to, as blobs to reach. */
function childrenOf(
  document: Record<string, unknown> | undefined,
  kind: 'layoutIndex' | 'manifest' | 'index' | 'config',
): Pending[] {
  if (!document || kind === 'config') return [];
  const lintKind = kind === 'layoutIndex' ? 'layoutIndex' : kind === 'index' ? 'ociIndex' : 'ociManifest';
  return descriptorSites(lintKind, document)
    .filter((site) => typeof site.value.digest === 'string' && isDigest(site.value.digest))
    .map((site) => ({
      digest: site.value.digest as string,
      mediaType: typeof site.value.mediaType === 'string' ? site.value.mediaType : undefined,
      manifestRole: site.role === 'manifest' || site.role === 'subject',
    }));
}

function parsedObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Adds the file, line/column positions and, for store findings, the blob the descriptor names. */
function locate(
  file: string,
  text: string,
  problems: Problem[],
  document: Record<string, unknown> | undefined,
): LayoutProblem[] {
  const lines = new LineColumns(text);
  return problems.map((problem) => {
    const located: LayoutProblem = {
      ...problem,
      file,
      start: lines.at(problem.offset),
      end: lines.at(problem.offset + problem.length),
    };
    if (STORE_CODES.has(problem.code)) {
      const digest = valueAt(document, [...problem.path.slice(0, -1), 'digest']);
      if (typeof digest === 'string' && isDigest(digest)) located.blob = blobFileName(digest);
    }
    return located;
  });
}

function valueAt(document: unknown, jsonPath: JsonPath): unknown {
  let current = document;
  for (const step of jsonPath) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string | number, unknown>)[step];
  }
  return current;
}

function fileProblem(
  file: string,
  severity: Problem['severity'],
  code: string,
  message: string,
  blob?: string,
): LayoutProblem {
  const origin = { line: 0, column: 0 };
  return {
    severity,
    code,
    message,
    path: [],
    offset: 0,
    length: 0,
    file,
    start: origin,
    end: origin,
    ...(blob ? { blob } : {}),
  };
}

export function blobFileName(digest: string): string {
  return `blobs/${digest.replace(':', '/')}`;
}

/**
 * A layout file's text (decoded, with any invalid UTF-8 found), read without following links and up to
 * `maxBytes`; undefined when it cannot be read
 * that way. With `problems`, a link, a non-regular file or an oversized file is reported there (a missing one
 * is left to the caller, which knows what its absence means).
 */
async function readText(
  layoutRoot: string,
  relative: string,
  maxBytes: number,
  problems?: LayoutProblem[],
): Promise<DecodedDocument | undefined> {
  try {
    return decodeDocument(
      await readLayoutFile(layoutRoot, path.join(layoutRoot, ...relative.split('/')), maxBytes, relative),
    );
  } catch (err) {
    if (!problems || OciError.is(err, 'NOT_FOUND')) return undefined;
    if (err instanceof LayoutSymlinkError) problems.push(symlinkProblem(err.entry));
    else if (OciError.is(err, 'SIZE_EXCEEDED'))
      problems.push(
        fileProblem(
          relative,
          'error',
          'layout-file-too-large',
          `${relative} is larger than ${maxBytes} bytes: not read.`,
        ),
      );
    else
      problems.push(
        fileProblem(
          relative,
          'error',
          'layout-file-unreadable',
          `${relative} cannot be read as a regular file (${(err as Error).message}).`,
        ),
      );
    return undefined;
  }
}

function symlinkProblem(entry: string): LayoutProblem {
  return fileProblem(
    entry,
    'error',
    'layout-symlink',
    `${entry} is a symbolic link: an OCI image layout holds its own files, so it is not followed (Stowage refuses to write into this layout until it is replaced by what it points to).`,
  );
}

interface BlobFile {
  digest: string;
  size: number;
  mtimeMs: number;
}

/** When garbage collection takes an unreferenced blob: it keeps young ones, which a push may still be tagging. */
function whenCollected(blob: BlobFile, graceMs: number, now = Date.now()): string {
  const grace = `${Math.round(graceMs / 60_000)} minutes`;
  const age = now - blob.mtimeMs;
  if (age >= graceMs) return `garbage collection removes it (it is older than ${grace}).`;
  const left = Math.max(1, Math.ceil((graceMs - age) / 60_000));
  return `garbage collection removes it once it is older than ${grace} (in about ${left} min; younger blobs are kept, as a push may still be tagging them).`;
}

/**
 * Every blob file of the layout (temp files of writers and names that are no digest are skipped). Symbolic
 * links (blobs, blobs/<alg>, a blob file) are reported as problems and not followed.
 */
async function listBlobs(
  root: string,
  problems: LayoutProblem[],
  signal: AbortSignal | undefined,
): Promise<BlobFile[]> {
  const blobsDir = path.join(root, 'blobs');
  if ((await fs.lstat(blobsDir).catch(() => undefined))?.isSymbolicLink()) {
    problems.push(symlinkProblem('blobs'));
    return [];
  }
  const algorithms = await fs.readdir(blobsDir, { withFileTypes: true }).catch(() => []);
  const blobs: BlobFile[] = [];
  for (const algorithm of algorithms) {
    if (algorithm.isSymbolicLink()) problems.push(symlinkProblem(`blobs/${algorithm.name}`));
    if (!algorithm.isDirectory()) continue;
    for (const entry of await fs.readdir(path.join(blobsDir, algorithm.name), { withFileTypes: true })) {
      throwIfAborted(signal);
      const digest = `${algorithm.name}:${entry.name}`;
      if (entry.isSymbolicLink() && isDigest(digest))
        problems.push(symlinkProblem(`blobs/${algorithm.name}/${entry.name}`));
      if (!entry.isFile() || !isDigest(digest)) continue;
      const stat = await fs.lstat(path.join(blobsDir, algorithm.name, entry.name));
      blobs.push({ digest, size: stat.size, mtimeMs: stat.mtimeMs });
    }
  }
  return blobs.sort((a, b) => a.digest.localeCompare(b.digest));
}

function byFileAndOffset(a: LayoutProblem, b: LayoutProblem): number {
  const rank = (file: string) => (file === LAYOUT_MARKER ? 0 : file === INDEX_FILE ? 1 : 2);
  return (
    rank(a.file) - rank(b.file) || a.file.localeCompare(b.file) || a.offset - b.offset || a.code.localeCompare(b.code)
  );
}
