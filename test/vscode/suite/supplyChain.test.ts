// The supply-chain commands in the editor against a real registry: Attach SBOM on a tag opens the graph with the
// new node; a key made by Create Signing Key signs through Attach Signature; Verify Signatures turns the
// signature's badge to "verified" (and to "failed" when its certificate is not trusted); a cosign `.sig`
// signature gets the same badge from a key in stowage.trust.cosignPublicKeys.
import * as assert from 'node:assert/strict';
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import * as vscode from 'vscode';
import { listReferrers } from '../../../src/core/graph';
import { shortDigest } from '../../../src/core/oci';
import { MediaType } from '../../../src/core/oci/mediaTypes';
import { loadSigningIdentity, signDescriptor } from '../../../src/core/sign';
import type { SavedSigningKey } from '../../../src/core/supplyChain';
import type { StowageTestApi as StowageApi } from '../../../src/vscode/testApi';
import type { AttachSbomOutcome } from '../../../src/vscode/supplyChain/attachSbom';
import type { VerifyOutcome } from '../../../src/vscode/supplyChain/verifySignatures';
import type { ManifestNode, RegistryNode, TreeNode } from '../../../src/vscode/tree/nodes';
import { startRegistry, type TestRegistry } from '../../fixtures/registry';
import { ScriptedPrompts } from './helpers/ScriptedPrompts';
import { pushTextArtifact, registryTarget } from './helpers/seed';
import { answering, child, children, setRegistries, stowageApi, waitFor } from './helpers/stowage';

