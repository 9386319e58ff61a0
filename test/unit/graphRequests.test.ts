// The webview's requests, typed by GraphRequests end to end: the webview's `request(kind, params)` posts what the
// extension's message check accepts, the extension's handler table answers each kind with its own handler, and
// the response settles the request with the same id (or rejects it with the failure in words).
import * as assert from 'node:assert/strict';
import {
  isWebviewMessage,
  type GraphNodeView,
  type RequestMessage,
  type ResponseMessage,
} from '../../src/protocol/messages';
import { RequestClient, respond, type RequestHandlers } from '../../src/protocol/requests';
import { graphNodeView } from '../helpers/graphNodeView';

const DIGEST = `sha256:${'c'.repeat(64)}`;

const NODE: GraphNodeView = graphNodeView(DIGEST, { size: 2, depth: 1 });

/** A client whose posted requests are kept, to be answered when the test says. */
function client(): { rpc: RequestClient; posted: RequestMessage[] } {
  const posted: RequestMessage[] = [];
  return { rpc: new RequestClient((message) => posted.push(message)), posted };
}

describe('webview requests', () => {
  const calls: string[] = [];
  const handlers: RequestHandlers = {
    expand: async ({ digest }) => {
      calls.push(`expand ${digest}`);
      return { nodes: [{ ...NODE, digest }], edges: [] };
    },
    action: async ({ action, digest }) => {
      calls.push(`action ${action} ${digest}`);
      if (action === 'delete') throw new Error(`${digest} is not in this graph`);
      return {};
    },
    saveSvg: async ({ svg }) => {
      calls.push(`saveSvg ${svg.length}`);
      return { message: 'Saved /tmp/graph.svg' };
    },
    filter: async ({ artifactTypes }) => {
      calls.push(`filter ${artifactTypes.join(',')}`);
      return {};
    },
  };
  const describeError = (error: unknown) => `described: ${(error as Error).message}`;

  beforeEach(() => calls.splice(0));

  it('posts each request in the shape the extension accepts, with a new id each time', () => {
    const { rpc, posted } = client();
    void rpc.request('expand', { digest: DIGEST });
    void rpc.request('action', { action: 'verify', digest: DIGEST });
    void rpc.request('saveSvg', { svg: '<svg/>' });
    assert.deepEqual(posted, [
      { type: 'request', id: 1, request: { kind: 'expand', digest: DIGEST } },
      { type: 'request', id: 2, request: { kind: 'action', action: 'verify', digest: DIGEST } },
      { type: 'request', id: 3, request: { kind: 'saveSvg', svg: '<svg/>' } },
    ]);
    for (const message of posted) assert.ok(isWebviewMessage(message), JSON.stringify(message));
  });

  it("answers each kind with its own handler and resolves the request with that kind's result", async () => {
    const { rpc, posted } = client();
    const expanded = rpc.request('expand', { digest: DIGEST });
    const saved = rpc.request('saveSvg', { svg: '<svg/>' });
    const done = rpc.request('action', { action: 'pull', digest: DIGEST });
    // Answered out of order: each response settles the request with its id.
    for (const message of [...posted].reverse()) rpc.settle(await respond(handlers, message, describeError));
    assert.deepEqual(await expanded, { nodes: [NODE], edges: [] });
    assert.equal((await saved).message, 'Saved /tmp/graph.svg');
    assert.deepEqual(await done, {});
    assert.deepEqual(calls, [`action pull ${DIGEST}`, 'saveSvg 6', `expand ${DIGEST}`]);
  });

  it('turns a failing handler into an error response that rejects the request with the words', async () => {
    const { rpc, posted } = client();
    const deleting = rpc.request('action', { action: 'delete', digest: DIGEST });
    const response = await respond(handlers, posted[0]!, describeError);
    assert.deepEqual(response, { type: 'response', id: 1, error: `described: ${DIGEST} is not in this graph` });
    rpc.settle(response);
    await assert.rejects(deleting, { message: `described: ${DIGEST} is not in this graph` });
  });

  it('ignores a response to no pending request, and settles each request once', async () => {
    const { rpc, posted } = client();
    const expanded = rpc.request('expand', { digest: DIGEST });
    rpc.settle({ type: 'response', id: 99, error: 'stray' });
    const answer: ResponseMessage = await respond(handlers, posted[0]!, describeError);
    rpc.settle(answer);
    rpc.settle({ type: 'response', id: 1, error: 'late duplicate' });
    assert.deepEqual(await expanded, { nodes: [NODE], edges: [] });
  });
});
