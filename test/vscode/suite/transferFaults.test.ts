// A transfer that fails part way must not leave the editor looking busy: the registry is killed while Push as
// Artifact… streams a layer, and the command ends in one error notification with no progress left running.
import * as assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { StowageTestApi as StowageApi } from '../../../src/vscode/testApi';
import { startFaultProxy, type FaultProxy } from '../../fixtures/faultProxy';
import { startRegistry, type TestRegistry } from '../../fixtures/registry';
import { ScriptedPrompts } from './helpers/ScriptedPrompts';
import { answering, setRegistries, stowageApi } from './helpers/stowage';

describe('transfers that fail part way', function () {
  this.timeout(120_000);
  let api: StowageApi;
  let registry: TestRegistry;
  let proxy: FaultProxy;
  let folder: string;
  let killedWhileRunning: number | undefined;

  before(async () => {
    api = await stowageApi();
    registry = await startRegistry({ variant: 'plain', logLevel: 'error' });
    folder = fs.mkdtempSync(path.join(vscode.workspace.workspaceFolders![0]!.uri.fsPath, 'fault-push-'));
  });

  after(async () => {
    await setRegistries([]);
    await proxy?.close();
    await registry?.stop();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it('a push whose registry dies mid-upload ends with an error notification and no transfer left running', async () => {
    const file = path.join(folder, 'big.bin');
    const bytes = randomBytes(16 * 1024 * 1024);
    fs.writeFileSync(file, bytes);
    const layerHex = createHash('sha256').update(bytes).digest('hex');
    // The registry is killed shortly after the layer's PUT starts streaming through the proxy.
    proxy = await startFaultProxy(registry.url, (req) => {
      if (killedWhileRunning === undefined && req.method === 'PUT' && req.url.includes(layerHex)) {
        killedWhileRunning = api.runningTransfers();
        setTimeout(() => process.kill(registry.pid!, 'SIGKILL'), 20);
      }
      return { forward: true };
    });
    await setRegistries([{ host: proxy.host, plainHttp: true }]);

    const prompts = new ScriptedPrompts()
      .thenInput('v1')
      .thenPick('application/vnd.stowage.artifact.v1')
      .thenInput('')
      .thenConfirm(true);
    const uri = vscode.Uri.file(file);
    const outcome = await answering(api, prompts, () =>
      vscode.commands.executeCommand('stowage.artifact.push', uri, [uri], {
        destination: { kind: 'registry', host: proxy.host, repository: 'faults/push' },
      }),
    );

    assert.equal(killedWhileRunning, 1, 'the registry was killed while the push showed progress');
    assert.equal(outcome, undefined);
    const errors = prompts.notifications.filter((n) => n.severity === 'error');
    assert.equal(errors.length, 1, JSON.stringify(prompts.notifications));
    assert.match(
      errors[0]!.message,
      new RegExp(`^Push as Artifact failed: cannot reach ${proxy.host.replace(/\./g, '\\.')}`),
      'the error says what failed',
    );
    assert.deepEqual(errors[0]!.actions, ['Show Log']);
    assert.equal(api.runningTransfers(), 0, 'a progress notification is still running');
  });
});