describe('Referrer graph, Attach SBOM…, Attach Signature… and Verify Signatures', function () {
  this.timeout(120_000);
  let api: StowageApi;
  let registry: TestRegistry;
  let keysDir: string;
  let tag: TreeNode;

  before(async () => {
    api = await stowageApi();
    registry = await startRegistry({ variant: 'plain' });
    keysDir = fs.mkdtempSync(path.join(os.tmpdir(), 'stowage-keys-'));
    await pushTextArtifact(
      registryTarget(registry, 'supply/app'),
      { 'app.txt': 'the app\n', 'notes.md': '# notes\n' },
      { tag: 'v1' },
    );
    await setRegistries([{ host: registry.host, plainHttp: true, repositories: ['supply/app'] }]);
    const root = await waitFor('the registry in the view', async () =>
      (await children(api.registries)).find(
        (n): n is RegistryNode => n.type === 'registry' && n.setting.host === registry.host,
      ),
    );
    tag = await child(api.registries, await child(api.registries, root, 'supply/app'), 'v1');
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace
      .getConfiguration('stowage')
      .update('trust.certificates', undefined, vscode.ConfigurationTarget.Global);
    await vscode.workspace
      .getConfiguration('stowage')
      .update('trust.cosignPublicKeys', undefined, vscode.ConfigurationTarget.Global);
    await setRegistries([]);
    await registry.stop();
    fs.rmSync(keysDir, { recursive: true, force: true });
  });

  async function graphWith(
    what: string,
    probe: (nodes: ReturnType<StowageApi['supplyChain']['currentGraph']>) => boolean,
  ) {
    return waitFor(
      what,
      () => {
        const graph = api.supplyChain.currentGraph();
        return graph && probe(graph) ? graph : undefined;
      },
      30_000,
    );
  }

  it('Attach SBOM (generated) on a tag attaches a valid CycloneDX referrer and the graph opens showing it', async () => {
    await vscode.env.clipboard.writeText('untouched');
    const prompts = new ScriptedPrompts()
      .thenPick('Generate CycloneDX')
      .pressingInNotifications('Copy Pinned Reference');
    const outcome = await answering(api, prompts, () =>
      vscode.commands.executeCommand<AttachSbomOutcome>('stowage.artifact.attachSbom', tag),
    );
    assert.equal(outcome.type, 'cyclonedx');
    assert.deepEqual(
      prompts.notifications.map((n) => n.message),
      [
        `Attached CycloneDX SBOM ${shortDigest(outcome.digest, { withAlgorithm: true })} to ${registry.host}/supply/app:v1.`,
      ],
    );
    await waitFor('the SBOM pinned on the clipboard', async () =>
      (await vscode.env.clipboard.readText()) === `${registry.host}/supply/app@${outcome.digest}` ? true : undefined,
    );
    const graph = await graphWith(
      'the graph showing the SBOM',
      (g) => !!g?.nodes.some((n) => n.digest === outcome.digest),
    );
    const sbom = graph.nodes.find((n) => n.digest === outcome.digest)!;
    assert.equal(sbom.kind, 'cyclonedx-sbom');
    assert.equal(sbom.artifactType, MediaType.cyclonedx);
    assert.deepEqual(
      graph.edges.map((e) => [e.to, e.source]),
      [[outcome.digest, 'fallback-tag']],
    );
    assert.equal(graph.reference, `${registry.host}/supply/app:v1`);
    const root = graph.nodes.find((n) => n.digest === graph.root)!;
    assert.deepEqual([root.kind, root.artifactType], ['other', 'application/vnd.stowage.test.v1']);
  });

  it('Show Referrer Graph names the root as the tree does (kind, artifact type, annotations), from a tag and from its open manifest', async () => {
    const annotations = { 'org.example.team': 'platform', 'org.opencontainers.image.description': 'a demo' };
    const seeded = await pushTextArtifact(
      registryTarget(registry, 'supply/demo'),
      { 'demo.txt': 'demo\n' },
      { tag: 'v1', artifactType: 'application/vnd.example.demo.v1', annotations },
    );
    const demo: ManifestNode = {
      type: 'manifest',
      id: 'supply/demo:v1',
      store: { kind: 'registry', host: registry.host, repository: 'supply/demo' },
      tag: 'v1',
    };
    const rootOf = async (what: string) => {
      const graph = await graphWith(what, (g) => g?.root === seeded.descriptor.digest);
      return graph.nodes.find((n) => n.digest === graph.root)!;
    };
    const expectDescribed = (root: Awaited<ReturnType<typeof rootOf>>) => {
      assert.deepEqual(
        [root.kind, root.kindLabel, root.artifactType],
        ['other', 'Artifact', 'application/vnd.example.demo.v1'],
      );
      assert.deepEqual(root.annotations, annotations);
    };

    await vscode.commands.executeCommand('stowage.graph.show', demo);
    expectDescribed(await rootOf('the graph of the tag'));
    const tabs = vscode.window.tabGroups.all.flatMap((group) => group.tabs.map((t) => t.label));
    assert.ok(
      tabs.includes('Referrers: supply/demo:v1'),
      `the graph tab names the whole repository: ${tabs.join(', ')}`,
    );

    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const document = await vscode.commands.executeCommand<vscode.TextDocument>('stowage.manifest.open', demo);
    await vscode.commands.executeCommand('stowage.graph.show', document.uri);
    expectDescribed(await rootOf('the graph of the open manifest'));
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('Create Signing Key… writes a key and certificate, Attach Signature… signs with them, and Verify shows "verified"', async () => {
    const made = new ScriptedPrompts().thenPick('ECDSA P-256').thenInput('CN=editor test signer').thenFolder(keysDir);
    const saved = await answering(api, made, () =>
      vscode.commands.executeCommand<SavedSigningKey>('stowage.signing.createKey'),
    );
    assert.equal(fs.statSync(saved.keyFile).mode & 0o777, 0o600);
    assert.match(made.notifications[0]!.message, /Keep the key private/);

    // The certificate picked as the key: refused at once, before the chain is asked for.
    const wrongKey = new ScriptedPrompts().thenPick('Sign with a local key').thenFolder(saved.certFile);
    await answering(api, wrongKey, () => vscode.commands.executeCommand('stowage.artifact.attachSignature', tag));
    assert.match(wrongKey.notifications.at(-1)!.message, /^Attach Signature failed: private key .*: not a PEM/);

    const sign = new ScriptedPrompts()
      .thenPick('Sign with a local key')
      .thenFolder(saved.keyFile)
      .thenFolder(saved.certFile);
    const signature = await answering(api, sign, () =>
      vscode.commands.executeCommand<string>('stowage.artifact.attachSignature', tag),
    );
    assert.deepEqual(
      sign.asked.filter((q) => q.kind === 'openDialog').map((q) => q.defaultUri?.fsPath),
      [saved.keyFile, saved.certFile],
      'the dialogs open on the key and certificate just made',
    );
    assert.equal(
      sign.notifications.at(-1)?.message,
      `Attached signature ${shortDigest(signature, { withAlgorithm: true })} to ${registry.host}/supply/app:v1.`,
      'the signature is announced',
    );
    await graphWith(
      'the graph showing the signature',
      (g) => !!g?.nodes.some((n) => n.digest === signature && n.kind === 'notary-signature'),
    );

    await vscode.workspace
      .getConfiguration('stowage')
      .update('trust.certificates', [saved.certFile], vscode.ConfigurationTarget.Global);
    const verify = new ScriptedPrompts();
    const outcome = await answering(api, verify, () =>
      vscode.commands.executeCommand<VerifyOutcome>('stowage.artifact.verify', tag),
    );
    assert.deepEqual([outcome.verified, outcome.failed], [1, 0]);
    assert.match(verify.notifications.at(-1)!.message, /1 signature verified/);
    const graph = await graphWith(
      'the "verified" badge',
      (g) => g?.nodes.find((n) => n.digest === signature)?.verification?.status === 'verified',
    );
    assert.equal(graph.nodes.find((n) => n.digest === graph.root)?.verification?.status, 'verified');
    const store = { kind: 'registry' as const, host: registry.host, repository: 'supply/app' };
    assert.equal(
      api.supplyChain.verificationOf(store, signature)?.status,
      'verified',
      'the tree can read the same result',
    );
    // The tree shows the badge on the tag and on the signature under it (expanding the tag resolves its digest).
    const signatures = await child(api.registries, tag, 'Signatures');
    assert.match(String(api.registries.getTreeItem(tag).description), /✓ verified/);
    const signatureNode = (await children(api.registries, signatures)).find(
      (n) => n.type === 'manifest' && n.descriptor?.digest === signature,
    )!;
    assert.match(String(api.registries.getTreeItem(signatureNode).description), /✓ verified/);
    assert.match(String(api.registries.getTreeItem(signatureNode).tooltip), /signer|signature/i);
  });

  it('the tree names referrers by what they are, digest beside them, a verified signature with its icon, and the tag by its kind, sizes labelled', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const signatures = await child(api.registries, tag, 'Signatures');
    const [signature] = await children(api.registries, signatures);
    const signatureItem = await waitFor('the signature named by its signer', () => {
      const item = api.registries.getTreeItem(signature!);
      return item.label === `Notary signature · CN=editor test signer · ${today}` && item;
    });
    assert.match(String(signatureItem.description), /^[0-9a-f]{12} · ✓ verified$/);
    assert.equal((signatureItem.iconPath as vscode.ThemeIcon).id, 'verified-filled');
    // The side bar cuts so long a name: the hover starts with it whole, and says where it was found in words.
    const signatureHover = String(signatureItem.tooltip).split('\n');
    assert.equal(signatureHover[0], signatureItem.label);
    assert.ok(signatureHover.includes('found through the fallback tag'), signatureHover.join(' | '));
    // Its envelope layer carries no file name: it is named by what it is, not by 12 hex digits.
    const signatureLayers = (await children(api.registries, signature!)).filter(
      (n) => n.type === 'blob' && n.role === 'layer',
    );
    assert.deepEqual(
      signatureLayers.map((n) => api.registries.getTreeItem(n).label),
      ['JWS signature envelope'],
    );
    const [sbom] = await children(api.registries, await child(api.registries, tag, 'SBOMs'));
    await waitFor('the SBOM named by its kind and the size of its content', () =>
      /^CycloneDX SBOM · content \d+(\.\d+)? (B|KiB) · \d{4}-\d{2}-\d{2}$/.test(
        String(api.registries.getTreeItem(sbom!).label),
      ),
    );
    const tagItem = await waitFor('the tag described by its kind', () => {
      const item = api.registries.getTreeItem(tag);
      return String(item.description).startsWith('Artifact · application/vnd.stowage.test.v1 · ') && item;
    });
    assert.equal(tagItem.label, 'v1');
    assert.match(String(tagItem.tooltip), /^tag v1\nsha256:[0-9a-f]{64}\n/);
    assert.match(String(tagItem.tooltip), /\nmanifest \d+ B(\n|$)/, 'the hover says whose size it shows');
  });

  it('Verify Signatures against a certificate that is not trusted marks the signature "failed"', async () => {
    const other = new ScriptedPrompts()
      .thenPick('ECDSA P-256')
      .thenInput('CN=stranger')
      .thenFolder(path.join(keysDir, 'stranger'));
    const stranger = await answering(api, other, () =>
      vscode.commands.executeCommand<SavedSigningKey>('stowage.signing.createKey'),
    );
    await vscode.workspace
      .getConfiguration('stowage')
      .update('trust.certificates', [stranger.certFile], vscode.ConfigurationTarget.Global);
    const verify = new ScriptedPrompts();
    const outcome = await answering(api, verify, () =>
      vscode.commands.executeCommand<VerifyOutcome>('stowage.artifact.verify', tag),
    );
    assert.deepEqual([outcome.verified, outcome.failed], [0, 1]);
    assert.equal(verify.notifications.at(-1)!.severity, 'error');
    assert.deepEqual(verify.notifications.at(-1)!.actions, ['Trust a Certificate File…'], 'the next step is offered');
    await graphWith(
      'the "failed" badge',
      (g) => g?.nodes.find((n) => n.kind === 'notary-signature')?.verification?.status === 'failed',
    );

    // The signer's certificate file picked from the failure: trusted (beside the stranger's), verified again.
    const signerCert = path.join(keysDir, 'signing.crt.pem');
    const trusting = new ScriptedPrompts().pressingInNotifications('Trust a Certificate File…').thenFolder(signerCert);
    const again = await answering(api, trusting, () =>
      vscode.commands.executeCommand<VerifyOutcome>('stowage.artifact.verify', tag),
    );
    assert.deepEqual([again.verified, again.failed], [1, 0]);
    assert.deepEqual(vscode.workspace.getConfiguration('stowage').get('trust.certificates'), [
      stranger.certFile,
      signerCert,
    ]);
    assert.match(trusting.notifications.at(-1)!.message, /1 signature verified/);
    await graphWith(
      'the "verified" badge again',
      (g) => g?.nodes.find((n) => n.kind === 'notary-signature')?.verification?.status === 'verified',
    );
  });

  it('Verify Signatures on an artifact named by digest (a graph node) names it by the short digest in its notification', async () => {
    // The trust and the signature are those the tests before left (as the graph's Verify Signatures button runs it).
    const descriptor = await registryTarget(registry, 'supply/app').resolve('v1');
    const digest = descriptor.digest;
    const byDigest: ManifestNode = {
      type: 'manifest',
      id: `graph/${digest}`,
      store: (tag as ManifestNode).store,
      descriptor,
    };
    const verify = new ScriptedPrompts();
    await answering(api, verify, () =>
      vscode.commands.executeCommand<VerifyOutcome>('stowage.artifact.verify', byDigest),
    );
    const message = verify.notifications.at(-1)!.message;
    assert.ok(
      message.startsWith(`${registry.host}/supply/app@${shortDigest(digest, { withAlgorithm: true })}…: `),
      `the notification begins: ${message.slice(0, 120)}`,
    );
    assert.ok(!message.includes(digest), 'the whole digest fills the toast');
  });

  it('Verify Signatures with a private key in stowage.trust.certificates says so, instead of failing the signatures', async () => {
    const keyFile = path.join(
      keysDir,
      'stranger',
      fs.readdirSync(path.join(keysDir, 'stranger')).find((f) => f.endsWith('.key.pem'))!,
    );
    await vscode.workspace
      .getConfiguration('stowage')
      .update('trust.certificates', [keyFile], vscode.ConfigurationTarget.Global);
    const verify = new ScriptedPrompts();
    const outcome = await answering(api, verify, () =>
      vscode.commands.executeCommand<VerifyOutcome | undefined>('stowage.artifact.verify', tag),
    );
    assert.equal(outcome, undefined, 'no signature was judged');
    const errors = verify.notifications.filter((n) => n.severity === 'error');
    assert.equal(errors.length, 1, JSON.stringify(verify.notifications));
    assert.match(
      errors[0]!.message,
      /trusted certificate .*\.key\.pem \(stowage\.trust\.certificates\): this is a private key; give its certificate/,
    );
  });

  it('Attach File… offers referrer artifact types (SBOM, attestation, signature) and Other…; attaches the file with the type and annotations typed, and the graph shows them', async () => {
    const file = path.join(keysDir, 'release-notes.txt');
    fs.writeFileSync(file, 'notes for v1\n');
    const prompts = new ScriptedPrompts()
      .thenFolder(file)
      .thenPick('Other…')
      .thenInput('application/vnd.example.notes.v1')
      .thenInput('org.example.team=platform; org.example.ticket=OPS-1');
    const digest = await answering(api, prompts, () =>
      vscode.commands.executeCommand<string>('stowage.artifact.attachFile', tag),
    );
    const graph = await graphWith(
      'the graph showing the attached file',
      (g) => !!g?.nodes.some((n) => n.digest === digest),
    );
    const offered = prompts.asked.find((q) => q.kind === 'pick')!.items!.map((i) => i.label);
    for (const type of [MediaType.cyclonedx, MediaType.spdx, MediaType.inToto, MediaType.notarySignature])
      assert.ok(offered.includes(type), `${type} among ${offered}`);
    assert.equal(offered.at(-1), 'Other…');
    // The typed type's box says what is wrong with a type, not only what a type looks like.
    const typed = prompts.asked.find((q) => q.kind === 'input' && q.prompt === 'Media type')!;
    assert.equal(
      await typed.validate!(`application/vnd.example.${'y'.repeat(300)}+json`),
      'Not a media type: its subtype is 317 characters long; RFC 6838 allows at most 127. A media type looks like type/subtype.',
    );
    assert.equal(await typed.validate!('application/vnd.example.notes.v1'), undefined);
    const attached = graph.nodes.find((n) => n.digest === digest)!;
    assert.equal(attached.artifactType, 'application/vnd.example.notes.v1');
    // In the tree its name gives the type; its hover says the type once, not on two lines.
    const row = await waitFor('the attached file in the tree', async () =>
      (await children(api.registries, await child(api.registries, tag, 'Other referrers'))).find(
        (n) => n.type === 'manifest' && n.descriptor?.digest === digest,
      ),
    );
    // Named by its type once its manifest was read (the row is drawn first and filled in).
    const hover = await waitFor('the row named by its artifact type', () => {
      const lines = String(api.registries.getTreeItem(row).tooltip).split('\n');
      return lines[0]!.startsWith('Artifact · application/vnd.example.notes.v1 · ') && lines;
    });
    assert.equal(
      hover.filter((line) => line.includes('application/vnd.example.notes.v1')).length,
      1,
      hover.join(' | '),
    );
    assert.equal(attached.annotations['org.example.team'], 'platform');
    assert.equal(attached.annotations['org.example.ticket'], 'OPS-1');
  });

  it('an in-toto statement attached as a plain file (Attach File…, no annotation) is named in the tree by the predicate type it states', async () => {
    const file = path.join(keysDir, 'provenance.json');
    fs.writeFileSync(
      file,
      JSON.stringify({
        _type: 'https://in-toto.io/Statement/v1',
        // The tree names the row by what the statement says; whether it names this subject is the audit's to judge.
        subject: [{ name: 'supply/app', digest: { sha256: '0'.repeat(64) } }],
        predicateType: 'https://slsa.dev/provenance/v1',
        predicate: { buildDefinition: { buildType: 'https://example.com/build' } },
      }),
    );
    const prompts = new ScriptedPrompts().thenFolder(file).thenPick(MediaType.inToto).thenInput('');
    const digest = await answering(api, prompts, () =>
      vscode.commands.executeCommand<string>('stowage.artifact.attachFile', tag),
    );
    const row = await waitFor('the statement among the attestations', async () =>
      (await children(api.registries, await child(api.registries, tag, 'Attestations'))).find(
        (n) => n.type === 'manifest' && n.descriptor?.digest === digest,
      ),
    );
    const today = new Date().toISOString().slice(0, 10);
    await waitFor(
      'the row named by its predicate type',
      () => api.registries.getTreeItem(row).label === `in-toto attestation · https://slsa.dev/provenance/v1 · ${today}`,
      30_000,
    );
  });

  it('Attach File… numbers its questions (the type typed after "Other…" keeps the number and the total), Back asks the question before again with its answer kept', async () => {
    const file = path.join(keysDir, 'steps.txt');
    fs.writeFileSync(file, 'stepped\n');
    const prompts = new ScriptedPrompts()
      .thenFolder(file)
      .thenPick('Other…')
      .thenBack('input')
      .thenPick(MediaType.inToto)
      .thenBack('input')
      .thenKeep('pick')
      .thenInput('org.example.step=two');
    const digest = await answering(api, prompts, () =>
      vscode.commands.executeCommand<string>('stowage.artifact.attachFile', tag),
    );
    assert.deepEqual(prompts.stepsShown, ['', '1/2', '1/2', '1/2', '2/2', '1/2', '2/2']);
    const [, type, , again, annotations, typeAgain] = prompts.asked;
    assert.equal(type!.step!.back, false, 'the first question has nothing to go back to');
    assert.deepEqual(again!.activeLabels, ['Other…'], 'Back from the media type shows the type list, "Other…" chosen');
    assert.equal(annotations!.step!.back, true);
    assert.deepEqual(typeAgain!.activeLabels, [MediaType.inToto], 'the type chosen is kept');
    const graph = await graphWith('the attached file', (g) => !!g?.nodes.some((n) => n.digest === digest));
    const attached = graph.nodes.find((n) => n.digest === digest)!;
    assert.equal(attached.artifactType, MediaType.inToto);
    assert.equal(attached.annotations['org.example.step'], 'two');
  });

  it('Attach File… under an SBOM type names a file that is no valid SBOM of that type and attaches it only when told to', async () => {
    const file = path.join(keysDir, 'not-an-sbom.json');
    fs.writeFileSync(file, JSON.stringify({ name: 'package.json, not an SBOM' }));
    const declined = new ScriptedPrompts().thenFolder(file).thenPick(MediaType.spdx).thenConfirm(false);
    assert.equal(
      await answering(api, declined, () => vscode.commands.executeCommand<string>('stowage.artifact.attachFile', tag)),
      undefined,
    );
    const asked = declined.asked.find((q) => q.kind === 'confirm')!.confirm!;
    assert.equal(asked.message, `Attach a file that is no valid SBOM as ${MediaType.spdx}?`);
    assert.ok(
      asked.detail!.startsWith('• not-an-sbom.json: the document is neither SPDX JSON nor CycloneDX JSON\n'),
      asked.detail,
    );
    assert.equal(asked.action, 'Attach Anyway');
    assert.ok(!declined.asked.some((q) => q.kind === 'input'), 'declining asks nothing more and attaches nothing');

    const accepted = new ScriptedPrompts().thenFolder(file).thenPick(MediaType.spdx).thenConfirm(true).thenInput('');
    const digest = await answering(api, accepted, () =>
      vscode.commands.executeCommand<string>('stowage.artifact.attachFile', tag),
    );
    await graphWith(
      'the file attached anyway',
      (g) => g?.nodes.find((n) => n.digest === digest)?.artifactType === MediaType.spdx,
    );
  });

  it('Attach Signature… with an existing envelope attaches it when it signs this artifact and refuses one for another', async () => {
    const identity = await loadSigningIdentity(
      path.join(keysDir, 'signing.key.pem'),
      path.join(keysDir, 'signing.crt.pem'),
    );
    const subject = await registryTarget(registry, 'supply/app').resolve('v1');
    const good = path.join(keysDir, 'good.sig.json');
    fs.writeFileSync(
      good,
      signDescriptor({ mediaType: subject.mediaType, digest: subject.digest, size: subject.size }, identity),
    );
    const attach = new ScriptedPrompts().thenPick('Attach a signature file').thenFolder(good);
    const digest = await answering(api, attach, () =>
      vscode.commands.executeCommand<string>('stowage.artifact.attachSignature', tag),
    );
    await graphWith(
      'the attached envelope in the graph',
      (g) => g?.nodes.find((n) => n.digest === digest)?.kind === 'notary-signature',
    );

    const other = path.join(keysDir, 'other.sig.json');
    fs.writeFileSync(
      other,
      signDescriptor({ mediaType: subject.mediaType, digest: `sha256:${'0'.repeat(64)}`, size: 2 }, identity),
    );
    const refuse = new ScriptedPrompts().thenPick('Attach a signature file').thenFolder(other);
    assert.equal(
      await answering(api, refuse, () =>
        vscode.commands.executeCommand<string>('stowage.artifact.attachSignature', tag),
      ),
      undefined,
    );
    assert.match(refuse.notifications.at(-1)?.message ?? '', /the envelope signs sha256:0{64}, not sha256:/);
  });
  it('Attach SBOM…, Create Signing Key… and Attach Signature… from the palette number their questions, and Back goes to the answer before with it kept', async () => {
    const steps = registryTarget(registry, 'supply/steps');
    const seeded = await pushTextArtifact(steps, { 's.txt': 'steps\n' }, { tag: 'v1' });
    const reference = `${registry.host}/supply/steps:v1`;
    const sbom = new ScriptedPrompts()
      .thenInput(reference)
      .thenBack('pick')
      .thenKeep('input')
      .thenPick('Generate SPDX 2.3');
    const attached = await answering(api, sbom, () =>
      vscode.commands.executeCommand<AttachSbomOutcome>('stowage.artifact.attachSbom'),
    );
    assert.equal(attached.type, 'spdx');
    assert.deepEqual(sbom.stepsShown, ['1/2', '2/2', '1/2', '2/2']);
    assert.equal(sbom.asked[1]!.step!.back, true, 'the SBOM question offers Back');
    assert.equal(sbom.asked[2]!.value, reference, 'the reference typed is kept');

    // A key of its own (the test runs alone too): made as a user makes one, its questions numbered too.
    const ownKeys = fs.mkdtempSync(path.join(keysDir, 'steps-'));
    const keyPrompts = new ScriptedPrompts()
      .thenPick('ECDSA P-256')
      .thenBack('input')
      .thenKeep('pick')
      .thenInput('CN=steps signer')
      .thenFolder(ownKeys);
    const saved = await answering(api, keyPrompts, () =>
      vscode.commands.executeCommand<SavedSigningKey>('stowage.signing.createKey'),
    );
    assert.deepEqual(keyPrompts.stepsShown, ['1/2', '2/2', '1/2', '2/2', '']);
    assert.deepEqual(keyPrompts.asked[2]!.activeLabels, ['ECDSA P-256'], 'the algorithm chosen is kept');
    const signature = new ScriptedPrompts()
      .thenInput(reference)
      .thenBack('pick')
      .thenKeep('input')
      .thenPick('Sign with a local key')
      .thenFolder(saved.keyFile)
      .thenFolder(saved.certFile);
    const digest = await answering(api, signature, () =>
      vscode.commands.executeCommand<string>('stowage.artifact.attachSignature'),
    );
    assert.match(digest, /^sha256:/);
    // The key and its certificates are chosen in dialogs: no number (an unencrypted key asks no passphrase).
    assert.deepEqual(signature.stepsShown, ['1/2', '2/2', '1/2', '2/2', '', '']);
    assert.equal(signature.asked[2]!.value, reference, 'the reference typed is kept');
    assert.equal((await listReferrers(steps, seeded.descriptor.digest)).length, 2);
  });

  it('Verify Signatures checks a cosign .sig signature against stowage.trust.cosignPublicKeys and badges it "verified"', async () => {
    // The cosign signature is written here from cosign's format with node:crypto, not with Stowage's signing code.
    const target = registryTarget(registry, 'supply/app');
    const subject = await target.resolve('v1');
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const keyFile = path.join(keysDir, 'cosign.pub');
    fs.writeFileSync(keyFile, publicKey.export({ type: 'spki', format: 'pem' }));
    const payload = Buffer.from(
      JSON.stringify({
        critical: {
          identity: { 'docker-reference': `${registry.host}/supply/app` },
          image: { 'docker-manifest-digest': subject.digest },
          type: 'cosign container image signature',
        },
        optional: null,
      }),
    );
    const put = async (bytes: Buffer, mediaType: string) => {
      const descriptor = {
        mediaType,
        digest: `sha256:${createHash('sha256').update(bytes).digest('hex')}`,
        size: bytes.length,
      };
      await target.pushBlob(descriptor, async () => Readable.from([bytes]));
      return descriptor;
    };
    const layer = {
      ...(await put(payload, MediaType.cosignSimpleSigning)),
      annotations: { 'dev.cosignproject.cosign/signature': sign('sha256', payload, privateKey).toString('base64') },
    };
    const config = await put(Buffer.from('{"architecture":"","os":"","config":{}}'), MediaType.ociConfig);
    const manifest = Buffer.from(
      JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ociManifest, config, layers: [layer] }),
    );
    const sigDigest = `sha256:${createHash('sha256').update(manifest).digest('hex')}`;
    await target.pushManifest(
      { mediaType: MediaType.ociManifest, digest: sigDigest, size: manifest.length },
      manifest,
      { tag: `${subject.digest.replace(':', '-')}.sig` },
    );

    // Only the cosign key is trusted: the Notary signatures are "not verified", which does not fail the artifact.
    await vscode.workspace
      .getConfiguration('stowage')
      .update('trust.certificates', undefined, vscode.ConfigurationTarget.Global);
    await vscode.workspace
      .getConfiguration('stowage')
      .update('trust.cosignPublicKeys', [keyFile], vscode.ConfigurationTarget.Global);
    const verify = new ScriptedPrompts();
    const outcome = await answering(api, verify, () =>
      vscode.commands.executeCommand<VerifyOutcome>('stowage.artifact.verify', tag),
    );
    assert.equal(outcome.verified, 1);
    assert.equal(outcome.failed, 0);
    assert.ok(outcome.unverified >= 1, 'the Notary signatures cannot be checked without certificates');
    assert.deepEqual(
      outcome.results.filter((r) => r.kind === 'cosign').map((r) => [r.signature.digest, r.result.ok]),
      [[sigDigest, true]],
    );
    await vscode.commands.executeCommand('stowage.graph.show', tag);
    const graph = await graphWith(
      'the cosign signature\'s "verified" badge',
      (g) => g?.nodes.find((n) => n.digest === sigDigest)?.verification?.status === 'verified',
    );
    assert.equal(graph.nodes.find((n) => n.digest === sigDigest)?.kind, 'cosign-signature');
    api.registries.refresh(tag); // the .sig tag was pushed behind the tree's back
    const signatures = await child(api.registries, tag, 'Signatures');
    const sigNode = await waitFor('the .sig manifest in the tree', async () =>
      (await children(api.registries, signatures)).find(
        (n) => n.type === 'manifest' && n.descriptor?.digest === sigDigest,
      ),
    );
    assert.match(String(api.registries.getTreeItem(sigNode).description), /✓ verified/);
    assert.match(String(api.registries.getTreeItem(sigNode).tooltip), /cosign: signed by cosign key .*cosign\.pub/);
  });

  it('a graph open on an artifact deleted with its referrers reloads: its referrers are gone from it too', async () => {
    await pushTextArtifact(registryTarget(registry, 'supply/gone'), { 'gone.txt': 'gone\n' }, { tag: 'v1' });
    const gone: ManifestNode = {
      type: 'manifest',
      id: 'supply/gone:v1',
      store: { kind: 'registry', host: registry.host, repository: 'supply/gone' },
      tag: 'v1',
    };
    const sbom = await answering(api, new ScriptedPrompts().thenPick('Generate SPDX'), () =>
      vscode.commands.executeCommand<AttachSbomOutcome>('stowage.artifact.attachSbom', gone),
    );
    await graphWith('the graph with the SBOM', (g) => !!g?.nodes.some((n) => n.digest === sbom.digest));

    const deleting = new ScriptedPrompts().thenChoose('Delete with 1 Referrer');
    assert.equal(
      await answering(api, deleting, () => vscode.commands.executeCommand('stowage.artifact.delete', gone)),
      true,
    );
    const graph = await graphWith('the graph without the deleted SBOM', (g) =>
      Boolean(g?.nodes.every((n) => n.digest !== sbom.digest)),
    );
    assert.equal(graph.nodes.length, 1);
  });
});
