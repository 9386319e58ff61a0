// The loads running under tree nodes (a manifest's children and referrers, a list of tags), each with an
// AbortSignal that ends it when it no longer matters: its node or an ancestor is refreshed or collapsed, or the
// view goes away. VS Code's getChildren takes no cancellation token, so the tree keeps its own. Node ids are
// paths ("registry/repo/tag:v1/…"), so "under" is a prefix match.
import { AbortedError } from '../../core/oci';

export class NodeWalks {
  private readonly running = new Map<string, Set<AbortController>>();

  /** A signal for a load under `id`; call `finish` with it when the load is over. */
  start(id: string): AbortSignal {
    const controller = new AbortController();
    let set = this.running.get(id);
    if (!set) this.running.set(id, (set = new Set()));
    set.add(controller);
    return controller.signal;
  }

  finish(id: string, signal: AbortSignal): void {
    const set = this.running.get(id);
    if (!set) return;
    for (const controller of set) if (controller.signal === signal) set.delete(controller);
    if (set.size === 0) this.running.delete(id);
  }

  /** Aborts the loads of `id` and of every node below it (all loads when `id` is undefined). */
  abortUnder(id?: string): void {
    for (const [key, set] of [...this.running]) {
      if (id !== undefined && key !== id && !key.startsWith(`${id}/`)) continue;
      for (const controller of set) controller.abort(new AbortedError());
      this.running.delete(key);
    }
  }

  /** Whether any load runs under `id` (or is its own). */
  runningUnder(id: string): boolean {
    for (const key of this.running.keys()) if (key === id || key.startsWith(`${id}/`)) return true;
    return false;
  }

  /** How many loads are running (for tests). */
  get size(): number {
    let n = 0;
    for (const set of this.running.values()) n += set.size;
    return n;
  }
}
