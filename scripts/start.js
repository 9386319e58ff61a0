#!/usr/bin/env node
// `npm start`: builds the extension bundles, compiles the demo launcher (scripts/demo, TypeScript) with esbuild,
// then runs it. The launcher installs code-server on first use, writes the demo workspace and serves it.
const { execFileSync } = require('node:child_process');
const path = require('node:path');
const esbuild = require('esbuild');

const root = path.resolve(__dirname, '..');
const launcher = path.join(root, 'out', 'scripts', 'demo', 'startDemo.js');

execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
esbuild.buildSync({
  entryPoints: [path.join(root, 'scripts', 'demo', 'startDemo.ts')],
  outfile: launcher,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  logLevel: 'warning',
});
require(launcher);
