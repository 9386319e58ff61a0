import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fullCollect } from '../../helpers/fullCollect';
import { MessageChannel } from 'node:worker_threads';
import {
  LayoutBlobStore,
  LintThread,
  lintEditorDocument,
  serveEditorLint,
  type EditorLintRequest,
  type EditorLintResult,
} from '../../../src/core/lint';
import { lintSbom } from '../../../src/core/supplyChain';

/** The extension's thread script, compiled beside DocumentLinter as esbuild puts it beside the bundle. */
const WORKER_FILE = path.resolve(__dirname, '../../../src/vscode/lint/lintWorker.js');

function largeSbom(components: number, badAt: number): string {
  const list = Array.from({ length: components }, (_, i) => ({
    type: i === badAt ? 'gadget' : 'library',
    name: `component-${i}`,
    version: `1.0.${i}`,
    description: 'x'.repeat(120),
  }));
  return JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.5', version: 1, components: list }, null, 2);
}

function request(input: string, overrides: Partial<EditorLintRequest> = {}): EditorLintRequest {
  return { input, context: {}, byContentOnly: true, recognised: false, maySbom: false, ...overrides };
}

function inProcess(lint: EditorLintRequest): Promise<EditorLintResult | undefined> {
  return lintEditorDocument(lint, { lintSbom, storeFor: (root) => new LayoutBlobStore(root) });
}

