// A DSSE envelope may carry several signatures (one per signer). As cosign (and the DSSE protocol) verify one, it
// is verified when any of its signatures verifies with the trust given, and the verdict says which; one good and
// one bad is verified. Only when none verifies does it fail, naming each. The envelope's reader caps how many
// there are (MAX_DSSE_SIGNATURES), so this checks every one, and says how many it checked (`checks`: each is a
// verification, up to 16 per envelope, that the caller's budget must count).
import type { VerificationResult } from './verifySignature';

/** `check(i)` judges signature `i` of `count` alone (same statement, same trust). */
export function anySignature(count: number, check: (index: number) => VerificationResult): VerificationResult {
  if (count === 1) return check(0);
  const results: VerificationResult[] = [];
  for (let index = 0; index < count; index++) {
    const result = check(index);
    if (result.ok) return { ...result, envelopeSignature: { index: index + 1, of: count }, checks: index + 1 };
    results.push(result);
  }
  const first = results[0]!;
  // Not one could be checked (no trust material for them): not checkable, as a single one would be.
  if (results.every((result) => result.unverifiable)) return { ...first, checks: count };
  const { unverifiable: _none, ...rest } = first;
  return {
    ...rest,
    ok: false,
    checks: count,
    reasons: results.flatMap((result, index) =>
      result.reasons.map((reason) => `signature ${index + 1} of ${count}: ${reason}`),
    ),
  };
}
