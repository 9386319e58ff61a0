// A folder moved into the workspace from outside (mv) is reported as that folder alone, never as the files inside
// it: the oci-layout watcher says nothing of a layout moved in. Each created path is checked for an oci-layout file
// inside (one stat; a file fails it at once), at most MAX_CHECKED_PER_BURST in one burst of events (an unpacked
// archive or a build reports thousands of files: the rest of such a burst is left to the next search).
import { isLayoutFolder } from '../../core/lint';

export const MAX_CHECKED_PER_BURST = 64;

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
    const layouts = await Promise.all(paths.map((p) => isLayoutFolder(p)));
    if (layouts.some(Boolean)) this.onLayoutCreated();
  }
}
