// What the packaged extension must and must not hold. `.vscodeignore` decides; this proves it.
import * as assert from 'node:assert/strict';

const REQUIRED = [
  'extension/package.json',
  // The Marketplace page: README.md without its screenshots (scripts/marketplaceReadme.js).
  'extension/readme.md',
  // Every user-visible string of the manifest (its %key% values).
  'extension/package.nls.json',
  'extension/dist/extension.js',
  // The workbench (stores, trees, commands), loaded by extension.js on first use.
  'extension/dist/workbench.js',
  // The thread that hashes and writes large pulls (started from beside extension.js).
  'extension/dist/hashingFileWorker.js',
  // The thread that checks large documents (started from beside extension.js).
  'extension/dist/lintWorker.js',
  'extension/media/stowage.svg',
  'extension/media/icon.png',
  // The walkthrough's pages (package.json contributes.walkthroughs).
  'extension/media/walkthrough/layout.md',
  'extension/media/walkthrough/lint.md',
  // What package.json's grammars and jsonValidation contributions point at.
  'extension/syntaxes/oci-json.injection.tmLanguage.json',
  'extension/schemas/oci-layout.schema.json',
  'extension/schemas/image-manifest.schema.json',
];

/** Folders that are sources, tests, build output for tests, dependencies or caches — never shipped. */
const FORBIDDEN_FOLDERS = [
  'src/',
  'test/',
  'out/',
  'node_modules/',
  'scripts/',
  'bench/',
  '.cache/',
  '.vscode-test/',
  'test-results/',
  'media/webview/',
  'docs/',
];
const FORBIDDEN_SUFFIXES = ['.ts', '.map', '.vsix', '.tsbuildinfo'];

export function assertVsixHoldsWhatTheExtensionNeeds(entries: string[]): void {
  const missing = REQUIRED.filter((name) => !entries.includes(name));
  assert.deepEqual(missing, [], `missing from the vsix: ${missing.join(', ')}`);
}

export function assertVsixHoldsNothingElse(entries: string[]): void {
  const shipped = entries
    .filter((name) => name.startsWith('extension/'))
    .map((name) => name.slice('extension/'.length));
  const unwanted = shipped.filter(
    (name) =>
      FORBIDDEN_FOLDERS.some((folder) => name.startsWith(folder)) ||
      FORBIDDEN_SUFFIXES.some((suffix) => name.endsWith(suffix)),
  );
  assert.deepEqual(unwanted, [], `the vsix ships files it must not: ${unwanted.join(', ')}`);
}
