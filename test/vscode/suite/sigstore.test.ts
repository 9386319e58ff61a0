// A cosign v3 signature (a Sigstore bundle referrer, keyless) verified in the editor against the trusted root in
// stowage.trust.sigstoreTrustedRoot and the rules in stowage.trust.sigstoreIdentities: Verify Signatures badges it
// "✓ verified" in the tree and in the referrer graph. The bundle and the trusted root come from a private Sigstore
// made offline at test time by @sigstore/mock.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { pushReferrer } from '../../../src/core/supplyChain';
import type { StowageTestApi as StowageApi } from '../../../src/vscode/testApi';
import type { VerifyOutcome } from '../../../src/vscode/supplyChain/verifySignatures';
import type { ManifestNode, RegistryNode, TreeNode } from '../../../src/vscode/tree/nodes';
import { startRegistry, type TestRegistry } from '../../fixtures/registry';
import { bundleReferrer, cosignStatement, createMockSigstore } from '../../helpers/sigstoreFixtures';
import { ScriptedPrompts } from './helpers/ScriptedPrompts';
import { pushTextArtifact, registryTarget } from './helpers/seed';
import { answering, child, children, setRegistries, stowageApi, waitFor } from './helpers/stowage';

const IDENTITY = 'https://github.com/acme/app/.github/workflows/release.yml@refs/tags/v1';
const ISSUER = 'https://token.actions.githubusercontent.com';
/** An identity a loose rule lets through, 10 KB long, writing the issuer as Stowage appended it, and a quote. */
const IMPOSTOR = `https://github.com/acme/app/x.yml" (OIDC issuer https://accounts.google.com) ${'A'.repeat(10_000)}`;
const TRUST_SETTINGS = [
  'trust.certificates',
  'trust.cosignPublicKeys',
  'trust.sigstoreTrustedRoot',
  'trust.sigstoreIdentities',
];

