// Faults against the real registry: the registry process killed in the middle of an upload, a download and a
// copy, then restarted on the same port and storage and the operation re-run to success; and, through the
// fault proxy, 5xx, 429 with Retry-After, resets, truncated bodies and a stalled server. Outcome: retries where
// safe, clear errors otherwise, no half-written folder and no corrupt layout.
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { pullArtifact, pushArtifact } from '../../src/core/files/artifact';
import { copy } from '../../src/core/graph/copy';
import { digestOf } from '../../src/core/content/hashing';
import { OciError } from '../../src/core/oci/errors';
import { LayoutTarget } from '../../src/core/layout/LayoutTarget';
import { parseIndex } from '../../src/core/layout/indexFile';
import { RegistryClient } from '../../src/core/registry/RegistryClient';
import { RegistryTarget } from '../../src/core/registry/RegistryTarget';
import { startFaultProxy, type ProxyAction, type SeenRequest } from '../fixtures/faultProxy';
import { startRegistry, type TestRegistry } from '../fixtures/registry';
import { startUnansweredAddress } from '../fixtures/unansweredConnections';
import { bufferContent, clientFor, readAll } from '../fixtures/registryClients';
import { recordFigures } from '../helpers/figures';
import { snapshotTree } from '../helpers/snapshot';
import { freezeProcess, thawProcess } from '../fixtures/freezeProcess';

const MiB = 1024 * 1024;

