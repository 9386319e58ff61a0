// Media-type grammar: isMediaType agrees with an independent reading of RFC 6838 section 4.2, and the
// "did you mean" helper never throws on what it refuses.
import { isMediaType, suggestMediaType, WELL_KNOWN_MEDIA_TYPES } from '../../../src/core/lint';
import { PropertyViolation, type FuzzTarget } from '../fuzzTarget';
import { mutateText, randomText } from '../mutate';

const FIRST = /[A-Za-z0-9]/;
const REST = /[A-Za-z0-9!#$&^_.+-]/;

/** type "/" subtype, each 1–127 restricted-name characters starting with a letter or digit. */
function expected(value: string): boolean {
  const parts = value.split('/');
  if (parts.length !== 2) return false;
  return parts.every(
    (part) =>
      part.length >= 1 &&
      part.length <= 127 &&
      FIRST.test(part[0]!) &&
      [...part.slice(1)].every((c) => c.length === 1 && REST.test(c)),
  );
}

const ALPHABET = [
  '/',
  '+',
  '.',
  '-',
  ';',
  '=',
  ' ',
  '*',
  '^',
  '!',
  '#',
  '$',
  '&',
  '_',
  '\u0000',
  'é',
  'v1',
  'json',
  'tar',
  'gzip',
];

export const mediaTypeTarget: FuzzTarget = {
  name: 'media-type parser',
  check(rng) {
    const input = rng.bool(0.7)
      ? mutateText(rng, rng.pick(WELL_KNOWN_MEDIA_TYPES), ALPHABET)
      : randomText(rng, 24, ALPHABET);
    const answer = isMediaType(input);
    if (answer !== expected(input)) throw new PropertyViolation(`isMediaType said ${answer}`, input);
    if (!answer) {
      const suggestion = suggestMediaType(input);
      if (suggestion !== undefined && !isMediaType(suggestion))
        throw new PropertyViolation(`suggested "${suggestion}", not a media type`, input);
    }
  },
};
