// `stowage verify --all-tags` against a real registry (no referrers API: the fallback tag carries the referrers):
// three tags — v1 signed by a trusted key with an SBOM and a provenance attestation, v2 signed by a key nobody
// trusts, v3 with nothing — judged one row each, with the exit code a release gate reads, the JSON, --tags and
// --require; and an index tag judged by its own signature.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import type { RepositoryAudit } from '../../../src/core/supplyChain';
import { Annotation, MediaType } from '../../../src/core/oci/mediaTypes';
import type { Descriptor } from '../../../src/core/oci/descriptor';
import { startRegistry, type TestRegistry } from '../../fixtures/registry';
import { cli, cliOk } from '../../helpers/runCli';

const PROVENANCE = 'https://slsa.dev/provenance/v1';

describe('stowage verify --all-tags: the supply chain of a whole repository', function () {
  this.timeout(180_000);
  let home: string;
  let registry: TestRegistry;
  let repo: string;
  let trusted: string;
  let stranger: string;
  const flags = ['--plain-http'];

  before(async () => {
    home = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-audit-'));
    registry = await startRegistry({ variant: 'plain' });
    repo = `${registry.host}/audit/app`;
    const keys: Record<string, { key: string; cert: string }> = {};
    for (const name of ['trusted', 'stranger']) {
      await cliOk([
        'key',
        'create',
        '--out',
        path.join(home, 'keys'),
        '--name',
        name,
        '--subject',
        `CN=${name} signer`,
      ]);
      keys[name] = {
        key: path.join(home, 'keys', `${name}.key.pem`),
        cert: path.join(home, 'keys', `${name}.crt.pem`),
      };
    }
    [trusted, stranger] = [keys['trusted']!.cert, keys['stranger']!.cert];
    const sign = (tag: string, who: string) =>
      cliOk(['sign', `${repo}:${tag}`, '--key', keys[who]!.key, '--cert', keys[who]!.cert, ...flags]);
    for (const tag of ['v1', 'v2', 'v3']) {
      const file = path.join(home, `${tag}.txt`);
      await fs.writeFile(file, `release ${tag}\n`);
      await cliOk(['push', `${repo}:${tag}`, file, ...flags]);
    }
    await cliOk(['sbom', `${repo}:v1`, '--attach', ...flags]);
    const statement = path.join(home, 'provenance.json');
    await fs.writeFile(
      statement,
      JSON.stringify({ _type: 'https://in-toto.io/Statement/v1', predicateType: PROVENANCE }),
    );
    await cliOk([
      'attach',
      `${repo}:v1`,
      `${statement}:${MediaType.inToto}`,
      '--artifact-type',
      MediaType.inToto,
      '-a',
      `in-toto.io/predicate-type=${PROVENANCE}`,
      ...flags,
    ]);
    await sign('v1', 'trusted');
    await sign('v2', 'stranger');
    // An index tag, signed itself (as cosign signs an index by default), in a repository of its own.
    await cliOk(['push', `${registry.host}/audit/multi:a`, path.join(home, 'v1.txt'), ...flags]);
    await cliOk(['push', `${registry.host}/audit/multi:b`, path.join(home, 'v2.txt'), ...flags]);
    await cliOk(['manifest', 'index', 'create', `${registry.host}/audit/multi:all`, 'a', 'b', ...flags]);
    await cliOk([
      'sign',
      `${registry.host}/audit/multi:all`,
      '--key',
      keys['trusted']!.key,
      '--cert',
      keys['trusted']!.cert,
      ...flags,
    ]);
  });

  after(async () => {
    await registry.stop();
    await fs.rm(home, { recursive: true, force: true });
  });

  const rowOf = (stdout: string, tag: string) => stdout.split('\n').find((line) => line.startsWith(`${tag} `)) ?? '';

  it('prints one row per tag in tag order with a summary, and fails the gate when one tag is not signed by a trusted key', async () => {
    const run = await cli(['verify', '--all-tags', repo, '--trust-cert', trusted, ...flags]);
    assert.equal(run.code, 1, run.stdout + run.stderr);
    const lines = run.stdout.split('\n');
    assert.match(lines[0]!, /^TAG +VERDICT +DIGEST +SIGNATURES +SBOM +ATTESTATIONS$/);
    // Each row is printed as its tag is judged, its signatures' lines under it ("v1: verified …").
    const rows = lines.slice(1).filter((l) => /^\S+ {2,}/.test(l) && !/^\S+: /.test(l));
    assert.deepEqual(
      rows.map((l) => l.split(/ {2,}/)[0]),
      ['v1', 'v2', 'v3'],
      'in tag order, referrer tags left out',
    );
    assert.match(run.stdout, /^v1 .*\nv1: verified notary /m, 'a row, then its tag’s signature lines');
    assert.match(
      rowOf(run.stdout, 'v1'),
      /^v1 +passed +[0-9a-f]{12} +1 verified +CycloneDX +https:\/\/slsa\.dev\/provenance\/v1$/,
    );
    assert.match(rowOf(run.stdout, 'v2'), /^v2 +failed +[0-9a-f]{12} +1 failed +- +-$/);
    assert.match(rowOf(run.stdout, 'v3'), /^v3 +unsigned +[0-9a-f]{12} +none +- +-$/);
    assert.match(run.stdout, /^v1: verified notary sha256:[0-9a-f]{12} signed at \S+ by CN=trusted signer$/m);
    assert.match(
      run.stdout,
      /^v2: FAILED notary sha256:[0-9a-f]{12}:\n {4}no certificate of the chain is among the trusted certificates \(the chain ends in CN=stranger\n {4}signer\)$/m,
      'the reasons folded under the verdict within 100 columns',
    );
    assert.deepEqual(
      run.stdout.split('\n').filter((l) => l.length > 100 && !/^v\d: verified /.test(l)),
      [],
      'only a verified line (one per signature, for grep) may run past 100 columns',
    );
    assert.match(
      run.stdout,
      /\n3 tags: 1 passed, 1 unsigned, 1 failed; 1 with an SBOM, 1 with attestations\n$/,
      'the summary is the last line',
    );
  });

  it('passes with --tags picking the signed tag, and fails with one that picks the unsigned too', async () => {
    const one = await cli(['verify', '-a', '--tags', 'v1', repo, '--trust-cert', trusted, ...flags]);
    assert.equal(one.code, 0, one.stdout + one.stderr);
    assert.match(one.stdout, /\n1 tag: 1 passed;/);
    const two = await cli(['verify', '--tags', 'v1,v3', repo, '--trust-cert', trusted, ...flags]);
    assert.equal(two.code, 1, 'v3 has no signature');
    assert.deepEqual(
      two.stdout
        .split('\n')
        .slice(1)
        .filter((l) => /^v\d /.test(l))
        .map((l) => l.split(' ')[0]),
      ['v1', 'v3'],
    );
    const none = await cli(['verify', '--tags', 'v9*', repo, '--trust-cert', trusted, ...flags]);
    assert.equal(none.code, 1);
    assert.match(none.stderr, /"v9\*".*its tags: v1, v2, v3/, 'a glob that matches nothing names the tags there');
  });

  it('--require sbom fails a tag that is signed by a trusted key but has no SBOM; --require provenance reads predicate types', async () => {
    const both = ['--trust-cert', trusted, '--trust-cert', stranger];
    const signed = await cli(['verify', '--tags', 'v1,v2', repo, ...both, ...flags]);
    assert.equal(signed.code, 0, `both signers trusted: v1 and v2 pass\n${signed.stdout}`);
    const sbom = await cli(['verify', '--tags', 'v1,v2', repo, ...both, '--require', 'sbom', ...flags]);
    assert.equal(sbom.code, 1, sbom.stdout);
    assert.match(rowOf(sbom.stdout, 'v1'), /^v1 +passed /);
    assert.match(rowOf(sbom.stdout, 'v2'), /^v2 +missing sbom /);
    assert.match(sbom.stdout, /1 passed, 1 missing; .*\(required: signature, sbom\)\n$/);
    const provenance = await cli([
      'verify',
      '-a',
      '--tags',
      'v1',
      repo,
      ...both,
      '--require',
      'sbom,provenance',
      ...flags,
    ]);
    assert.equal(provenance.code, 0, provenance.stdout);
  });

  it('--format json gives every field of every tag, and the verdict the exit code follows', async () => {
    const run = await cli([
      'verify',
      '-a',
      repo,
      '--trust-cert',
      trusted,
      '--require',
      'sbom',
      '--format',
      'json',
      ...flags,
    ]);
    assert.equal(run.code, 1);
    const audit = JSON.parse(run.stdout) as RepositoryAudit;
    assert.equal(audit.passed, false);
    assert.deepEqual(audit.require, ['sbom']);
    assert.deepEqual(
      audit.tags.map((t) => [t.tag, t.verdict, t.verified, t.failed, t.unchecked, t.missing]),
      [
        ['v1', 'passed', 1, 0, 0, []],
        ['v2', 'failed', 0, 1, 0, ['sbom']],
        ['v3', 'unsigned', 0, 0, 0, ['sbom']],
      ],
    );
    const v1 = audit.tags[0]!;
    assert.match(v1.digest ?? '', /^sha256:[0-9a-f]{64}$/);
    assert.equal(v1.index, false);
    assert.deepEqual(
      v1.sboms.map((s) => [s.format, s.via]),
      [['CycloneDX', 'referrer']],
    );
    assert.deepEqual(
      v1.attestations.map((a) => a.predicateTypes),
      [[PROVENANCE]],
    );
    assert.deepEqual(
      v1.signatures.map((s) => [s.kind, s.status, s.signer]),
      [['notary', 'verified', 'CN=trusted signer']],
    );
    assert.ok(audit.tags[1]!.signatures[0]!.reasons.length, 'a failure says why');
    assert.deepEqual(audit.summary, {
      tags: 3,
      verdicts: { passed: 1, missing: 0, unverified: 0, unsigned: 1, incomplete: 0, failed: 1, error: 0 },
      withSbom: 1,
      withAttestations: 1,
      indexes: 0,
    });
  });

  it("judges an index tag by the index's own signature, and says so", async () => {
    const run = await cli([
      'verify',
      '-a',
      `${registry.host}/audit/multi`,
      '--tags',
      'all',
      '--trust-cert',
      trusted,
      ...flags,
    ]);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(rowOf(run.stdout, 'all'), /^all +passed +[0-9a-f]{12} index +1 verified +- +-$/);
    assert.match(run.stdout, /1 tag names an index: its own signatures[^]*not its\nplatform manifests'/);
  });

  it('judges a layout (--oci-layout) as it judges a registry, and escapes a hostile tag name on the terminal', async () => {
    const layout = path.join(home, 'mirror');
    await cliOk(['copy', '-r', '--all-tags', repo, layout, '--to-oci-layout', ...flags]);
    // A layout may name a manifest with anything: here a tag that would set the terminal's title.
    const indexFile = path.join(layout, 'index.json');
    const index = JSON.parse(await fs.readFile(indexFile, 'utf8')) as { manifests: Descriptor[] };
    const v3 = index.manifests.find((m) => m.annotations?.[Annotation.refName] === 'v3')!;
    index.manifests.push({ ...v3, annotations: { [Annotation.refName]: 'v4\u001b]0;pwned\u0007' } });
    await fs.writeFile(indexFile, JSON.stringify(index));

    const run = await cli(['verify', '-a', '--oci-layout', layout, '--trust-cert', trusted]);
    assert.equal(run.code, 1);
    assert.match(rowOf(run.stdout, 'v1'), /^v1 +passed .*1 verified +CycloneDX +https:\/\/slsa\.dev\/provenance\/v1$/);
    assert.match(rowOf(run.stdout, 'v2'), /^v2 +failed .*1 failed /);
    assert.match(run.stdout, /^v4⟨U\+001B⟩\]0;pwned⟨U\+0007⟩ +unsigned +[0-9a-f]{12} +none +- +-$/m);
    // eslint-disable-next-line no-control-regex -- control characters are what must not appear
    assert.doesNotMatch(run.stdout, /\u001b|\u0007/, 'nothing reaches the terminal that acts on it');
    assert.match(run.stdout, /\n4 tags: 1 passed, 2 unsigned, 1 failed;/);
  });

  it('refuses a tag or digest in the repository, an unknown --require, and --require for one artifact, as usage errors', async () => {
    const tagged = await cli(['verify', '-a', `${repo}:v1`, '--trust-cert', trusted, ...flags]);
    assert.equal(tagged.code, 2);
    assert.match(
      tagged.stderr,
      /--all-tags and --tags verify a repository's tags; name the repository without the tag ":v1"/,
    );
    const unknown = await cli(['verify', '-a', repo, '--trust-cert', trusted, '--require', 'sbom,vex', ...flags]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /--require takes sbom, attestation, provenance, not "vex"/);
    const single = await cli(['verify', `${repo}:v1`, '--trust-cert', trusted, '--require', 'sbom', ...flags]);
    assert.equal(single.code, 2);
    assert.match(single.stderr, /--require judges every tag of a repository: add --all-tags/);
  });
});
