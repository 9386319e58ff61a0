// Starts code-server for one run: its own folders (user data, extensions, config, a short TMPDIR for its sockets),
// quiet user settings, bound to 127.0.0.1, in its own process group; ready when /healthz answers.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CodeServerRuntime } from './installRuntime';
import { spawnProcessGroup, type GroupProcess } from './processGroup';
import { writeMachineSettings, writeQuietUserSettings } from './quietSettings';

export interface CodeServerOptions {
  runtime: CodeServerRuntime;
  /** Holds user data, config and logs of this server. */
  runDir: string;
  port: number;
  /** Folder opened by default; the workbench URL can name another. */
  workspace: string;
  /** Defaults to `<runDir>/extensions`. */
  extensionsDir?: string;
  /** Added to the server's environment, which extension hosts inherit. */
  env?: Record<string, string>;
  /** Merged over the quiet user settings. */
  userSettings?: Record<string, unknown>;
  /** Settings of scope "machine": the remote machine's settings, where a remote window reads them. */
  machineSettings?: Record<string, unknown>;
  /** Needed for the payload (extension development/tests path) in the URL. */
  smokeTestDriver?: boolean;
  readyTimeoutMs?: number;
}

export interface CodeServer {
  readonly baseUrl: string;
  readonly logFile: string;
  readonly userDataDir: string;
  readonly extensionsDir: string;
  readonly process: GroupProcess;
  stop(): Promise<void>;
}

export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  const runDir = options.runDir;
  const userDataDir = path.join(runDir, 'user-data');
  const extensionsDir = options.extensionsDir ?? path.join(runDir, 'extensions');
  const configDir = path.join(runDir, 'config');
  const dataDir = path.join(runDir, 'data');
  // Unix socket paths are limited to ~107 bytes: keep TMPDIR short whatever runDir is.
  const shortTmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cs-'));
  for (const dir of [userDataDir, extensionsDir, configDir, dataDir]) fs.mkdirSync(dir, { recursive: true });
  writeQuietUserSettings(userDataDir, options.userSettings);
  if (options.machineSettings) writeMachineSettings(userDataDir, options.machineSettings);
  const configFile = path.join(configDir, 'config.yaml');
  fs.writeFileSync(configFile, 'auth: none\ncert: false\n');

  const args = [
    options.runtime.codeServerEntry,
    '--config',
    configFile,
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${options.port}`,
    '--user-data-dir',
    userDataDir,
    '--extensions-dir',
    extensionsDir,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    ...(options.smokeTestDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
    options.workspace,
  ];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...options.env,
    TMPDIR: shortTmp,
    XDG_CONFIG_HOME: configDir,
    XDG_DATA_HOME: dataDir,
  };
  const logFile = path.join(runDir, 'code-server.log');
  const server = spawnProcessGroup(options.runtime.nodeBinary, args, { env, logFile });
  const baseUrl = `http://127.0.0.1:${options.port}`;
  const stop = async (): Promise<void> => {
    await server.stop();
    fs.rmSync(shortTmp, { recursive: true, force: true });
  };
  try {
    await waitUntilHealthy(baseUrl, server, options.readyTimeoutMs ?? 60_000, logFile);
  } catch (error) {
    await stop();
    throw error;
  }
  return { baseUrl, logFile, userDataDir, extensionsDir, process: server, stop };
}

async function waitUntilHealthy(
  baseUrl: string,
  server: GroupProcess,
  timeoutMs: number,
  logFile: string,
): Promise<void> {
  let exit: number | string | undefined;
  void server.exited.then((code) => (exit = code));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exit !== undefined) throw new Error(`code-server exited (${exit}) before it was ready; log: ${logFile}`);
    try {
      const response = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(2000) });
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`code-server not healthy within ${timeoutMs} ms; log: ${logFile}`);
}
