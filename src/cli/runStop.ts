// Where a transfer of many tags (copy --all-tags, backup, restore) stopped, how much was done and left, and why it
// could not go on: the line printed before the error, and the same fields in --format json.
import { counted } from '../core/oci';
import type { TagEvent } from '../core/graph';
import { redactSecrets } from '../core/registry';
import { errorWords } from './systemErrors';

export interface RunStopRecord {
  tag: string;
  untagged?: true;
  /** 1-based, of `count`. */
  position: number;
  count: number;
  /** Tags done before it, tags passed by as failed (--keep-going), tags not reached. */
  done: number;
  failed: number;
  left: number;
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
    position: event.position,
    count: event.count,
    done: event.position - 1 - failedBefore,
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

/** "stopped at tag v2 (2/3): 1 tag done, 1 left (a rerun moves only what is missing; …)". */
export function describeRunStop(stop: RunStopRecord): string {
  const what = failedTagName(stop);
  const failed = stop.failed ? `, ${stop.failed} failed` : '';
  return `stopped at ${what} (${stop.position}/${stop.count}): ${counted(stop.done, 'tag')} done${failed}, ${stop.left} left (a rerun moves only what is missing; ${RERUN[stop.stop]})`;
}
