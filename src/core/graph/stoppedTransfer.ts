// What a backup or restore (a run of many tags: copyTags) had done whole when it stopped, cancelled or failed, and
// the one sentence that says it, for the editor's notice and the command line's message alike. A restore of rows
// chosen by digest copies manifests no tag names: they are counted as such (the words counted tags only).
import { counted } from '../oci';
import type { TagEvent } from './copyTags';

/** The tags and the manifests named by digest done so far, counted from a run's `done` events (its onTag). */
export class DoneSoFar {
  tags = 0;
  untagged = 0;
  readonly onTag = (event: TagEvent): void => {
    if (event.phase !== 'done') return;
    if (event.untagged) this.untagged++;
    else this.tags++;
  };
}

/**
 * How each kind of run says what it did, would do (a dry run), holds and what the rest cost — in the CLI's summary and
 * stop line and the editor's notices alike: a copy's destination may be a layout or a registry.
 */
const RUN_WORDS = {
  backup: { title: 'Backup', holds: 'keeps', done: 'backed up', plan: 'back up', moved: 'fetched', moves: 'fetches' },
  restore: { title: 'Restore', holds: 'has', done: 'restored', plan: 'restore', moved: 'pushed', moves: 'pushes' },
  copy: { title: 'Copy', holds: 'has', done: 'copied', plan: 'copy', moved: 'copied', moves: 'copies' },
} as const;

/** A run of many tags: `stowage backup`, `restore`, `copy --all-tags` and the editor's commands behind them. */
export type RunKind = keyof typeof RUN_WORDS;

/** The words of a kind of run (RUN_WORDS). */
export function runWords(run: RunKind): (typeof RUN_WORDS)[RunKind] {
  return RUN_WORDS[run];
}

export interface StoppedTransfer {
  run: RunKind;
  cancelled: boolean;
  /** The destination as the user knows it. */
  where: string;
  done: Pick<DoneSoFar, 'tags' | 'untagged'>;
  /**
   * The tags the destination lists now, when they may be more than this run's (a backup into a folder that held
   * some already): said only when they differ.
   */
  listed?: number;
  /** How to go on, in the words of the caller: "Restore to Registry… again", "the same command again". */
  again: string;
}

/**
 * The parts of what is said: "Restore cancelled", "r.io/app has 3 tags and 1 manifest by digest restored whole so far,
 * and the blobs pushed for the others", "Restore to Registry… again pushes only what is missing".
 */
export function stoppedTransferWords(stop: StoppedTransfer): { headline: string; kept: string; rerun: string } {
  const words = RUN_WORDS[stop.run];
  const what = [
    counted(stop.done.tags, 'tag'),
    ...(stop.done.untagged ? [`${counted(stop.done.untagged, 'manifest')} by digest`] : []),
  ].join(' and ');
  const ownTags = stop.done.tags + stop.done.untagged;
  const inAll = stop.listed !== undefined && stop.listed !== ownTags ? ` (${counted(stop.listed, 'tag')} in all)` : '';
  return {
    headline: `${words.title} ${stop.cancelled ? 'cancelled' : 'stopped'}`,
    kept: `${stop.where} ${words.holds} ${what} ${words.done} whole so far${inAll}, and the blobs ${words.moved} for the others`,
    rerun: `${stop.again} ${words.moves} only what is missing`,
  };
}

/**
 * "Restore cancelled: r.io/app has 3 tags and 1 manifest by digest restored whole so far, and the blobs pushed for
 * the others. Restore to Registry… again pushes only what is missing."
 */
export function describeStoppedTransfer(stop: StoppedTransfer): string {
  const { headline, kept, rerun } = stoppedTransferWords(stop);
  return `${headline}: ${kept}. ${rerun}.`;
}
