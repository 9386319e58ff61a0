// Builds the three bundles: the extension (node, cjs), the webview (browser) and the CLI.
const esbuild = require('esbuild');

const fs = require('node:fs');
const path = require('node:path');

const production = process.argv.includes('--production');

// The CycloneDX library finds its JSON schemas next to its own files (__dirname/../res). Bundled, that folder
// is gone: the schemas are copied to dist/cyclonedx/schema and the library is pointed there.
const CYCLONEDX_RES = path.join(path.dirname(require.resolve('@cyclonedx/cyclonedx-library/package.json')), 'res', 'schema');
const cyclonedxResources = {
  name: 'cyclonedx-resources',
  setup(build) {
    build.onLoad({ filter: /cyclonedx-library[\\/]dist\.node[\\/]resources\.node\.js$/ }, async (args) => {
      const source = await fs.promises.readFile(args.path, 'utf8');
      const patched = source.replace("(__dirname, '..', 'res')", "(__dirname, 'cyclonedx')");
      if (patched === source) throw new Error('cyclonedx-library changed how it finds its schemas; update esbuild.js');
      return { contents: patched, loader: 'js' };
    });
    build.onEnd(() => {
      const out = path.join(__dirname, 'dist', 'cyclonedx', 'schema');
      fs.mkdirSync(out, { recursive: true });
      for (const file of fs.readdirSync(CYCLONEDX_RES)) if (file.endsWith('.schema.json')) fs.copyFileSync(path.join(CYCLONEDX_RES, file), path.join(out, file));
    });
  },
};
// Optional XML plugins of the CycloneDX library, loaded only if installed (Stowage writes and checks JSON).
const OPTIONAL_XML = ['libxmljs2', 'xmlbuilder2'];
const watch = process.argv.includes('--watch');

const common = {
  bundle: true,
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'info',
  legalComments: 'none',
};

const builds = [
  {
    ...common,
    entryPoints: ['src/vscode/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // jsonc-parser's UMD build hides its requires from bundlers; its ESM build bundles cleanly.
    mainFields: ['module', 'main'],
    external: ['vscode', ...OPTIONAL_XML],
    plugins: [cyclonedxResources],
  },
  {
    ...common,
    entryPoints: ['media/webview/main.ts'],
    outfile: 'dist/webview.js',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  },
  {
    ...common,
    entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/cli.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    mainFields: ['module', 'main'],
    external: OPTIONAL_XML,
    plugins: [cyclonedxResources],
    banner: { js: '#!/usr/bin/env node' },
  },
];

async function main() {
  if (watch) {
    const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
    await Promise.all(contexts.map((c) => c.watch()));
    return;
  }
  await Promise.all(builds.map((b) => esbuild.build(b)));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
