// Where a file sits in an OCI image layout, so it can be linted with the layout's name-based rules and its
// blobs checked. Only files that really are in a layout (an `oci-layout` beside them) get a file name hint:
// an `index.json` elsewhere is usually something else entirely.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { isDigest } from '../../oci';

export const LAYOUT_MARKER = 'oci-layout';

/** `draft`: a JSON file of one's own beside `index.json` (a manifest being written, to push into the layout). */
export type LayoutFileRole = 'ociLayout' | 'index' | 'blob' | 'draft';

export interface LayoutFile {
  /** The layout folder. */
  root: string;
  role: LayoutFileRole;
  /** The path relative to the layout, with forward slashes (`index.json`, `blobs/sha256/<hex>`). */
  relative: string;
}

export async function isLayoutFolder(folder: string): Promise<boolean> {
  const stat = await fs.stat(path.join(folder, LAYOUT_MARKER)).catch(() => undefined);
  return stat?.isFile() ?? false;
}

/** The layout `file` belongs to, or undefined when it is not one of a layout's own files. */
export async function layoutFileOf(file: string): Promise<LayoutFile | undefined> {
  const absolute = path.resolve(file);
  const name = path.basename(absolute);
  const parent = path.dirname(absolute);
  if (name === LAYOUT_MARKER) return { root: parent, role: 'ociLayout', relative: name };
  if (name === 'index.json')
    return (await isLayoutFolder(parent)) ? { root: parent, role: 'index', relative: name } : undefined;
  // Its descriptors name the layout's blobs: they are checked there, and fixed from there.
  if (name.toLowerCase().endsWith('.json'))
    return (await isLayoutFolder(parent)) ? { root: parent, role: 'draft', relative: name } : undefined;
  const algorithm = path.basename(parent);
  const blobs = path.dirname(parent);
  if (path.basename(blobs) !== 'blobs' || !isDigest(`${algorithm}:${name}`)) return undefined;
  const root = path.dirname(blobs);
  return (await isLayoutFolder(root)) ? { root, role: 'blob', relative: `blobs/${algorithm}/${name}` } : undefined;
}

/** What to tell the linter about a layout file: layout files are known by name; blobs and drafts by content. */
export function lintFileName(file: LayoutFile): string | undefined {
  return file.role === 'blob' || file.role === 'draft' ? undefined : file.relative;
}
