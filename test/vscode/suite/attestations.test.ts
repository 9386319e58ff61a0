// Verify Signatures also verifies attestations: a cosign `.att` tag (DSSE envelope, SLSA provenance statement)
// signed by the key in stowage.trust.cosignPublicKeys is reported verified with its predicate type in the summary,
// and the attestation manifest is badged "verified"; signed by another key it fails, and the summary says so.
import * as assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { StowageTestApi as StowageApi } from '../../../src/vscode/testApi';
import type { VerifyOutcome } from '../../../src/vscode/supplyChain/verifySignatures';
import type { ManifestNode, RegistryNode } from '../../../src/vscode/tree/nodes';
import { startRegistry, type TestRegistry } from '../../fixtures/registry';
import {
  attachCosignAttestations,
  dsseEnvelope,
  inTotoStatement,
  SLSA_PROVENANCE_V1,
} from '../../helpers/cosignAttestation';
import { ScriptedPrompts } from './helpers/ScriptedPrompts';
import { pushTextArtifact, registryTarget } from './helpers/seed';
import { answering, child, children, setRegistries, stowageApi, waitFor } from './helpers/stowage';

describe('Verify Signatures verifies attestations: a cosign .att signed with a configured key', function () {
  this.timeout(120_000);
  let api: StowageApi;
  let registry: TestRegistry;
  let dir: string;
  const tags: Record<string, ManifestNode> = {};
  const attestations: Record<string, string> = {};
  const config = () => vscode.workspace.getConfiguration('stowage');

  before(async () => {
    api = await stowageApi();
    registry = await startRegistry({ variant: 'plain' });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stowage-attestations-'));
    const ours = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const theirs = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    fs.writeFileSync(path.join(dir, 'cosign.pub'), ours.publicKey.export({ type: 'spki', format: 'pem' }) as string);
    const target = registryTarget(registry, 'att/app');
    for (const [name, key] of [
      ['ours', ours.privateKey],
      ['theirs', theirs.privateKey],
    ] as const) {
      const { descriptor } = await pushTextArtifact(target, { 'app.txt': `${name}\n` }, { tag: name });
      const payload = inTotoStatement(`${registry.host}/att/app`, descriptor.digest);
      const manifest = await attachCosignAttestations(target, descriptor, [
        { envelope: dsseEnvelope(payload, key), predicateType: SLSA_PROVENANCE_V1 },
      ]);
      attestations[name] = manifest.digest;
    }
    await setRegistries([{ host: registry.host, plainHttp: true, repositories: ['att/app'] }]);
    const root = await waitFor('the registry in the view', async () =>
      (await children(api.registries)).find(
        (n): n is RegistryNode => n.type === 'registry' && n.setting.host === registry.host,
      ),
    );
    const repository = await child(api.registries, root, 'att/app');
    for (const name of ['ours', 'theirs']) tags[name] = (await child(api.registries, repository, name)) as ManifestNode;
    await config().update('trust.cosignPublicKeys', [path.join(dir, 'cosign.pub')], vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    await config().update('trust.cosignPublicKeys', undefined, vscode.ConfigurationTarget.Global);
    await setRegistries([]);
    await registry.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const verify = async (name: string) => {
    const prompts = new ScriptedPrompts();
    const outcome = await answering(api, prompts, () =>
      vscode.commands.executeCommand<VerifyOutcome>('stowage.artifact.verify', tags[name]),
    );
    return { outcome, notification: prompts.notifications.at(-1) };
  };

  it('reports the attestation verified with its predicate type and badges the .att manifest "verified"', async () => {
    const { outcome, notification } = await verify('ours');
    assert.deepEqual(
      outcome.attestations.map((a) => [a.kind, a.manifest.digest, a.result.ok, a.result.predicateType]),
      [['cosign', attestations.ours, true, SLSA_PROVENANCE_V1]],
    );
    assert.match(notification?.message ?? '', /1 attestation: 1 verified \(https:\/\/slsa\.dev\/provenance\/v1\)/);
    const entry = api.supplyChain.verificationOf(tags.ours!.store, attestations.ours!);
    assert.equal(entry?.status, 'verified');
    assert.match(entry?.detail ?? '', /^attestation https:\/\/slsa\.dev\/provenance\/v1: signed by cosign key /);
  });

  it('fails an attestation signed by another key: an error notification that says why', async () => {
    const { outcome, notification } = await verify('theirs');
    assert.deepEqual(
      outcome.attestations.map((a) => a.result.ok),
      [false],
    );
    assert.equal(notification?.severity, 'error');
    assert.match(notification?.message ?? '', /1 attestation: 1 failed \([0-9a-f]{12}: the signature does not verify/);
    assert.equal(api.supplyChain.verificationOf(tags.theirs!.store, attestations.theirs!)?.status, 'failed');
  });
});
