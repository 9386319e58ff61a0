// Messages from the referrer-graph webview are checked before the extension acts on them: an action outside the
// allowed set, or a request missing what it needs, is refused with the reason (which the panel logs).
import * as assert from 'node:assert/strict';
import { isWebviewMessage, NODE_ACTIONS, webviewMessageProblem } from '../../src/protocol/messages';

const DIGEST = `sha256:${'b'.repeat(64)}`;

describe('webview messages', () => {
  it('accepts every action the graph offers', () => {
    for (const { action } of NODE_ACTIONS)
      assert.ok(
        isWebviewMessage({ type: 'request', id: 1, request: { kind: 'action', action, digest: DIGEST } }),
        action,
      );
  });

  it('refuses an action outside the allowed set, naming it', () => {
    for (const action of ['runCommand', 'constructor', '__proto__', 'toString', '', 7, undefined]) {
      const message = { type: 'request', id: 2, request: { kind: 'action', action, digest: DIGEST } };
      assert.ok(!isWebviewMessage(message), String(action));
      assert.match(webviewMessageProblem(message)!, /^unknown action/);
    }
  });

  it('refuses requests without the fields they need, and unknown kinds and types', () => {
    assert.match(
      webviewMessageProblem({ type: 'request', id: 3, request: { kind: 'action', action: 'pull' } })!,
      /without a digest/,
    );
    assert.match(
      webviewMessageProblem({ type: 'request', id: 3, request: { kind: 'expand', digest: 9 } })!,
      /without a digest/,
    );
    assert.match(webviewMessageProblem({ type: 'request', id: 3, request: { kind: 'saveSvg' } })!, /without an SVG/);
    assert.match(
      webviewMessageProblem({ type: 'request', id: 3, request: { kind: 'eval' } })!,
      /unknown request kind "eval"/,
    );
    assert.match(
      webviewMessageProblem({ type: 'request', id: 1.5, request: { kind: 'expand', digest: DIGEST } })!,
      /whole-number id/,
    );
    assert.match(webviewMessageProblem({ type: 'run' })!, /unknown message type "run"/);
    assert.equal(webviewMessageProblem({ type: 'ready' }), undefined);
  });
});
