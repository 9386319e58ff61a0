// The environment for a nested `npm install` of the VS Code runtime. Under `npm start` / `npm test` the outer npm
// exports its whole state as variables (`npm_config_user_agent` naming the Node that runs it, `npm_config_prefix`,
// `npm_config_nodedir`, lifecycle and package variables…). A nested npm reads them as its own configuration, and
// code-server's postinstall reads the Node version from the user agent, so it refused to install under Node 20
// although Node 24 was first on PATH. The install must behave the same however it was started: drop all of them
// except the settings that say how to reach the package registry (a mirror, a proxy, a CA, the config files that
// hold them), which a user may have set on purpose and without which the install cannot download anything.
import * as path from 'node:path';

/** npm settings (lower case, `-` written as `_`) that only say how to reach the registry; kept when present. */
const CONNECTION_SETTINGS = new Set([
  'registry',
  'proxy',
  'https_proxy',
  'http_proxy',
  'noproxy',
  'no_proxy',
  'cafile',
  'ca',
  'strict_ssl',
  'userconfig',
  'globalconfig',
  'cache',
]);

/** Variables the outer npm sets that are not `npm_*`. */
const OTHER_NPM_VARIABLES = new Set(['NODE', 'INIT_CWD', 'NODE_GYP', 'NPM_CLI_JS']);

export function isOuterNpmVariable(name: string): boolean {
  if (OTHER_NPM_VARIABLES.has(name)) return true;
  const lower = name.toLowerCase();
  if (!lower.startsWith('npm_')) return false;
  if (!lower.startsWith('npm_config_')) return true;
  const setting = lower.slice('npm_config_'.length).replace(/-/g, '_');
  // Scoped registries: npm_config_@scope:registry.
  const isScopedRegistry = setting.startsWith('@') && setting.endsWith(':registry');
  return !CONNECTION_SETTINGS.has(setting) && !isScopedRegistry;
}

export interface NestedNpmOptions {
  /** Put first on PATH so that `npm`, and every script it runs, finds this Node. */
  nodeBinDir?: string;
  /** Node's headers for native builds (`npm_config_nodedir`). */
  nodeHeadersDir?: string;
}

/** PATH entries a running npm script gets from its npm: the project's `node_modules/.bin` and npm's node-gyp shim. */
export function isOuterNpmPathEntry(entry: string): boolean {
  const normalized = entry.replace(/[\\/]+$/, '');
  return /[\\/]node_modules[\\/]\.bin$/.test(normalized) || /[\\/]node-gyp-bin$/.test(normalized);
}

export function nestedNpmEnvironment(outer: NodeJS.ProcessEnv, options: NestedNpmOptions = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(outer)) if (!isOuterNpmVariable(name)) env[name] = value;
  const inherited = (outer.PATH ?? '').split(path.delimiter).filter((entry) => entry && !isOuterNpmPathEntry(entry));
  env.PATH = [...(options.nodeBinDir ? [options.nodeBinDir] : []), ...inherited].join(path.delimiter);
  if (options.nodeHeadersDir) env.npm_config_nodedir = options.nodeHeadersDir;
  return env;
}
