// Builds the bundles: the extension (node, cjs), the webview (browser), the CLI, and the hashing writer's thread.
const esbuild = require('esbuild');
const fs = require('node:fs');
const path = require('node:path');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const common = {
  bundle: true,
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'info',
  legalComments: 'none',
};

// Optional plugins of the CycloneDX library (XML output and validation) that Stowage does not use; the library
// loads them only when present, so they stay out of the bundles.
const optionalPlugins = ['xmlbuilder2', 'libxmljs2'];

// The CycloneDX validator reads its JSON schemas from files beside its own module; bundled, that module lives in
// dist/, so the schemas are copied to cyclonedx-res/ beside the bundle and the library is pointed there.
const CYCLONEDX_RES = path.join(__dirname, 'node_modules', '@cyclonedx', 'cyclonedx-library', 'res', 'schema');
const cyclonedxResources = {
  name: 'cyclonedx-resources',
  setup(build) {
    build.onLoad({ filter: /cyclonedx-library[\\/]dist\.node[\\/]resources\.node\.js$/ }, async (args) => {
      const source = await fs.promises.readFile(args.path, 'utf8');
      const patched = source.replace("(__dirname, '..', 'res')", "(__dirname, 'cyclonedx-res')");
      if (patched === source)
        throw new Error('cyclonedx-library changed how it finds its resources; update esbuild.js');
      return { contents: patched, loader: 'js' };
    });
    build.onEnd(async () => {
      const out = path.join(path.dirname(path.resolve(build.initialOptions.outfile)), 'cyclonedx-res', 'schema');
      await fs.promises.mkdir(out, { recursive: true });
      for (const name of await fs.promises.readdir(CYCLONEDX_RES)) {
        if (name.endsWith('.json')) await fs.promises.copyFile(path.join(CYCLONEDX_RES, name), path.join(out, name));
      }
    });
  },
};

// undici's HTTP/2 client loads node:http2 (~7 ms of every CLI start) though Stowage never offers h2 (its
// connections ask for http/1.1 only, see src/core/registry/dispatchers.ts): the bundles get a stand-in that
// fails loudly should a connection ever come up as h2.
const withoutHttp2Client = {
  name: 'without-http2-client',
  setup(build) {
    build.onLoad({ filter: /undici[\\/]lib[\\/]dispatcher[\\/]client-h2\.js$/ }, () => ({
      contents:
        "module.exports = function connectH2() { throw new Error('HTTP/2 is not enabled in this build of Stowage'); };",
      loader: 'js',
    }));
  },
};

const builds = [
  {
    // The light entry: linting and the deferred views and commands (what opening a JSON file loads).
    ...common,
    entryPoints: ['src/vscode/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // jsonc-parser's UMD build hides its requires from bundlers; its ESM build bundles cleanly.
    mainFields: ['module', 'main'],
    external: ['vscode'],
  },
  // Everything else of the extension, loaded by the entry on first use (extension.ts).
  nodeBundleOptions({
    entryPoints: ['src/vscode/workbench.ts'],
    outfile: 'dist/workbench.js',
    external: ['vscode', ...optionalPlugins],
  }),
  {
    ...common,
    entryPoints: ['media/webview/main.ts'],
    outfile: 'dist/webview.js',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  },
  {
    // The hashing writer's thread (src/core/content/hashingFileWrite.ts), beside both node bundles that start it.
    ...common,
    entryPoints: ['src/core/content/hashingFileWorker.ts'],
    outfile: 'dist/hashingFileWorker.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
  },
  // The lint thread's script (core/lint's LintThread), beside the extension's bundles: large documents are
  // checked there. It validates SBOMs, so it finds the CycloneDX schemas as the workbench bundle does.
  nodeBundleOptions({ entryPoints: ['src/vscode/lint/lintWorker.ts'], outfile: 'dist/lintWorker.js' }),
  // The CLI's bundle, run by its launcher below through a V8 code cache (src/cli/codeCache.ts). The file is
  // the module's function itself (CODE_CACHE_WRAPPER), so the launcher compiles it without a copy of the source.
  nodeBundleOptions({
    entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/cliMain.js',
    banner: { js: '(function (exports, require, module, __filename, __dirname) {' },
    footer: { js: '})' },
  }),
  {
    // `stowage` itself (package.json bin).
    ...common,
    entryPoints: ['src/cli/launch.ts'],
    outfile: 'dist/cli.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
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

/** Options for any other node bundle of the engine (the npm start launcher uses them). */
function nodeBundleOptions(overrides) {
  return {
    ...common,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    mainFields: ['module', 'main'],
    external: optionalPlugins,
    plugins: [cyclonedxResources, withoutHttp2Client],
    ...overrides,
  };
}

module.exports = { nodeBundleOptions };

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
