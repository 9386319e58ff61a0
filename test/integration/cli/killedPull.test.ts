// A pull killed mid-transfer (SIGKILL: no chance to clean up) leaves its staging folder; the next pull into the
// same target removes it, while the staging folder of a pull still running beside it is left alone. A pull stopped
// by SIGINT, SIGTERM or SIGHUP cleans up, says that nothing was written, and ends by that signal. Real CLI
// processes against a scripted registry that sends half a layer and then holds the rest until the test says so.
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import type { ServerResponse } from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { digestOf } from '../../../src/core/content/hashing';
import { EMPTY_DIGEST, MediaType } from '../../../src/core/oci/mediaTypes';
import { json, serveManifest, startHostileServer, type HostileServer } from '../../fixtures/hostileServer';
import { recordFigures } from '../../helpers/figures';
import { CLI_MAIN, cliProcess } from '../../helpers/runCli';

const LAYER = randomBytes(4 * 1024 * 1024);
const LAYER_DIGEST = digestOf(LAYER);
const MANIFEST = Buffer.from(
  JSON.stringify({
    schemaVersion: 2,
    mediaType: MediaType.ociManifest,
    artifactType: 'application/vnd.example.data',
    config: { mediaType: MediaType.ociEmpty, digest: EMPTY_DIGEST, size: 2 },
    layers: [
      {
        mediaType: 'application/octet-stream',
        digest: LAYER_DIGEST,
        size: LAYER.length,
        annotations: { 'org.opencontainers.image.title': 'big.bin' },
      },
    ],
  }),
);

interface Held {
  res: ServerResponse;
}

