// Loads the lint corpus: valid documents, and invalid ones with a sidecar naming the expected problem.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { JsonPath } from '../../../src/core/lint';

export const CORPUS = path.resolve(__dirname, '../../../../test/fixtures/lint');

export interface Expectation {
  code: string;
  path: JsonPath;
  /** The exact text the problem's range must cover. */
  text?: string;
  severity?: 'error' | 'warning' | 'info';
  /** Other error codes the defect legitimately causes too. */
  alsoAllowed?: string[];
}

export interface CorpusFile {
  /** Relative to its corpus folder; passed to lint as the file name (it decides `index.json`, `oci-layout`). */
  name: string;
  text: string;
}

function walk(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? walk(path.join(dir, entry.name)) : [path.join(dir, entry.name)]))
    .filter((file) => !file.endsWith('.expect.json'))
    .sort();
}

export function corpus(folder: 'valid' | 'invalid'): CorpusFile[] {
  const root = path.join(CORPUS, folder);
  return walk(root).map((file) => ({
    name: path.relative(root, file).split(path.sep).join('/'),
    text: fs.readFileSync(file, 'utf8'),
  }));
}

export function expectationOf(file: CorpusFile): Expectation {
  return JSON.parse(fs.readFileSync(path.join(CORPUS, 'invalid', `${file.name}.expect.json`), 'utf8')) as Expectation;
}
