// Is a manifest listed as a referrer of a subject really one? A listing (a fallback index, a referrers API answer)
// is only a claim: anyone who can push can write tag `sha256-<hex>` as an index naming any manifest. A referrer is
// a manifest whose own `subject` names that subject. The referrers doctor (its wrong-subject check), delete and
// copy with referrers judge by this one rule; cosign's `.sig/.att/.sbom` tags carry no subject and are judged by
// their content (cosignTagSubject.ts).
import { type Descriptor, type Manifest, OciError } from '../oci';
import { createLimiter, type FetchedManifest, type ReadOnlyTarget } from '../content';
import type { Referrer } from './referrers';
import { cosignTagProblem } from './cosignTagSubject';

/** Undefined when `manifest` refers to `subject`; else the subject it names instead (undefined: none). */
export function subjectMismatch(manifest: Manifest, subject: string): { named: string | undefined } | undefined {
  const named = manifest.subject?.digest;
  return named === subject ? undefined : { named };
}

/** A manifest a listing named as a referrer of `listedUnder` that is not one. */
export interface NotAReferrer {
  digest: string;
  listedUnder: string;
  /** The subject its manifest names (undefined: none). */
  named?: string;
  /** Its manifest is not in the store (nothing to judge, nothing to delete). */
  missing?: boolean;
  /** For a cosign tag: why its content is not about the subject. */
  reason?: string;
  source: Referrer['source'];
}

/** How many listed referrers' manifests are read at once to judge them. */
const READS_AT_ONCE = 4;

export interface ReferrerJudge {
  /** True when `referrer` refers to `subject` (a cosign tag's content is about it); else it joins `refused`. */
  accept(subject: string, referrer: Referrer): Promise<boolean>;
  /** The referrers of `subject` in `listed` that `accept` keeps, in their order. */
  keep(subject: string, listed: readonly Referrer[]): Promise<Referrer[]>;
  readonly refused: readonly NotAReferrer[];
}

/**
 * Judges listed referrers by reading their manifests (each once, a few at a time, size-capped as every manifest
 * read); keeps what it refused, for the caller to report. Cosign tag referrers are judged by their content.
 */
export function referrerJudge(
  target: ReadOnlyTarget,
  signal?: AbortSignal,
  /** How a listed manifest is read: a copy passes its own, so that a referrer it keeps is not fetched again. */
  fetch: (descriptor: Descriptor) => Promise<FetchedManifest> = (d) => target.fetchManifest(d, { signal }),
  /**
   * Judge cosign tags by their content (default). Verify passes false: it checks every signature payload itself and
   * reports a payload about another manifest as that signature's failure, which says more than "not a referrer".
   */
  cosignTagsByContent = true,
): ReferrerJudge {
  const refused: NotAReferrer[] = [];
  const limit = createLimiter(READS_AT_ONCE);
  const fetchOrMissing = (referrer: Referrer): Promise<Manifest | undefined> =>
    limit(async () => {
      try {
        return (await fetch(referrer.descriptor)).manifest;
      } catch (err) {
        if (OciError.is(err, 'NOT_FOUND')) return undefined;
        throw err;
      }
    });
  // What a verdict needs of each manifest read, not the manifest: a hostile listing's hundreds of 4 MiB manifests
  // would otherwise all be held until the walk ends.
  const subjects = new Map<string, Promise<{ named: string | undefined } | undefined>>();
  const namedSubject = (referrer: Referrer): Promise<{ named: string | undefined } | undefined> => {
    const { digest } = referrer.descriptor;
    let read = subjects.get(digest);
    if (!read) {
      read = fetchOrMissing(referrer).then((manifest) => manifest && { named: shortText(manifest.subject?.digest) });
      subjects.set(digest, read);
    }
    return read;
  };
  const judge: ReferrerJudge = {
    refused,
    async keep(subject, listed) {
      const verdicts = await Promise.all(listed.map((r) => judge.accept(subject, r)));
      return listed.filter((_, i) => verdicts[i]);
    },
    async accept(subject, referrer) {
      const refuse = (why: Partial<NotAReferrer>) => {
        refused.push({ digest: referrer.descriptor.digest, listedUnder: subject, source: referrer.source, ...why });
        return false;
      };
      if (referrer.source === 'cosign-tag') {
        if (!cosignTagsByContent) return true;
        // Judged by its content, read each time: a subject has at most three cosign tags.
        const manifest = await fetchOrMissing(referrer);
        if (!manifest) return refuse({ missing: true });
        const reason = await cosignTagProblem(target, referrer.tag ?? '', manifest, subject, signal);
        return reason ? refuse({ reason }) : true;
      }
      const read = await namedSubject(referrer);
      if (!read) return refuse({ missing: true });
      return read.named === subject ? true : refuse(read.named !== undefined ? { named: read.named } : {});
    },
  };
  return judge;
}

/**
 * A manifest's subject digest as kept and shown: at most 200 characters (a real digest is shorter, so a cut one
 * equals no subject), and something other than text shown as JSON.
 */
function shortText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  const text = typeof value === 'string' ? value : String(JSON.stringify(value));
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

type JudgedAction = 'delete' | 'copy' | 'show' | 'verify';
const PAST: Record<JudgedAction, string> = { delete: 'deleted', copy: 'copied', show: 'shown', verify: 'verified' };

/** One line for a listed manifest that `action` left alone because it is not a referrer of what listed it. */
export function describeNotAReferrer(r: NotAReferrer, action: JudgedAction): string {
  const listed = `${r.digest} is listed as a referrer of ${r.listedUnder}`;
  if (r.missing) return `${listed} but is not there; nothing to ${action}`;
  const why = r.reason ?? (r.named ? `its manifest names ${r.named} as its subject` : 'its manifest names no subject');
  return `${listed} but is not one (${why}); not ${PAST[action]}`;
}
