// Linter: any text yields a list of problems (never an exception), each with a code, a message and a range
// inside the text; fixes edit inside the text too.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { lint } from '../../../src/core/lint';
import { PropertyViolation, type FuzzTarget } from '../fuzzTarget';
import type { Prng } from '../prng';
import { mutateText, randomText } from '../mutate';

const FIXTURES = path.resolve(__dirname, '../../../../test/fixtures/lint');
const ALPHABET = [
  '{',
  '}',
  '[',
  ']',
  ',',
  ':',
  '"',
  '\\u0000',
  '/*',
  '//',
  '\n',
  'null',
  'true',
  '1e999',
  '-0',
  '"mediaType"',
  '"digest"',
  '"sha256:"',
  '"size"',
  '"layers"',
  '"manifests"',
  '"annotations"',
  '"subject"',
  '"data"',
];
const ODD_VALUES: unknown[] = [
  null,
  true,
  -1,
  1.5,
  2 ** 60,
  '',
  'sha256:' + 'A'.repeat(64),
  'x'.repeat(5000),
  [],
  {},
  [[[[]]]],
  { mediaType: 'application/vnd.oci.image.manifest.v1+json' },
  '=====',
  'application/',
  '\u202e',
];

/** Replaces a random value deep inside parsed JSON with an odd one, or deletes a property. */
function mutateValue(rng: Prng, value: unknown, depth = 0): unknown {
  if (depth > 6 || rng.bool(0.15)) return rng.pick(ODD_VALUES);
  if (Array.isArray(value) && value.length) {
    const copy = [...value];
    const i = rng.int(copy.length);
    if (rng.bool(0.1)) copy.splice(i, 1);
    else copy[i] = mutateValue(rng, copy[i], depth + 1);
    return copy;
  }
  if (value && typeof value === 'object') {
    const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
    const keys = Object.keys(copy);
    if (!keys.length) return copy;
    const key = rng.pick(keys);
    if (rng.bool(0.1)) delete copy[key];
    else copy[key] = mutateValue(rng, copy[key], depth + 1);
    return copy;
  }
  return rng.pick(ODD_VALUES);
}

async function jsonFiles(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { recursive: true });
  return entries
    .filter((e) => (e.endsWith('.json') && !e.endsWith('.expect.json')) || e.endsWith('oci-layout'))
    .map((e) => path.join(dir, e));
}

export const lintTarget: FuzzTarget<{ seeds: { text: string; name: string }[] }> = {
  name: 'linter',
  async setup() {
    const files = await jsonFiles(FIXTURES);
    return {
      seeds: await Promise.all(
        files.map(async (f) => ({ text: await fs.readFile(f, 'utf8'), name: path.basename(f) })),
      ),
    };
  },
  check(rng, { seeds }) {
    const seed = rng.pick(seeds);
    let text: string;
    const mode = rng.int(3);
    if (mode === 0) text = mutateText(rng, seed.text, ALPHABET);
    else if (mode === 1) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(seed.text);
      } catch {
        parsed = {};
      }
      text = JSON.stringify(mutateValue(rng, parsed), null, rng.bool() ? 2 : undefined) ?? 'null';
    } else text = randomText(rng, 40, ALPHABET);
    const hints = rng.bool(0.3) ? { fileName: rng.pick(['index.json', 'oci-layout', 'manifest.json', seed.name]) } : {};
    const problems = lint(text, hints);
    if (!Array.isArray(problems)) throw new PropertyViolation('lint did not return an array', text);
    for (const p of problems) {
      if (typeof p.code !== 'string' || typeof p.message !== 'string' || !p.message)
        throw new PropertyViolation('a problem without code or message', text);
      if (!(p.offset >= 0 && p.length >= 0 && p.offset + p.length <= text.length))
        throw new PropertyViolation(
          `problem ${p.code} has range ${p.offset}+${p.length} outside the text (${text.length})`,
          text,
        );
      for (const edit of p.fix?.edits ?? []) {
        if (!(edit.offset >= 0 && edit.length >= 0 && edit.offset + edit.length <= text.length))
          throw new PropertyViolation(`fix of ${p.code} edits outside the text`, text);
      }
    }
  },
};
