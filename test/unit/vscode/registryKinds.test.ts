import * as assert from 'node:assert/strict';
import { REGISTRY_KINDS, splitList } from '../../../src/vscode/commands/registryKinds';

const kind = (name: string) => REGISTRY_KINDS.find((k) => k.kind === name)!;

describe('Add Registry kinds', () => {
  it('offers every kind the issue names, each with its own questions', () => {
    assert.deepEqual(
      REGISTRY_KINDS.map((k) => k.kind),
      ['dockerhub', 'ghcr', 'azure', 'ecr', 'quay', 'harbor', 'gitlab', 'generic'],
    );
    assert.deepEqual(
      kind('azure').questions.map((q) => q.key),
      ['name'],
    );
    assert.deepEqual(
      kind('ecr').questions.map((q) => q.key),
      ['account', 'region'],
    );
  });

  it('builds hosts from what each kind asks', () => {
    assert.equal(kind('azure').build({ name: 'MyRegistry1' }).host, 'myregistry1.azurecr.io');
    assert.equal(
      kind('ecr').build({ account: '123456789012', region: 'eu-west-1' }).host,
      '123456789012.dkr.ecr.eu-west-1.amazonaws.com',
    );
    assert.deepEqual(kind('ghcr').build({ repositories: 'org/a, org/b' }), {
      host: 'ghcr.io',
      name: 'GitHub Container Registry',
      kind: 'ghcr',
      repositories: ['org/a', 'org/b'],
    });
  });

  it('validates answers before building', () => {
    assert.ok(kind('ecr').questions[0]!.validate('12'));
    assert.equal(kind('ecr').questions[0]!.validate('123456789012'), undefined);
    assert.ok(kind('ghcr').questions[0]!.validate(''));
    assert.ok(kind('ghcr').questions[0]!.validate('Bad Name'));
    assert.ok(kind('harbor').questions[0]!.validate('not a host!'));
  });

  it('uses plain HTTP only for local generic registries', () => {
    assert.equal(kind('generic').build({ host: 'localhost:5000', repositories: '' }).plainHttp, true);
    assert.equal(kind('generic').build({ host: 'registry.example.com', repositories: '' }).plainHttp, undefined);
  });

  it('splits comma-separated lists', () => {
    assert.deepEqual(splitList(' a, ,b ,'), ['a', 'b']);
  });
});
