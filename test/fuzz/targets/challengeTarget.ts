// WWW-Authenticate parser: never throws, and yields lowercase token schemes with string parameters in plain
// objects (a hostile "__proto__" parameter must not change an object's prototype).
import { parseChallenges } from '../../../src/core/registry/challenge';
import { PropertyViolation, type FuzzTarget } from '../fuzzTarget';
import { mutateText, randomText } from '../mutate';

const SEEDS = [
  'Bearer realm="https://auth.example/token",service="registry.example",scope="repository:a/b:pull,push"',
  'Basic realm="Registry Realm"',
  'Bearer realm="https://a/t",error="insufficient_scope", Basic realm="x", Negotiate abc==',
  'Bearer scope="repository:x:pull repository:y:pull",realm=https://r/t',
  'Bearer realm="quoted \\"inner\\", comma",service=s',
];
const ALPHABET = [
  '"',
  '\\',
  ',',
  '=',
  ' ',
  'realm',
  'service',
  'scope',
  'error',
  '__proto__',
  'constructor',
  'Bearer',
  'Basic',
  '==',
  '\t',
  '\u0000',
  'é',
];
const TOKEN = /^[!#$%&'*+.^_`|~0-9a-z-]+$/;

export const challengeTarget: FuzzTarget = {
  name: 'challenge parser',
  check(rng) {
    const one = () => (rng.bool(0.7) ? mutateText(rng, rng.pick(SEEDS), ALPHABET) : randomText(rng, 24, ALPHABET));
    const input = rng.bool(0.2) ? [one(), one()] : one();
    const challenges = parseChallenges(input);
    for (const challenge of challenges) {
      if (!TOKEN.test(challenge.scheme))
        throw new PropertyViolation(`scheme "${challenge.scheme}" is not a lowercase token`, input);
      if (Object.getPrototypeOf(challenge.params) !== Object.prototype)
        throw new PropertyViolation('a parameter replaced the prototype of params', input);
      for (const [name, value] of Object.entries(challenge.params)) {
        if (typeof value !== 'string') throw new PropertyViolation(`parameter ${name} is not a string`, input);
      }
    }
  },
};
