// A repository's .vscode/settings.json must not weaken TLS, send credentials over plain HTTP, add its own
// signers or raise the caps and deadlines that bound what a registry can make Stowage read: those settings are user-level only ("scope": "machine"), and Trust This Certificate writes the user's
// own list only.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { addTrustedCertificate } from '../../../src/vscode/supplyChain/trustSettings';
import type { StowageTestApi as StowageApi } from '../../../src/vscode/testApi';
import type { RegistryNode } from '../../../src/vscode/tree/nodes';
import { children, setRegistries, stowageApi, waitFor } from './helpers/stowage';

const HOSTILE_HOST = 'registry.workspace-says.example:5000';
const USER_LEVEL_ONLY = [
  'stowage.registries',
  'stowage.trust.certificates',
  'stowage.trust.cosignPublicKeys',
  'stowage.trust.sigstoreTrustedRoot',
  'stowage.trust.sigstoreIdentities',
  // Caps and deadlines guard against a hostile registry: a repository must not raise them for it.
  'stowage.pull.sizeCapMiB',
  'stowage.limits.maxPages',
  'stowage.limits.maxItems',
  'stowage.limits.maxListingMiB',
  'stowage.limits.maxResponseMiB',
  'stowage.limits.requestTimeoutSeconds',
];

describe('Settings a workspace cannot set', function () {
  this.timeout(60_000);
  let api: StowageApi;
  let settingsFile: string;
  const config = () => vscode.workspace.getConfiguration('stowage');

  before(async () => {
    api = await stowageApi();
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the suite runs in a folder');
    settingsFile = path.join(folder.uri.fsPath, '.vscode', 'settings.json');
  });

  afterEach(async () => {
    fs.rmSync(settingsFile, { force: true });
    await waitFor('the workspace settings gone', () => config().get('tree.pageSize') !== 7);
    await setRegistries([]);
    await config().update('trust.certificates', undefined, vscode.ConfigurationTarget.Global);
  });

  /** Writes the workspace's settings file as a cloned repository would, and waits until VS Code has read it. */
  async function workspaceSettings(settings: Record<string, unknown>): Promise<void> {
    fs.mkdirSync(path.dirname(settingsFile), { recursive: true });
    // A window-scoped setting beside them proves the file was read.
    fs.writeFileSync(settingsFile, JSON.stringify({ ...settings, 'stowage.tree.pageSize': 7 }, null, 2));
    await waitFor('VS Code to read the workspace settings', () => config().get('tree.pageSize') === 7);
  }

  it('declares the TLS, credential and trust settings user-level only, and Restricted Mode as limited', () => {
    const manifest = vscode.extensions.getExtension('stowage.stowage')!.packageJSON;
    const properties = manifest.contributes.configuration.properties as Record<string, { scope?: string }>;
    assert.deepEqual(
      USER_LEVEL_ONLY.map((key) => properties[key].scope),
      USER_LEVEL_ONLY.map(() => 'machine'),
    );
    assert.equal(manifest.capabilities.untrustedWorkspaces.supported, 'limited');
    assert.ok(manifest.capabilities.untrustedWorkspaces.restrictedConfigurations.includes('stowage.layouts'));
    assert.equal(manifest.capabilities.virtualWorkspaces.supported, 'limited');
  });

  it('ignores a registry with TLS off, plain HTTP and credentials over HTTP, signers, and raised caps, from the workspace', async () => {
    await workspaceSettings({
      'stowage.registries': [
        {
          host: HOSTILE_HOST,
          skipTlsVerify: true,
          plainHttp: true,
          allowCredentialsOverHttp: true,
          caFile: '/tmp/attacker-ca.pem',
        },
      ],
      'stowage.trust.certificates': ['/tmp/attacker-signer.pem'],
      'stowage.trust.cosignPublicKeys': ['/tmp/attacker-cosign.pub'],
      'stowage.trust.sigstoreTrustedRoot': '/tmp/attacker-trusted_root.json',
      'stowage.trust.sigstoreIdentities': [{ identityRegExp: '.*', issuerRegExp: '.*' }],
      'stowage.pull.sizeCapMiB': 1_000_000,
      'stowage.limits.maxResponseMiB': 100_000,
      'stowage.limits.requestTimeoutSeconds': 86_400,
    });
    assert.equal(config().get('pull.sizeCapMiB'), 1024);
    assert.equal(config().get('limits.maxResponseMiB'), 32);
    assert.equal(config().get('limits.requestTimeoutSeconds'), 120);
    assert.deepEqual(config().get('registries'), []);
    assert.deepEqual(config().get('trust.certificates'), []);
    assert.deepEqual(config().get('trust.cosignPublicKeys'), []);
    assert.equal(config().get('trust.sigstoreTrustedRoot'), '');
    assert.deepEqual(config().get('trust.sigstoreIdentities'), []);
    const hosts = (await children(api.registries))
      .filter((node): node is RegistryNode => node.type === 'registry')
      .map((node) => node.setting.host);
    assert.ok(!hosts.includes(HOSTILE_HOST), `the workspace's registry is in the view: ${hosts.join(', ')}`);
  });

  it('Trust This Certificate adds to the user list only, never copying a workspace list into it', async () => {
    await config().update('trust.certificates', ['/home/me/team-root.pem'], vscode.ConfigurationTarget.Global);
    await workspaceSettings({ 'stowage.trust.certificates': ['/tmp/attacker-signer.pem'] });
    await addTrustedCertificate('/home/me/release-signer.pem');
    assert.deepEqual(config().inspect('trust.certificates')?.globalValue, [
      '/home/me/team-root.pem',
      '/home/me/release-signer.pem',
    ]);
  });
});