describe('faults against the real registry', function () {
  this.timeout(120_000);
  let registry: TestRegistry;
  let root: string;
  const tally = { injected: 0, survived: 0 };
  const survived = () => {
    tally.survived++;
  };

  before(async () => {
    registry = await startRegistry({ variant: 'plain', logLevel: 'error' });
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-faults-'));
  });
  after(async () => {
    recordFigures('faults', {
      'registry faults': {
        tried: tally.injected,
        held: tally.survived,
        detail:
          'registry killed mid-upload/download/copy, 5xx, 429, resets, truncated bodies, stalls: retried or clear error, nothing half-written',
      },
    });
    await registry?.stop();
    await fs.rm(root, { recursive: true, force: true });
  });

  /** Kills the registry with SIGKILL (no graceful shutdown) once, the first time `bytes` passes `after`. */
  function killerAt(after: number): {
    onBytes: (delta: number) => void;
    atTotal: (total: number) => void;
    killed: () => boolean;
  } {
    let seen = 0;
    let killed = false;
    const atTotal = (total: number) => {
      if (!killed && total >= after && registry.pid) {
        killed = true;
        process.kill(registry.pid, 'SIGKILL');
      }
    };
    return { onBytes: (delta) => atTotal((seen += delta)), atTotal, killed: () => killed };
  }

  it('registry killed mid-upload: a clear network error, then after restart the same push succeeds', async () => {
    tally.injected++;
    const blob = randomBytes(24 * MiB);
    const descriptor = { mediaType: 'application/octet-stream', digest: digestOf(blob), size: blob.length };
    const client = clientFor(registry, { retry: { retries: 1, baseDelayMs: 10 } });
    const target = new RegistryTarget(client, 'faults/upload', { chunkedThreshold: 4 * MiB, chunkSize: 4 * MiB });
    const killer = killerAt(6 * MiB);
    await assert.rejects(
      target.pushBlob(descriptor, bufferContent(blob), { onBytes: killer.onBytes }),
      (e: unknown) => OciError.is(e, 'NETWORK') && e.message.includes(registry.host),
    );
    assert.ok(killer.killed());
    await registry.restart();
    await target.pushBlob(descriptor, bufferContent(blob));
    assert.ok((await readAll(await target.fetchBlob(descriptor))).equals(blob));
    await client.close();
    survived();
  });

  it('registry killed mid-download: the pull leaves the target as it was, and succeeds after restart', async () => {
    tally.injected++;
    const source = path.join(root, 'big.bin');
    await fs.writeFile(source, randomBytes(24 * MiB));
    const client = clientFor(registry, { retry: { retries: 1, baseDelayMs: 10 } });
    const target = new RegistryTarget(client, 'faults/download');
    await pushArtifact(target, [source], { tag: 'v1' });
    const work = path.join(root, 'pull');
    await fs.mkdir(path.join(work, 'target'), { recursive: true });
    await fs.writeFile(path.join(work, 'target', 'keep.txt'), 'already here');
    const before = await snapshotTree(work);
    const killer = killerAt(4 * MiB);
    await assert.rejects(
      pullArtifact(target, 'v1', path.join(work, 'target'), { onBytes: killer.onBytes }),
      (e: unknown) => OciError.is(e, 'NETWORK'),
    );
    assert.ok(killer.killed());
    assert.deepEqual(await snapshotTree(work), before, 'no half-written file, no staging folder left');
    await registry.restart();
    await pullArtifact(target, 'v1', path.join(work, 'target'));
    assert.ok((await fs.readFile(path.join(work, 'target', 'big.bin'))).equals(await fs.readFile(source)));
    await client.close();
    survived();
  });

  it('registry killed mid-copy into a layout: index.json stays valid with no temp files, and the copy completes after restart', async () => {
    tally.injected++;
    const client = clientFor(registry, { retry: { retries: 1, baseDelayMs: 10 } });
    const killer = killerAt(4 * MiB);
    const layoutPath = path.join(root, 'copy-layout');
    const layout = await LayoutTarget.open(layoutPath, { create: true });
    await assert.rejects(
      copy(new RegistryTarget(client, 'faults/download'), 'v1', layout, {
        tag: 'v1',
        onProgress: (p) => killer.atTotal(p.doneBytes),
      }),
      (e: unknown) => OciError.is(e, 'NETWORK'),
    );
    const index = parseIndex(layoutPath, await fs.readFile(path.join(layoutPath, 'index.json'), 'utf8'));
    assert.equal(index.manifests.length, 0);
    const leftovers = (await fs.readdir(layoutPath, { recursive: true }))
      .map(String)
      .filter((n) => /\.tmp|\.lock/.test(n));
    assert.deepEqual(leftovers, []);
    await registry.restart();
    await copy(new RegistryTarget(client, 'faults/download'), 'v1', layout, { tag: 'v1' });
    assert.equal((await layout.resolve('v1')).mediaType, 'application/vnd.oci.image.manifest.v1+json');
    await client.close();
    survived();
  });

  /** A client through a fault proxy whose `script` decides per request; returns the proxy for inspection. */
  async function throughProxy(
    script: (req: SeenRequest) => ProxyAction,
    options: { stallTimeoutMs?: number; retries?: number } = {},
  ) {
    const proxy = await startFaultProxy(registry.url, script);
    const client = new RegistryClient(
      { host: proxy.host, plainHttp: true },
      {
        credentials: { ignoreToolConfig: true },
        retry: { baseDelayMs: 20, retries: options.retries ?? 3 },
        stallTimeoutMs: options.stallTimeoutMs,
      },
    );
    return {
      proxy,
      client,
      close: async () => {
        await client.close();
        await proxy.close();
      },
    };
  }

  it('rides out 503, 429 with Retry-After, a reset and a truncated manifest while pulling, then writes the files', async () => {
    const source = path.join(root, 'small.txt');
    await fs.writeFile(source, 'small file body');
    const direct = clientFor(registry);
    await pushArtifact(new RegistryTarget(direct, 'faults/flaky'), [source], { tag: 'v1' });
    await direct.close();
    const faults: ProxyAction[] = [
      { respond: 503 },
      { respond: 429, headers: { 'retry-after': '1' } },
      { reset: true },
      { forward: true, cutAfterBytes: 40 },
      { respond: 502 },
    ];
    tally.injected += faults.length;
    let next = 0;
    const { proxy, client, close } = await throughProxy((req) =>
      req.method === 'GET' && next < faults.length ? faults[next++]! : { forward: true },
    );
    try {
      const started = Date.now();
      const out = path.join(root, 'flaky-out');
      await pullArtifact(new RegistryTarget(client, 'faults/flaky'), 'v1', out);
      assert.equal(await fs.readFile(path.join(out, 'small.txt'), 'utf8'), 'small file body');
      assert.ok(Date.now() - started >= 1000, 'waited as long as Retry-After said');
      assert.equal(next, faults.length, 'every fault was served');
      assert.ok(proxy.seen.length >= faults.length + 2);
      tally.survived += faults.length;
    } finally {
      await close();
    }
  });

  it('reports a 500 on a manifest push once, without retrying, naming the registry and the status', async () => {
    tally.injected++;
    let puts = 0;
    const { client, close } = await throughProxy((req) =>
      req.method === 'PUT' && req.url.includes('/manifests/') ? (puts++, { respond: 500 }) : { forward: true },
    );
    try {
      const source = path.join(root, 'small.txt');
      await assert.rejects(
        pushArtifact(new RegistryTarget(client, 'faults/error'), [source], { tag: 'v1' }),
        (e: unknown) => OciError.is(e, 'REGISTRY') && /answered 500/.test(e.message) && e.message.includes('127.0.0.1'),
      );
      assert.equal(puts, 1);
      survived();
    } finally {
      await close();
    }
  });

  it('fails a stalled server within the stall timeout with a clear message instead of hanging', async () => {
    tally.injected++;
    const sockets: net.Socket[] = [];
    const silent = net.createServer((socket) => {
      sockets.push(socket);
      socket.resume();
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const host = `127.0.0.1:${(silent.address() as net.AddressInfo).port}`;
    const client = new RegistryClient(
      { host, plainHttp: true },
      { credentials: { ignoreToolConfig: true }, retry: { retries: 1, baseDelayMs: 10 }, stallTimeoutMs: 500 },
    );
    try {
      const started = Date.now();
      await assert.rejects(
        new RegistryTarget(client, 'stalled/app').resolve('v1'),
        (e: unknown) =>
          OciError.is(e, 'NETWORK') && /stopped answering \(no response within the stall timeout\)/.test(e.message),
      );
      assert.ok(Date.now() - started < 10_000);
      survived();
    } finally {
      await client.close();
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  });

  it('a registry process frozen (SIGSTOP) fails a request within its request deadline, retries included, then answers once it runs again', async () => {
    tally.injected++;
    // Frozen, the kernel still accepts connections and nobody answers: every attempt stalls, and each retry
    // used to get a deadline of its own (four stalls instead of one deadline).
    const client = new RegistryClient(
      { host: registry.host, plainHttp: true },
      {
        credentials: { ignoreToolConfig: true },
        limits: { requestTimeoutMs: 3000 },
        stallTimeoutMs: 2000,
        retry: { retries: 3, baseDelayMs: 10, maxDelayMs: 100 },
      },
    );
    const target = new RegistryTarget(client, 'frozen/app');
    const source = path.join(root, 'frozen.txt');
    await fs.writeFile(source, 'a');
    await pushArtifact(target, [source], { tag: 'v1' });
    await freezeProcess(registry.pid!);
    try {
      const started = Date.now();
      await assert.rejects(
        target.resolve('v1'),
        (e: unknown) => OciError.is(e, 'NETWORK') && /within the request deadline of 3 s/.test(e.message),
      );
      const took = Date.now() - started;
      assert.ok(took < 4500, `failed after ${took} ms, beyond the 3 s deadline`);
    } finally {
      thawProcess(registry.pid!);
    }
    assert.equal((await target.resolve('v1')).mediaType, 'application/vnd.oci.image.manifest.v1+json');
    survived();
    await client.close();
  });

  it('a registry whose connections are never taken (dropped by a firewall, a frozen host) fails after one connect timeout, not one per retry', async () => {
    tally.injected++;
    const unanswered = await startUnansweredAddress();
    // The system already resent the connection request for the whole connect timeout: more attempts only
    // multiplied the wait (four times ten seconds before the tree showed why).
    const client = new RegistryClient(
      { host: unanswered.host, plainHttp: true },
      { credentials: { ignoreToolConfig: true }, retry: { retries: 3, baseDelayMs: 10, maxDelayMs: 100 } },
    );
    try {
      const started = Date.now();
      await assert.rejects(
        new RegistryTarget(client, 'unanswered/app').resolve('v1'),
        (e: unknown) => OciError.is(e, 'NETWORK') && /the connection got no answer/.test(e.message),
      );
      const took = Date.now() - started;
      assert.ok(took < 15_000, `failed after ${took} ms: the connect timeout was waited out more than once`);
      survived();
    } finally {
      await client.close();
      await unanswered.close();
    }
  });

  it('resumes a blob download that stalls part way, after the stall timeout', async () => {
    tally.injected++;
    const blob = randomBytes(2 * MiB);
    const descriptor = { mediaType: 'application/octet-stream', digest: digestOf(blob), size: blob.length };
    const direct = clientFor(registry);
    await new RegistryTarget(direct, 'faults/stall').pushBlob(descriptor, bufferContent(blob));
    await direct.close();
    let stalled = false;
    const { proxy, client, close } = await throughProxy(
      (req) => {
        if (!stalled && req.method === 'GET' && req.url.includes('/blobs/sha256:')) {
          stalled = true;
          return { forward: true, stallAfterBytes: MiB / 2 };
        }
        return { forward: true };
      },
      { stallTimeoutMs: 700 },
    );
    try {
      assert.ok((await readAll(await new RegistryTarget(client, 'faults/stall').fetchBlob(descriptor))).equals(blob));
      assert.match(String(proxy.seen.filter((r) => r.url.includes('/blobs/')).at(-1)!.headers.range), /^bytes=\d+-$/);
      survived();
    } finally {
      await close();
    }
  });
});
