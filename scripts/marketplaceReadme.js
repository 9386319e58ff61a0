#!/usr/bin/env node
// The README the .vsix carries: README.md without its screenshots. vsce must rewrite a relative image to an
// https address under the published repository, and Stowage has no public address yet, so the Marketplace copy
// leaves them out (the screenshots stay in the repository's README, where they resolve).
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const source = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
const withoutImages = source
  .split('\n')
  .filter((line) => !/^!\[[^\]]*\]\((?!https:)[^)]+\)\s*$/.test(line))
  .join('\n');
const out = path.join(root, 'dist', 'README.md');
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, withoutImages);