/** Resolves once `done` says so, looking after each turn of the event loop; fails after `ms`. */
async function until(what: string, done: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('the lint thread (large documents, off the extension host)', function () {
  this.timeout(60_000);
  const threads: LintThread[] = [];
  const thread = (limits?: { idleMs?: number; heapMb?: number }): LintThread => {
    const made = new LintThread(WORKER_FILE, limits);
    threads.push(made);
    return made;
  };
  afterEach(() => {
    for (const each of threads.splice(0)) each.dispose();
  });

  it('checks a large CycloneDX SBOM against its schema and says what the extension host would', async () => {
    const text = largeSbom(6000, 10);
    assert.ok(text.length > 1_000_000);
    const lint = request(text, { maySbom: true });
    const onThread = await thread().lint(lint);
    assert.deepEqual(
      onThread?.problems.map((p) => p.message.split(':')[0]),
      ['CycloneDX SBOM /components/10/type'],
    );
    assert.deepEqual(onThread, await inProcess(lint));
  });

  it("checks a layout's index.json against the layout's blobs on the thread", async () => {
    const root = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-lint-thread-'));
    try {
      await fs.writeFile(path.join(root, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
      const missing = `sha256:${'a'.repeat(64)}`;
      const index = {
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.index.v1+json',
        manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: missing, size: 500 }],
      };
      const lint = request(JSON.stringify(index, null, 2), {
        context: { fileName: 'index.json' },
        layoutRoot: root,
        byContentOnly: false,
      });
      const onThread = await thread().lint(lint);
      assert.ok(
        onThread?.problems.some((p) => p.code === 'index-ref-missing' && p.message.includes(missing)),
        JSON.stringify(onThread?.problems),
      );
      assert.deepEqual(onThread, await inProcess(lint));
    } finally {
      await fs.rm(root, { recursive: true, force: true });
    }
  });

  it('says nothing of plain JSON that is no OCI document, and remembers one that was', async () => {
    const lintThread = thread();
    assert.equal(await lintThread.lint(request('{"name": "some-package", "version": "1.0.0"}')), undefined);
    const manifest = { schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: {} };
    const recognised = await lintThread.lint(request(JSON.stringify(manifest)));
    assert.equal(recognised?.recognised, true);
    assert.ok(recognised.problems.length > 0);
    // Half-typed, it no longer parses, but a document once recognised is still checked.
    const halfTyped = await lintThread.lint(request('{"schemaVersion": 2, "config": ', { recognised: true }));
    assert.ok(halfTyped?.problems.some((p) => p.severity === 'error'));
  });

  it('a cancelled check fails as cancelled and the thread goes on with the next', async () => {
    const lintThread = thread();
    const controller = new AbortController();
    const first = lintThread.lint(request(largeSbom(6000, 1), { maySbom: true }), controller.signal);
    const second = lintThread.lint(request(largeSbom(6000, 2), { maySbom: true }));
    controller.abort();
    await assert.rejects(first, { name: 'AbortError' });
    const answer = await second;
    assert.deepEqual(
      answer?.problems.map((p) => p.message.split(':')[0]),
      ['CycloneDX SBOM /components/2/type'],
    );
    await assert.rejects(lintThread.lint(request('{}'), controller.signal), { name: 'AbortError' });
  });

  it('a queued check that is cancelled lets go of its document at once, not when the thread reaches it', async () => {
    // The thread's side, served in this process over a real channel; the SBOM check of the first document waits
    // until released, so the second stays queued behind it.
    const { port1: served, port2: asking } = new MessageChannel();
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let checking = false;
    serveEditorLint(served, async (text) => {
      checking = true;
      await released;
      return lintSbom(text);
    });
    // The documents as the thread's side received them (the same objects its queue holds).
    const received = new Map<number, WeakRef<object>>();
    let cancelArrived = false;
    served.on('message', (message: { id: number; lint?: object; cancel?: true }) => {
      if (message.lint) received.set(message.id, new WeakRef(message.lint));
      if (message.cancel) cancelArrived = true;
    });
    const replies: number[] = [];
    asking.on('message', (reply: { id: number }) => replies.push(reply.id));
    try {
      asking.postMessage({ id: 1, lint: request(largeSbom(3, 1), { maySbom: true }) });
      await until('the first check to start', () => checking);
      asking.postMessage({ id: 2, lint: request(largeSbom(2000, 1), { maySbom: true }) });
      asking.postMessage({ id: 2, cancel: true });
      await until('the cancel to arrive', () => cancelArrived);
      await new Promise((resolve) => setImmediate(resolve));
      fullCollect();
      assert.equal(received.get(2)?.deref(), undefined, 'the cancelled document is still held in the queue');
      release();
      await until('the first answer', () => replies.length > 0);
      assert.deepEqual(replies, [1]);
    } finally {
      release();
      served.close();
      asking.close();
    }
  });

  it('a document too large for its memory fails with a clear message, and the next check gets a new thread', async () => {
    // 32 MiB load the validators and check a small SBOM; 30,000 components (6 MB) need more than 48.
    const lintThread = thread({ heapMb: 32 });
    await assert.rejects(lintThread.lint(request(largeSbom(30_000, 1), { maySbom: true })), {
      message: 'checking it needs more than 32 MiB: not checked',
    });
    assert.equal(lintThread.running, false);
    // Asked again (the next pause in typing), it is refused at once: no thread fills its memory for it again.
    const again = lintThread.lint(request(largeSbom(30_000, 2), { maySbom: true }));
    assert.equal(lintThread.running, false, 'a thread was started for a document known to be too large');
    await assert.rejects(again, { message: 'checking it needs more than 32 MiB: not checked' });
    const small = await lintThread.lint(request(largeSbom(3, 1), { maySbom: true }));
    assert.equal(small?.problems.length, 1);
    // The thread that ran out of memory reports its exit late: the new one is not stopped by it.
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(lintThread.running, true);
    assert.equal((await lintThread.lint(request(largeSbom(3, 2), { maySbom: true })))?.problems.length, 1);
  });

  it('stops when it has been idle, and starts again for the next document', async () => {
    const lintThread = thread({ idleMs: 50 });
    await lintThread.lint(request(largeSbom(3, 1), { maySbom: true }));
    assert.equal(lintThread.running, true);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(lintThread.running, false);
    const again = await lintThread.lint(request(largeSbom(3, 0), { maySbom: true }));
    assert.equal(again?.problems[0]?.path.join('/'), 'components/0/type');
    assert.equal(lintThread.checks, 2);
  });

  it('a document asked for as the idle thread stops is checked by the next thread, not failed by the old one ending', async () => {
    const lintThread = thread({ idleMs: 20 });
    await lintThread.lint(request(largeSbom(3, 1), { maySbom: true }));
    // The moment the idle thread is let go (it is still ending): the next document starts a thread of its own.
    while (lintThread.running) await new Promise((resolve) => setImmediate(resolve));
    const next = await lintThread.lint(request(largeSbom(3, 0), { maySbom: true }));
    assert.equal(next?.problems[0]?.path.join('/'), 'components/0/type');
    assert.equal(lintThread.running, true);
  });
});