describe('Verify Signatures with a Sigstore trusted root: a keyless bundle referrer', function () {
  this.timeout(120_000);
  let api: StowageApi;
  let registry: TestRegistry;
  let dir: string;
  let tag: TreeNode;
  let bundleDigest: string;
  let impostorBundleDigest: string;
  const config = () => vscode.workspace.getConfiguration('stowage');

  before(async () => {
    api = await stowageApi();
    registry = await startRegistry({ variant: 'plain' });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stowage-sigstore-'));
    const sigstore = await createMockSigstore();
    fs.writeFileSync(path.join(dir, 'trusted_root.json'), JSON.stringify(sigstore.trustedRoot));
    const target = registryTarget(registry, 'sigstore/app');
    const { descriptor } = await pushTextArtifact(target, { 'app.txt': 'the app\n' }, { tag: 'v1' });
    const { bundle } = await sigstore.keyless({
      identity: IDENTITY,
      issuer: ISSUER,
      content: { statement: cosignStatement(descriptor.digest, `${registry.host}/sigstore/app`) },
    });
    const referrer = bundleReferrer(descriptor, bundle);
    bundleDigest = referrer.manifest.descriptor.digest;
    await pushReferrer(target, referrer.manifest, referrer.blobs);
    const other = await pushTextArtifact(target, { 'app.txt': 'the impostor\n' }, { tag: 'impostor' });
    const forged = await sigstore.keyless({
      identity: IMPOSTOR,
      issuer: ISSUER,
      content: { statement: cosignStatement(other.descriptor.digest, `${registry.host}/sigstore/app`) },
    });
    const forgedReferrer = bundleReferrer(other.descriptor, forged.bundle);
    impostorBundleDigest = forgedReferrer.manifest.descriptor.digest;
    await pushReferrer(target, forgedReferrer.manifest, forgedReferrer.blobs);

    await setRegistries([{ host: registry.host, plainHttp: true, repositories: ['sigstore/app'] }]);
    const root = await waitFor('the registry in the view', async () =>
      (await children(api.registries)).find(
        (n): n is RegistryNode => n.type === 'registry' && n.setting.host === registry.host,
      ),
    );
    tag = await child(api.registries, await child(api.registries, root, 'sigstore/app'), 'v1');
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const setting of TRUST_SETTINGS) await config().update(setting, undefined, vscode.ConfigurationTarget.Global);
    await setRegistries([]);
    await registry.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('badges the bundle signature "✓ verified" in the tree and the graph, with the signer identity', async () => {
    for (const setting of TRUST_SETTINGS) await config().update(setting, undefined, vscode.ConfigurationTarget.Global);
    await config().update(
      'trust.sigstoreTrustedRoot',
      path.join(dir, 'trusted_root.json'),
      vscode.ConfigurationTarget.Global,
    );
    await config().update(
      'trust.sigstoreIdentities',
      [{ identity: IDENTITY, issuerRegExp: '^https://token\\.actions\\.githubusercontent\\.com$' }],
      vscode.ConfigurationTarget.Global,
    );
    const verify = new ScriptedPrompts();
    const outcome = await answering(api, verify, () =>
      vscode.commands.executeCommand<VerifyOutcome>('stowage.artifact.verify', tag),
    );
    assert.deepEqual([outcome.verified, outcome.failed, outcome.unverified], [1, 0, 0]);
    assert.deepEqual(
      outcome.results.map((r) => [r.kind, r.signature.digest, r.result.ok]),
      [['sigstore', bundleDigest, true]],
    );
    assert.equal(verify.notifications.at(-1)?.severity, 'info');

    const signatures = await child(api.registries, tag, 'Signatures');
    const node = await waitFor('the bundle referrer in the tree', async () =>
      (await children(api.registries, signatures)).find(
        (n): n is ManifestNode => n.type === 'manifest' && n.descriptor?.digest === bundleDigest,
      ),
    );
    const entry = api.supplyChain.verificationOf(node.store, bundleDigest);
    assert.equal(entry?.status, 'verified');
    const item = await waitFor('the "✓ verified" badge in the tree', () => {
      const current = api.registries.getTreeItem(node);
      return /✓ verified/.test(String(current.description)) && current;
    });
    assert.match(
      String(item.tooltip),
      /Sigstore bundle: signed by OIDC issuer "https:\/\/token\.actions\.githubusercontent\.com", identity "https:\/\/github\.com\/acme\/app\/.*"/,
    );

    await vscode.commands.executeCommand('stowage.graph.show', tag);
    const graph = await waitFor(
      'the bundle\'s "verified" badge in the graph',
      () => {
        const current = api.supplyChain.currentGraph();
        return current?.nodes.find((n) => n.digest === bundleDigest)?.verification?.status === 'verified' && current;
      },
      30_000,
    );
    assert.equal(graph.nodes.find((n) => n.digest === bundleDigest)?.kind, 'cosign-signature');
  });

  it('marks it "failed" when the identity rules name another signer', async () => {
    await config().update(
      'trust.sigstoreIdentities',
      [{ identity: 'https://github.com/acme/other/.github/workflows/release.yml@refs/tags/v1', issuer: ISSUER }],
      vscode.ConfigurationTarget.Global,
    );
    const verify = new ScriptedPrompts();
    const outcome = await answering(api, verify, () =>
      vscode.commands.executeCommand<VerifyOutcome>('stowage.artifact.verify', tag),
    );
    assert.deepEqual([outcome.verified, outcome.failed], [0, 1]);
    assert.equal(verify.notifications.at(-1)?.severity, 'error');
    assert.match(verify.notifications.at(-1)?.message ?? '', /does not match the identity rule/);
    await vscode.commands.executeCommand('stowage.graph.show', tag);
    await waitFor(
      'the "failed" badge in the graph',
      () =>
        api.supplyChain.currentGraph()?.nodes.find((n) => n.digest === bundleDigest)?.verification?.status === 'failed',
      30_000,
    );
  });

  it('names the issuer first and the identity quoted, cut at 200 characters: a 10 KB identity imitating an issuer cannot pass for one', async () => {
    await config().update(
      'trust.sigstoreTrustedRoot',
      path.join(dir, 'trusted_root.json'),
      vscode.ConfigurationTarget.Global,
    );
    await config().update(
      'trust.sigstoreIdentities',
      [{ identityRegExp: '^https://github\\.com/acme/', issuer: ISSUER }],
      vscode.ConfigurationTarget.Global,
    );
    const repository = await waitFor('the repository in the view', async () =>
      (await children(api.registries)).find(
        (n): n is RegistryNode => n.type === 'registry' && n.setting.host === registry.host,
      ),
    );
    const impostor = await child(api.registries, await child(api.registries, repository, 'sigstore/app'), 'impostor');
    const outcome = await answering(api, new ScriptedPrompts(), () =>
      vscode.commands.executeCommand<VerifyOutcome>('stowage.artifact.verify', impostor),
    );
    assert.deepEqual([outcome.verified, outcome.failed], [1, 0]);
    const signatures = await child(api.registries, impostor, 'Signatures');
    const node = await waitFor("the impostor's bundle referrer in the tree", async () =>
      (await children(api.registries, signatures)).find(
        (n): n is ManifestNode => n.type === 'manifest' && n.descriptor?.digest === impostorBundleDigest,
      ),
    );
    const entry = api.supplyChain.verificationOf(node.store, impostorBundleDigest);
    const detail = entry?.detail ?? '';
    const signer = `OIDC issuer "${ISSUER}", identity "https://github.com/acme/app/x.yml\\" (OIDC issuer https://accounts.google.com) AAA`;
    assert.ok(detail.startsWith(`Sigstore bundle: signed by ${signer}`), detail.slice(0, 300));
    assert.equal(detail.length, 'Sigstore bundle: signed by '.length + 201, 'cut at 200 characters and "…"');
  });
});
