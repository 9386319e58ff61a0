// Check Supply Chain of All Tags… in the editor, on a real registry repository and on a layout folder: every tag
// judged against the stowage.trust.* settings (v1 signed by the trusted key with an SBOM it signed too, v2 by a key nobody
// trusts, v3 with nothing), the report opened as a read-only document and a summary notification; and, with no
// trust material set, the same error Verify Signatures gives.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { MediaType } from '../../../src/core/oci/mediaTypes';
import type { Target } from '../../../src/core/content';
import { LayoutTarget } from '../../../src/core/layout/LayoutTarget';
import { createSigningKey } from '../../../src/core/sign';
import { saveSigningKey, signArtifact } from '../../../src/core/supplyChain';
import type { StowageTestApi as StowageApi } from '../../../src/vscode/testApi';
import type { SupplyChainCheckOutcome } from '../../../src/vscode/supplyChain/checkSupplyChain';
import type { LayoutNode, RegistryNode, TreeNode } from '../../../src/vscode/tree/nodes';
import { startRegistry, type TestRegistry } from '../../fixtures/registry';
import { ScriptedPrompts } from './helpers/ScriptedPrompts';
import { pushTextArtifact, registryTarget } from './helpers/seed';
import { answering, child, children, setRegistries, stowageApi, waitFor } from './helpers/stowage';

