// `npm start`: Stowage in code-server with a demo workspace, for a person to try in their own browser. Builds are
// done by scripts/start.js before this runs. Ctrl-C stops code-server and everything it started.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { stowageDemoCache } from '../vscodeRuntime/cachePaths';
import { startCodeServer, type CodeServer } from '../vscodeRuntime/codeServer';
import { canListen, pickPort } from '../vscodeRuntime/freePort';
import { ensureCodeServerRuntime } from '../vscodeRuntime/installRuntime';
import { copy } from '../../src/core/graph/copy';
import { RegistryClient } from '../../src/core/registry/RegistryClient';
import { RegistryTarget } from '../../src/core/registry/RegistryTarget';
import { startRegistry, type TestRegistry } from '../../test/fixtures/registry';
import { writeDemoLayout } from './demoLayout';
import { DEMO_IMAGE_TAG, writeDemoImage } from './demoImage';
import { forgetScannedExtensions, linkDevelopmentExtension } from './linkDevelopmentExtension';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const DEFAULT_PORT = 8080;

async function main(): Promise<void> {
  const state: { server?: CodeServer; registry?: TestRegistry; stopping: boolean } = { stopping: false };
  // Registered first: a Ctrl-C while code-server is still starting must stop it too (process.exit runs the hook
  // that kills every process group still alive).
  const stop = async (signal: string): Promise<void> => {
    if (state.stopping) return;
    state.stopping = true;
    console.log(`\n${signal}: stopping code-server`);
    await state.server?.stop();
    await state.registry?.stop();
    process.exit(0);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void stop(signal));

  const runtime = await ensureCodeServerRuntime();
  // STOWAGE_DEMO_DIR lets the tests run the demo without touching the user's own demo folder.
  const demoRoot = process.env.STOWAGE_DEMO_DIR ? path.resolve(process.env.STOWAGE_DEMO_DIR) : stowageDemoCache();
  const workspace = path.join(demoRoot, 'workspace');
  const layout = await writeDemoLayout(path.join(workspace, 'demo-layout'));
  await fs.promises.rm(path.join(workspace, 'demo-image'), { recursive: true, force: true });
  const image = await writeDemoImage(path.join(workspace, 'demo-image'));

  // A local registry when the binary is there, holding a copy of the demo artifact with its referrers.
  const registry = await startDemoRegistry(path.join(demoRoot, 'registry-storage'));
  state.registry = registry;
  if (registry) {
    await copy(layout.target, 'v1', await registryTarget(registry.host, 'demo/artifact'), {
      tag: 'v1',
      referrers: true,
    });
    await copy(image.target, DEMO_IMAGE_TAG, await registryTarget(registry.host, 'demo/image'), {
      tag: DEMO_IMAGE_TAG,
    });
  }
  // The demo's own code-server: these settings are machine-level (a workspace cannot set them), which a remote
  // window such as code-server's reads from the remote machine's settings, not User settings.
  const machineSettings = {
    'stowage.registries': registry ? [{ host: registry.host, name: 'Local demo registry', plainHttp: true }] : [],
    'stowage.trust.certificates': [layout.certificateFile],
  };

  const port = await choosePort();
  const extensionsDir = path.join(demoRoot, 'extensions');
  linkDevelopmentExtension(REPO_ROOT, extensionsDir);
  const runDir = path.join(demoRoot, 'server');
  forgetScannedExtensions(path.join(runDir, 'user-data'));
  const running = await startCodeServer({
    runtime,
    runDir,
    port,
    workspace,
    extensionsDir,
    machineSettings,
  });
  state.server = running;
  void running.process.exited.then((code) => {
    if (state.stopping) return;
    console.error(`code-server exited (${code}); log: ${running.logFile}`);
    process.exit(1);
  });

  console.log(
    `\nStowage demo is running. Open in your browser:\n\n  ${running.baseUrl}/?folder=${encodeURIComponent(workspace)}\n`,
  );
  console.log(`Workspace: ${workspace}`);
  console.log(`Demo layout: ${layout.dir} (tag v1 = ${layout.artifact.digest}, ${layout.referrers.length} referrers)`);
  console.log(`Demo image: ${image.dir} (tag ${DEMO_IMAGE_TAG}, two layers to look into)`);
  console.log(
    registry
      ? `Local registry: http://${registry.host} (demo/artifact:v1, demo/image:${DEMO_IMAGE_TAG})`
      : 'No local registry: install Debian docker-registry to get one in the demo.',
  );
  console.log(`code-server log: ${running.logFile}`);
  console.log(
    'After `npm run build`, reload the window to pick up changes (a changed package.json, such as a new menu, shows from the second reload). Ctrl-C stops everything.',
  );
}

/** A plain-HTTP docker-registry on a free loopback port, or undefined when the binary is not installed. */
async function startDemoRegistry(storageDir: string): Promise<TestRegistry | undefined> {
  if (!fs.existsSync('/usr/bin/docker-registry')) return undefined;
  await fs.promises.rm(storageDir, { recursive: true, force: true });
  await fs.promises.mkdir(storageDir, { recursive: true });
  return startRegistry({ variant: 'plain', storageDir, logLevel: 'warn' });
}

async function registryTarget(host: string, repository: string): Promise<RegistryTarget> {
  return new RegistryTarget(
    new RegistryClient({ host, plainHttp: true }, { credentials: { ignoreToolConfig: true } }),
    repository,
  );
}

/** STOWAGE_PORT must be free when given; otherwise 8080 when free, else any free port. */
async function choosePort(): Promise<number> {
  const requested = process.env.STOWAGE_PORT;
  if (requested) {
    const port = Number(requested);
    if (!Number.isInteger(port) || port <= 0 || port > 65535)
      throw new Error(`STOWAGE_PORT=${requested} is not a port`);
    if (!(await canListen(port))) throw new Error(`STOWAGE_PORT=${port} is in use on 127.0.0.1`);
    return port;
  }
  return pickPort(DEFAULT_PORT);
}

main().catch((error: unknown) => {
  console.error(`npm start: ${(error as Error).message ?? error}`);
  process.exit(1);
});
