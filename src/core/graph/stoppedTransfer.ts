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

export interface StoppedTransfer {
  /** A copy of many tags (copy --all-tags) goes from any store into any other. */
  run: 'backup' | 'restore' | 'copy';
  cancelled: boolean;
  /** The destination as the user knows it. */
  where: string;
  done: Pick<DoneSoFar, 'tags' | 'untagged'>;
  /** How to go on, in the words of the caller: "Restore to Registry… again", "the same command again". */
  again: string;
}

/** Each run's words: its name, what its destination does with the tags, done to them, to the blobs, by a rerun. */
const WORDS: Record<
  StoppedTransfer['run'],
  { name: string; holds: string; done: string; blobs: string; moves: string }
> = {
  backup: { name: 'Backup', holds: 'keeps', done: 'backed up', blobs: 'fetched', moves: 'fetches' },
  restore: { name: 'Restore', holds: 'has', done: 'restored', blobs: 'pushed', moves: 'pushes' },
  copy: { name: 'Copy', holds: 'has', done: 'copied', blobs: 'copied', moves: 'copies' },
};

/**
 * The parts of what is said: "Restore cancelled", "r.io/app has 3 tags and 1 manifest by digest restored whole so far,
 * and the blobs pushed for the others", "Restore to Registry… again pushes only what is missing".
 */
export function stoppedTransferWords(stop: StoppedTransfer): { headline: string; kept: string; rerun: string } {
  const words = WORDS[stop.run];
  const what = [
    counted(stop.done.tags, 'tag'),
    ...(stop.done.untagged ? [`${counted(stop.done.untagged, 'manifest')} by digest`] : []),
  ].join(' and ');
  return {
    headline: `${words.name} ${stop.cancelled ? 'cancelled' : 'stopped'}`,
    kept: `${stop.where} ${words.holds} ${what} ${words.done} whole so far, and the blobs ${words.blobs} for the others`,
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
