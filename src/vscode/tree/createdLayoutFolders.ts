// A folder moved into the workspace from outside (mv) is reported as that folder alone, never as the files inside
// it: the oci-layout watcher says nothing of a layout moved in, however deep in the folder it sits. Each created
// path is looked into for an oci-layout file, in it or in folders below it (a file fails at once), within bounds
// that keep a huge folder moved in from stalling the extension host: at most MAX_CHECKED_PER_BURST paths of one
// burst of events (an unpacked archive or a build reports thousands of files), LAYOUT_SEARCH levels down and
// folders listed in all; what lies beyond is left to the next search of the workspace.
import { holdsLayoutWithin, type LayoutSearchLimits } from '../../core/lint';

export const MAX_CHECKED_PER_BURST = 64;
export const LAYOUT_SEARCH: LayoutSearchLimits = { maxDepth: 6, maxFolders: 400 };

export class CreatedLayoutFolders {
  private readonly pending = new Set<string>();

  constructor(
    /** Called once per burst in which a created folder turned out to hold a layout. */
    private readonly onLayoutCreated: () => void,
  ) {}

  created(fsPath: string): void {
    if (this.pending.size >= MAX_CHECKED_PER_BURST) return;
    this.pending.add(fsPath);
    // The events of one move or copy arrive together: they are checked together, after them.
    if (this.pending.size === 1) setImmediate(() => void this.check());
  }

  private async check(): Promise<void> {
    const paths = [...this.pending];
    this.pending.clear();
    if (await holdsLayoutWithin(paths, LAYOUT_SEARCH)) this.onLayoutCreated();
  }
}
