// A reference as a notification or question names it: a layout inside the workspace by its path there
// ("oci:demo-layout:v1"), so a toast shows what happened rather than an absolute path cut off half-way. Only for
// text people read: what is copied, pasted, logged or written into a file keeps the whole path (formatReference).
import * as path from 'node:path';
import * as vscode from 'vscode';
import { formatReference, type Reference } from '../core/oci';

export function shownReference(ref: Reference): string {
  if (ref.kind !== 'layout') return formatReference(ref);
  // With several workspace folders the folder's name leads, as the Explorer shows it.
  const several = (vscode.workspace.workspaceFolders?.length ?? 0) > 1;
  const relative = vscode.workspace.asRelativePath(ref.path, several);
  // Outside the workspace (or the workspace folder itself) the whole path stays.
  if (!relative || relative === ref.path || relative.endsWith('/') || path.isAbsolute(relative)) {
    return formatReference(ref);
  }
  return formatReference({ ...ref, path: relative });
}