describe('Check Supply Chain of All Tags…', function () {
  this.timeout(120_000);
  let api: StowageApi;
  let registry: TestRegistry;
  let home: string;
  let trustedCert: string;
  let repository: TreeNode;
  let layoutNode: LayoutNode;

  /** v1 signed by the trusted key with a CycloneDX SBOM, v2 signed by a stranger's key, v3 with nothing. */
  async function seed(
    target: Target,
    keys: Record<'trusted' | 'stranger', { privateKeyPem: string; certChainPem: string }>,
  ) {
    const v1 = await pushTextArtifact(target, { 'v1.txt': 'one\n' }, { tag: 'v1' });
    const v2 = await pushTextArtifact(target, { 'v2.txt': 'two\n' }, { tag: 'v2' });
    await pushTextArtifact(target, { 'v3.txt': 'three\n' }, { tag: 'v3' });
    const sbom = await pushTextArtifact(
      target,
      { 'sbom.cdx.json': '{"bomFormat":"CycloneDX"}' },
      { artifactType: MediaType.cyclonedx, subject: v1.descriptor },
    );
    // The SBOM signed on its own (as `stowage sign` on its digest does): the report names that signature.
    await signArtifact(target, sbom.descriptor, {
      key: keys.trusted.privateKeyPem,
      certChain: keys.trusted.certChainPem,
    });
    await signArtifact(target, v1.descriptor, {
      key: keys.trusted.privateKeyPem,
      certChain: keys.trusted.certChainPem,
    });
    await signArtifact(target, v2.descriptor, {
      key: keys.stranger.privateKeyPem,
      certChain: keys.stranger.certChainPem,
    });
  }

  before(async () => {
    api = await stowageApi();
    registry = await startRegistry({ variant: 'plain' });
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'stowage-audit-'));
    const make = (name: string) =>
      createSigningKey({ algorithm: 'ecdsa-p256', subject: `CN=${name} signer`, validDays: 30 });
    const keys = { trusted: await make('trusted'), stranger: await make('stranger') };
    trustedCert = (await saveSigningKey(home, keys.trusted, 'trusted')).certFile;
    await seed(registryTarget(registry, 'audit/app'), keys);
    const layoutPath = path.join(home, 'layout');
    await seed(await LayoutTarget.open(layoutPath, { create: true }), keys);
    layoutNode = {
      type: 'layout',
      id: 'audit-layout',
      store: { kind: 'layout', path: layoutPath },
      fromSetting: false,
    };
    await setRegistries([{ host: registry.host, plainHttp: true, repositories: ['audit/app'] }]);
    const root = await waitFor('the registry in the view', async () =>
      (await children(api.registries)).find(
        (n): n is RegistryNode => n.type === 'registry' && n.setting.host === registry.host,
      ),
    );
    repository = await child(api.registries, root, 'audit/app');
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace
      .getConfiguration('stowage')
      .update('trust.certificates', undefined, vscode.ConfigurationTarget.Global);
    await setRegistries([]);
    await registry.stop();
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('without trust material, says which settings to fill and checks nothing', async () => {
    const prompts = new ScriptedPrompts();
    const outcome = await answering(api, prompts, () =>
      vscode.commands.executeCommand<SupplyChainCheckOutcome | undefined>(
        'stowage.repository.checkSupplyChain',
        repository,
      ),
    );
    assert.equal(outcome, undefined);
    assert.match(prompts.notifications.at(-1)!.message, /^Nothing to verify against: .*stowage\.trust\.certificates/);
  });

  for (const where of ['registry repository', 'layout folder'] as const)
    it(`on a ${where}: one row per tag in the report document, and a summary notification`, async () => {
      await vscode.workspace
        .getConfiguration('stowage')
        .update('trust.certificates', [trustedCert], vscode.ConfigurationTarget.Global);
      const prompts = new ScriptedPrompts().thenPick('All tags').thenPickMany([]);
      const node = where === 'layout folder' ? layoutNode : repository;
      const outcome = await answering(api, prompts, () =>
        vscode.commands.executeCommand<SupplyChainCheckOutcome>('stowage.repository.checkSupplyChain', node),
      );
      assert.deepEqual(
        outcome.audit.tags.map((t) => [t.tag, t.verdict, t.sboms.map((s) => s.format)]),
        [
          ['v1', 'passed', ['CycloneDX']],
          ['v2', 'failed', []],
          ['v3', 'unsigned', []],
        ],
      );
      const notice = prompts.notifications.at(-1)!;
      assert.equal(notice.severity, 'warning');
      assert.match(
        notice.message,
        /: 3 tags: 1 passed, 1 unsigned, 1 failed; 1 with an SBOM, 0 with attestations\. Not every tag passed/,
      );
      const editor = await waitFor('the report in an editor', () =>
        vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === outcome.uri.toString()),
      );
      const text = editor.document.getText();
      assert.match(text, /^TAG +VERDICT +DIGEST +SIGNATURES +SBOM +ATTESTATIONS$/m);
      assert.match(text, /^v1 +passed +[0-9a-f]{12} +1 verified +CycloneDX +-$/m);
      assert.deepEqual(
        text.split('\n').filter((line) => line.length > 100 && !/^v\d: (verified|SBOM) /.test(line)),
        [],
        'read in a 100-column editor: the verdict beside the tag, the title, notes and failed signatures folded (only a verified line may run on)',
      );
      assert.match(
        text,
        /^v2: FAILED notary sha256:[0-9a-f]{12}:\n {4}no certificate of the chain .*CN=stranger\s+signer/m,
      );
      assert.match(
        text,
        /^v1: SBOM CycloneDX sha256:[0-9a-f]{12}: verified notary sha256:[0-9a-f]{12} signed at \S+ by .*CN=trusted signer/m,
      );
      assert.deepEqual(
        outcome.audit.tags[0]!.sboms.map((s) => s.verified),
        [true],
      );
      assert.equal(editor.document.uri.scheme, 'stowage-supply-chain', 'a virtual document: nothing to save');
      assert.equal(editor.document.isDirty, false);
    });

  it('asks which tags (a glob) and what to require, as verify --tags --require; remembers the answers for the repository; the tag rows show each verdict', async () => {
    await vscode.workspace
      .getConfiguration('stowage')
      .update('trust.certificates', [trustedCert], vscode.ConfigurationTarget.Global);
    const first = new ScriptedPrompts()
      .thenPick('Tags matching a pattern…')
      .thenInput('v1, v2')
      .thenPickMany(['SBOM', 'Provenance']);
    const outcome = await answering(api, first, () =>
      vscode.commands.executeCommand<SupplyChainCheckOutcome>('stowage.repository.checkSupplyChain', repository),
    );
    assert.deepEqual(
      outcome.audit.tags.map((t) => [t.tag, t.verdict, t.missing]),
      [
        ['v1', 'missing', ['provenance']],
        ['v2', 'failed', ['sbom', 'provenance']],
      ],
    );
    assert.deepEqual(outcome.audit.require, ['sbom', 'provenance']);
    assert.deepEqual(first.stepsShown, ['1/2', '1/2', '2/2']);

    const rows = await children(api.registries, repository);
    // A tag row learns its digest when its manifest is read behind the tree (tree.describeTags): then the badge shows.
    const description = (tag: string, shows: RegExp) =>
      waitFor(`${tag}'s row saying ${shows}`, () => {
        const row = rows.find((n) => n.type === 'manifest' && n.tag === tag);
        const text = row ? String(api.registries.getTreeItem(row).description ?? '') : '';
        return shows.test(text) && text;
      });
    await description('v1', /supply chain: missing provenance$/);
    await description('v2', /supply chain: failed$/);

    const again = new ScriptedPrompts().thenKeep('pick').thenKeep('input').thenPickMany(['SBOM']);
    const rerun = await answering(api, again, () =>
      vscode.commands.executeCommand<SupplyChainCheckOutcome>('stowage.repository.checkSupplyChain', repository),
    );
    assert.deepEqual(again.asked[0]?.activeLabels, ['Tags matching a pattern…']);
    assert.equal(again.asked[1]?.value, 'v1,v2');
    assert.deepEqual(again.asked[2]?.activeLabels, ['SBOM', 'Provenance']);
    assert.deepEqual(
      rerun.audit.tags.map((t) => [t.tag, t.verdict]),
      [
        ['v1', 'passed'],
        ['v2', 'failed'],
      ],
    );
    await description('v1', /supply chain: passed$/);
  });
});
