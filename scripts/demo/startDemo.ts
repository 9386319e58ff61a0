// `npm start`: Stowage in code-server with a demo workspace, for a person to try in their own browser. Builds are
// done by scripts/start.js before this runs. Ctrl-C stops code-server and everything it started.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { stowageDemoCache } from '../vscodeRuntime/cachePaths';
import { startCodeServer } from '../vscodeRuntime/codeServer';
import { canListen, pickPort } from '../vscodeRuntime/freePort';
import { ensureCodeServerRuntime } from '../vscodeRuntime/installRuntime';
import { writeDemoLayout } from './demoLayout';
import { linkDevelopmentExtension } from './linkDevelopmentExtension';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const DEFAULT_PORT = 8080;

async function main(): Promise<void> {
  const runtime = await ensureCodeServerRuntime();
  // STOWAGE_DEMO_DIR lets the tests run the demo without touching the user's own demo folder.
  const demoRoot = process.env.STOWAGE_DEMO_DIR ? path.resolve(process.env.STOWAGE_DEMO_DIR) : stowageDemoCache();
  const workspace = path.join(demoRoot, 'workspace');
  const layout = writeDemoLayout(path.join(workspace, 'demo-layout'));

  // Registries shown in the demo. Hook: start the local docker-registry through the registry fixture
  // (test/fixtures/registry.ts), push the demo content there and add `{ host: '127.0.0.1:<port>', plainHttp: true }`.
  const registries: { host: string; name?: string; plainHttp?: boolean }[] = [];
  writeWorkspaceSettings(workspace, { 'stowage.registries': registries });

  const port = await choosePort();
  const extensionsDir = path.join(demoRoot, 'extensions');
  linkDevelopmentExtension(REPO_ROOT, extensionsDir);
  const server = await startCodeServer({ runtime, runDir: path.join(demoRoot, 'server'), port, workspace, extensionsDir });

  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping code-server`);
    await server.stop();
    process.exit(0);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void stop(signal));
  void server.process.exited.then((code) => {
    if (stopping) return;
    console.error(`code-server exited (${code}); log: ${server.logFile}`);
    process.exit(1);
  });

  console.log(`\nStowage demo is running. Open in your browser:\n\n  ${server.baseUrl}/?folder=${encodeURIComponent(workspace)}\n`);
  console.log(`Workspace: ${workspace}`);
  console.log(`Demo layout: ${layout.dir} (tag v1 = ${layout.artifact.digest}, ${layout.referrers.length} referrers)`);
  console.log(`code-server log: ${server.logFile}`);
  console.log('After `npm run build`, reload the window to pick up changes. Ctrl-C stops everything.');
}

/** STOWAGE_PORT must be free when given; otherwise 8080 when free, else any free port. */
async function choosePort(): Promise<number> {
  const requested = process.env.STOWAGE_PORT;
  if (requested) {
    const port = Number(requested);
    if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new Error(`STOWAGE_PORT=${requested} is not a port`);
    if (!(await canListen(port))) throw new Error(`STOWAGE_PORT=${port} is in use on 127.0.0.1`);
    return port;
  }
  return pickPort(DEFAULT_PORT);
}

function writeWorkspaceSettings(workspace: string, settings: Record<string, unknown>): void {
  const dir = path.join(workspace, '.vscode');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'settings.json'), JSON.stringify(settings, null, 2));
}

main().catch((error: unknown) => {
  console.error(`npm start: ${(error as Error).message ?? error}`);
  process.exit(1);
});