describe('a killed pull leaves its staging folder; the next pull into the target removes it', function () {
  this.timeout(60_000);
  let server: HostileServer;
  let work: string;
  let env: NodeJS.ProcessEnv;
  /** Layer downloads to hold after half the bytes (one per pull that should stall). */
  let toHold = 0;
  const held: Held[] = [];
  const children: ChildProcess[] = [];

  before(async () => {
    server = await startHostileServer((req, res, url) => {
      if (url.pathname === '/v2/') return json(res, {});
      if (serveManifest(req, res, url, 'app', 'v1', MANIFEST)) return;
      if (url.pathname === `/v2/app/blobs/${EMPTY_DIGEST}`) {
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': '2' });
        return void res.end('{}');
      }
      if (url.pathname === `/v2/app/blobs/${LAYER_DIGEST}`) {
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(LAYER.length) });
        if (req.method === 'HEAD') return void res.end();
        if (toHold > 0) {
          toHold--;
          res.write(LAYER.subarray(0, LAYER.length / 2));
          held.push({ res });
          return;
        }
        return void res.end(LAYER);
      }
      res.writeHead(404).end();
    });
  });
  after(async () => {
    await server.close();
  });
  beforeEach(async () => {
    work = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-killed-pull-'));
    env = { DOCKER_CONFIG: path.join(work, 'docker'), HOME: work };
  });
  afterEach(async () => {
    for (const child of children.splice(0)) child.kill('SIGKILL');
    for (const { res } of held.splice(0)) res.destroy();
    await fs.rm(work, { recursive: true, force: true });
  });

  function startPull(output: string): { child: ChildProcess; exited: Promise<number | null> } {
    const child = spawn(process.execPath, [CLI_MAIN, 'pull', `${server.host}/app:v1`, '--plain-http', '-o', output], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    children.push(child);
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) =>
      child.on('exit', (code) => {
        if (code) console.error(stderr);
        resolve(code);
      }),
    );
    return { child, exited };
  }

  /** Staging folders in `folder`, once `count` of them hold some of the layer's bytes. */
  async function stagingFoldersFilling(folder: string, count: number): Promise<string[]> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const staging = (await fs.readdir(folder)).filter((n) => n.startsWith('.stowage-pull-'));
      const filling = [];
      for (const name of staging) if ((await bytesIn(path.join(folder, name))) > 0) filling.push(name);
      if (filling.length >= count) return filling.sort();
      if (Date.now() > deadline) throw new Error(`expected ${count} staging folder(s) filling, saw ${staging}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  it('removes the killed pull’s staging folder and leaves a running pull’s alone', async () => {
    toHold = 2;
    // A pull that keeps running beside the others (into another target in the same folder).
    const running = startPull(path.join(work, 'other'));
    const [runningStaging] = await stagingFoldersFilling(work, 1);
    // A pull into `dest` killed mid-layer; it swept the folder first and left the running pull's staging alone.
    const killed = startPull(path.join(work, 'dest'));
    const both = await stagingFoldersFilling(work, 2);
    const killedStaging = both.find((n) => n !== runningStaging)!;
    const killedBytes = await bytesIn(path.join(work, killedStaging));
    killed.child.kill('SIGKILL');
    assert.equal(await killed.exited, null, 'killed by the signal');
    assert.ok(killedBytes > 0);
    assert.deepEqual(
      (await fs.readdir(work)).filter((n) => n.startsWith('.stowage-pull-')).sort(),
      both,
      'the killed pull could not remove its staging folder',
    );

    const next = await cliProcess(
      ['pull', `${server.host}/app:v1`, '--plain-http', '-o', path.join(work, 'dest')],
      env,
    );
    assert.equal(next.code, 0, next.stderr);
    assert.ok((await fs.readFile(path.join(work, 'dest', 'big.bin'))).equals(LAYER));
    assert.deepEqual(
      (await fs.readdir(work)).filter((n) => n.startsWith('.stowage-pull-')),
      [runningStaging],
      'the killed pull’s staging folder is gone, the running pull’s is still there',
    );

    // The running pull was not disturbed: given the rest of the layer, it finishes and cleans up after itself.
    for (const { res } of held.splice(0)) if (!res.destroyed) res.end(LAYER.subarray(LAYER.length / 2));
    assert.equal(await running.exited, 0);
    assert.ok((await fs.readFile(path.join(work, 'other', 'big.bin'))).equals(LAYER));
    assert.deepEqual(
      (await fs.readdir(work)).filter((n) => n.startsWith('.stowage-pull-')),
      [],
    );
    recordFigures('faults', {
      'killed pull staging': {
        tried: 2,
        held: 2,
        detail: `a pull killed (SIGKILL) mid-layer left a ${killedBytes}-byte staging folder; the next pull into the same target removed it, a concurrent running pull's staging folder was left alone`,
      },
    });
  });

  // Ctrl-C in a shell; SIGTERM when a CI job is cancelled or times out (GitHub Actions, GitLab, Jenkins send it
  // before SIGKILL); SIGHUP when the runner or the terminal goes away.
  const stops: { signal: NodeJS.Signals; says: string; status: number }[] = [
    { signal: 'SIGINT', says: 'interrupted', status: 130 },
    { signal: 'SIGTERM', says: 'interrupted by SIGTERM', status: 143 },
    { signal: 'SIGHUP', says: 'interrupted by SIGHUP', status: 129 },
  ];
  for (const { signal, says, status } of stops)
    it(`stops on ${signal} mid-layer: removes its staging folder, writes nothing, and ends by ${signal} (shell status ${status})`, async () => {
      toHold = 1;
      const child = spawn(
        process.execPath,
        [CLI_MAIN, 'pull', `${server.host}/app:v1`, '--plain-http', '-o', path.join(work, 'dest')],
        { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      children.push(child);
      let stdout = '';
      let stderr = '';
      child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
        child.on('exit', (code, signal) => resolve({ code, signal })),
      );
      await stagingFoldersFilling(work, 1);
      child.kill(signal);
      // Killed by the signal it re-raised after cleaning up (a shell reports 128+n and stops a loop running it; a
      // CI runner sees a cancelled step), not exit 1, which a shell loop takes for a failed pull and goes on.
      assert.deepEqual(await exited, { code: null, signal }, stderr);
      // What the stop left is said: nothing (the pull writes all its files or none).
      assert.equal(stderr, `stowage pull: ${says}; nothing was written to ${path.join(work, 'dest')}\n`);
      assert.equal(stdout, '');
      assert.deepEqual(
        (await fs.readdir(work)).filter((n) => n !== 'docker'),
        [],
        'no staging folder, no target',
      );
    });

  it('stops on SIGHUP when the runner went away with the pipes it read: cleans up, and still ends by SIGHUP', async () => {
    toHold = 1;
    const child = spawn(
      process.execPath,
      [CLI_MAIN, 'pull', `${server.host}/app:v1`, '--plain-http', '-o', path.join(work, 'dest')],
      { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    children.push(child);
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on('exit', (code, signal) => resolve({ code, signal })),
    );
    await stagingFoldersFilling(work, 1);
    // Nobody reads its output any more: writing "interrupted by SIGHUP" there fails (EPIPE).
    child.stdout!.destroy();
    child.stderr!.destroy();
    child.kill('SIGHUP');
    assert.deepEqual(await exited, { code: null, signal: 'SIGHUP' });
    assert.deepEqual(
      (await fs.readdir(work)).filter((n) => n !== 'docker'),
      [],
      'no staging folder, no target',
    );
  });

  for (const { what, args } of [
    { what: '--password-stdin', args: ['tags', 'SERVER/app', '--plain-http', '-u', 'ci', '--password-stdin'] },
    { what: 'a manifest on standard input', args: ['manifest', 'push', 'SERVER/app:v2', '-', '--plain-http'] },
  ])
    it(`stops on SIGTERM while reading ${what} from a pipe that never closes, instead of waiting on`, async () => {
      const child = spawn(process.execPath, [CLI_MAIN, ...args.map((a) => a.replace('SERVER', server.host))], {
        env: { ...process.env, ...env },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      children.push(child);
      let stderr = '';
      child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
        child.on('close', (code, signal) => resolve({ code, signal })),
      );
      // The producer of the input has not finished (nor closed the pipe) when the job is cancelled. Stowage's
      // handlers are in place once SIGHUP is caught (Node catches SIGTERM and SIGINT from its start).
      await signalHandled(child.pid!, 'SIGHUP');
      child.kill('SIGTERM');
      const stillRunning = new Promise<'still running'>((resolve) => {
        const timer = setTimeout(() => resolve('still running'), 10_000);
        void exited.then(() => clearTimeout(timer));
      });
      assert.deepEqual(await Promise.race([exited, stillRunning]), { code: null, signal: 'SIGTERM' }, stderr);
      assert.equal(stderr, `stowage ${args[0]}: interrupted by SIGTERM\n`);
    });
});

/** Resolves once the process catches `signal` (Linux: its bit in SigCgt of /proc/<pid>/status). */
async function signalHandled(pid: number, signal: NodeJS.Signals): Promise<void> {
  const bit = 1n << BigInt(os.constants.signals[signal] - 1);
  const deadline = Date.now() + 20_000;
  for (;;) {
    const status = await fs.readFile(`/proc/${pid}/status`, 'utf8');
    const caught = /^SigCgt:\s*([0-9a-f]+)$/m.exec(status)?.[1];
    if (caught && (BigInt(`0x${caught}`) & bit) !== 0n) return;
    if (Date.now() > deadline) throw new Error(`process ${pid} never installed a ${signal} handler`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function bytesIn(folder: string): Promise<number> {
  let total = 0;
  for (const entry of await fs.readdir(folder, { recursive: true, withFileTypes: true }).catch(() => [])) {
    if (!entry.isFile() || entry.name === '.stowage-owner') continue;
    total += (await fs.stat(path.join(entry.parentPath ?? entry.path, entry.name)).catch(() => ({ size: 0 }))).size;
  }
  return total;
}
