// Reference parser: any text either parses or throws InvalidReferenceError, and what parses survives a
// format → parse round trip unchanged.
import { InvalidReferenceError } from '../../../src/core/oci/errors';
import { formatReference, parseReference } from '../../../src/core/oci/reference';
import { PropertyViolation, type FuzzTarget } from '../fuzzTarget';
import { mutateText, randomText } from '../mutate';

const SEEDS = [
  'alpine',
  'alpine:3.20',
  'docker.io/library/alpine@sha256:' + 'a'.repeat(64),
  'ghcr.io/org/team/app:v1.2.3',
  'localhost:5000/repo:tag',
  '127.0.0.1:5000/a/b@sha512:' + 'b'.repeat(128),
  '[::1]:5000/x:y',
  'docker://quay.io/x/y',
  'oci:./layout:v1',
  'oci:/abs/path@sha256:' + 'c'.repeat(64),
  'oci:C:\\layouts\\x:tag',
  'oci:dir:with:colons:t',
];

export const referenceTarget: FuzzTarget = {
  name: 'reference parser',
  check(rng) {
    const input = rng.bool(0.7) ? mutateText(rng, rng.pick(SEEDS)) : randomText(rng);
    let parsed;
    try {
      parsed = parseReference(input);
    } catch (err) {
      if (err instanceof InvalidReferenceError) return;
      throw err;
    }
    const text = formatReference(parsed);
    let again;
    try {
      again = parseReference(text);
    } catch (err) {
      throw new PropertyViolation(
        `"${text}" (formatted from a parsed reference) does not parse: ${(err as Error).message}`,
        input,
      );
    }
    if (JSON.stringify(again) !== JSON.stringify(parsed))
      throw new PropertyViolation(`round trip changed ${JSON.stringify(parsed)} into ${JSON.stringify(again)}`, input);
  },
};
