// Where a transfer of many tags (copy --all-tags, backup, restore) stopped, how much was done and left, and why it
// could not go on: the line printed before the error, and the same fields in --format json.
import { counted } from '../core/oci';
import { runWords, type RunKind, type TagEvent } from '../core/graph';
import { redactSecrets } from '../core/registry';
import { errorWords } from './systemErrors';

export interface RunStopRecord {
  tag: string;
  untagged?: true;
  /** 1-based, of `count`. */
  position: number;
  count: number;
  /**
   * Tags done before it (listed by the destination), tags stored but not listed (a layout's index.json could not be
   * written: a rerun lists them), tags passed by as failed (--keep-going), tags not reached.
   */
  done: number;
  unlisted: number;
  failed: number;
  left: number;
  /** The run stopped at its last write of the tags it copied (a layout's index.json), after every tag was copied. */
  listing?: true;
  /** Why the run could not go past it (see TagEvent.endsRun). */
  stop: NonNullable<TagEvent['endsRun']>;
  reason: string;
  code?: string;
}

/** The record of a failed event that ends the run; `failedBefore`: the tags --keep-going passed by before it. */
export function runStopOf(event: TagEvent, failedBefore: number): RunStopRecord {
  const { code } = (event.error ?? {}) as { code?: unknown };
  return {
    tag: event.tag,
    ...(event.untagged ? { untagged: true as const } : {}),
    ...(event.listing ? { listing: true as const } : {}),
    position: event.position,
    count: event.count,
    // At the last write every tag up to this one was copied; otherwise this one was not.
    done: event.position - (event.listing ? 0 : 1) - failedBefore - (event.unlisted ?? 0),
    unlisted: event.unlisted ?? 0,
    failed: failedBefore,
    left: event.count - event.position,
    stop: event.endsRun ?? 'failure',
    reason: redactSecrets(errorWords(event.error)),
    ...(typeof code === 'string' ? { code } : {}),
  };
}

/** "tag v2", or "manifest sha256:…" for a manifest named by digest. */
export function failedTagName(event: Pick<TagEvent, 'tag' | 'untagged'>): string {
  return event.untagged ? `manifest ${event.tag}` : `tag ${event.tag}`;
}

/** What gets past it on a rerun, by why it stopped. */
const RERUN: Record<RunStopRecord['stop'], string> = {
  failure: '--keep-going goes on past a failing tag',
  credentials: '--keep-going does not go past refused credentials: log in again first',
  storage: '--keep-going does not go past the storage written to: make room or fix it first',
};

/**
 * "stopped at tag v2 (2/3): 1 tag backed up, 1 left (a rerun fetches only what is missing; …)" in the run's words
 * (runWords: the editor's notice says the same facts so), with ", 40 stored but not listed in index.json" after the
 * tags done when a layout's index.json could not be written; "stopped at the last write of index.json, after the
 * last tag (3/3): …" when that write was the run's last.
 */
export function describeRunStop(stop: RunStopRecord, run: RunKind): string {
  const words = runWords(run);
  const what = stop.listing ? 'the last write of index.json, after the last tag' : failedTagName(stop);
  const unlisted = stop.unlisted ? `, ${stop.unlisted} stored but not listed in index.json` : '';
  const failed = stop.failed ? `, ${stop.failed} failed` : '';
  const rerun = `a rerun ${stop.unlisted ? 'lists those stored and ' : ''}${words.moves} only what is missing`;
  return `stopped at ${what} (${stop.position}/${stop.count}): ${counted(stop.done, 'tag')} ${words.done}${unlisted}${failed}, ${stop.left} left (${rerun}; ${RERUN[stop.stop]})`;
}
