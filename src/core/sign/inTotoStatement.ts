// The in-toto statement an attestation signs (in-toto/attestation spec v1: _type, subject[].digest,
// predicateType, predicate): what it is about and what kind of claim it makes. Read from signed or unsigned bytes
// alike; the caller decides what a claim is worth. Its strings are the signer's (or a registry's): untrusted.
import { type Descriptor, firstRepeatedKey, parseJsonObject } from '../oci';
import { quoted } from './dsse';
import { IN_TOTO_PAYLOAD_TYPE } from './sigstore';

export interface InTotoStatement {
  /** The predicate type URI, as written (cut to MAX_PREDICATE_TYPE_CHARS); absent when the statement names none. */
  predicateType?: string;
  /** `algorithm:hex` of every subject digest named, in order. */
  subjectDigests: string[];
}

/** Subject digests kept of one statement (a statement about a whole release may name many files). */
export const MAX_STATEMENT_SUBJECTS = 1_000;
const MAX_PREDICATE_TYPE_CHARS = 256;

export function parseInTotoStatement(payload: Buffer): InTotoStatement | { problem: string } {
  const statement = parseJsonObject(payload);
  if (!statement) return { problem: 'the signed in-toto statement is not a JSON object' };
  // Two predicateTypes (or two digests under one algorithm) would let this reader and cosign's see different claims.
  const repeated = firstRepeatedKey(payload.toString('utf8'));
  if (repeated !== undefined)
    return {
      problem: `the signed in-toto statement repeats the key ${quoted(repeated)}: readers disagree on which wins`,
    };
  const { subject, predicateType } = statement;
  if (!Array.isArray(subject)) return { problem: 'the signed in-toto statement has no subject list' };
  const subjectDigests: string[] = [];
  for (const entry of (subject as unknown[]).slice(0, MAX_STATEMENT_SUBJECTS)) {
    const digests = (entry as { digest?: unknown } | null)?.digest;
    if (!digests || typeof digests !== 'object') continue;
    for (const [algorithm, hex] of Object.entries(digests as Record<string, unknown>))
      if (typeof hex === 'string') subjectDigests.push(`${algorithm}:${hex}`);
  }
  if (typeof predicateType !== 'string' || !predicateType) return { subjectDigests };
  const cut = predicateType.length > MAX_PREDICATE_TYPE_CHARS;
  return {
    predicateType: cut ? `${predicateType.slice(0, MAX_PREDICATE_TYPE_CHARS)}…` : predicateType,
    subjectDigests,
  };
}

/** Why the statement is not about `subject` (naming the digests it is about); empty when it names it. */
export function statementSubjectReasons(statement: InTotoStatement, subject: Descriptor): string[] {
  if (statement.subjectDigests.includes(subject.digest)) return [];
  const algorithm = subject.digest.split(':')[0]!;
  const same = statement.subjectDigests.filter((digest) => digest.startsWith(`${algorithm}:`));
  const shown = same.slice(0, 3).map((digest) => quoted(digest, 80).slice(1, -1));
  return [
    `the signed statement's subjects are ${shown.length ? shown.join(', ') : `without a ${algorithm} digest`}, not ${subject.digest}`,
  ];
}

/** The statement inside a DSSE payload of `payloadType`, or why there is none to judge. */
export function inTotoStatementOf(payloadType: string, payload: Buffer): InTotoStatement | { problem: string } {
  if (payloadType !== IN_TOTO_PAYLOAD_TYPE)
    return {
      problem: `the envelope signs a ${quoted(payloadType)} payload, not an in-toto statement (${IN_TOTO_PAYLOAD_TYPE})`,
    };
  return parseInTotoStatement(payload);
}
