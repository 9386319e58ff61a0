#!/usr/bin/env node
// `npm start`: builds the extension bundles, compiles the demo launcher (scripts/demo, TypeScript) with esbuild,
// then runs it. The launcher installs code-server on first use, writes the demo workspace and serves it.
const { execFileSync } = require('node:child_process');
const path = require('node:path');
const esbuild = require('esbuild');
const { nodeBundleOptions } = require('../esbuild.js');

const root = path.resolve(__dirname, '..');
const launcher = path.join(root, 'out', 'scripts', 'demo', 'startDemo.js');

execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
esbuild
  .build(
    nodeBundleOptions({
      entryPoints: [path.join(root, 'scripts', 'demo', 'startDemo.ts')],
      outfile: launcher,
      logLevel: 'warning',
    }),
  )
  .then(() => require(launcher))
  .catch((err) => {
    console.error(`npm start: ${err.message}`);
    process.exit(1);
  });
