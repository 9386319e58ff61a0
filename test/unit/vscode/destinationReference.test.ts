import * as assert from 'node:assert/strict';
import { destinationProblem, parseDestination } from '../../../src/vscode/commands/destinationReference';

describe('typed Copy To destinations', () => {
  it('accept registry references on any host, with or without a tag, and layout references', () => {
    assert.deepEqual(parseDestination(' 127.0.0.1:5000/team/app:v2 '), {
      store: { kind: 'registry', host: '127.0.0.1:5000', repository: 'team/app' },
      tag: 'v2',
    });
    assert.deepEqual(parseDestination('registry.example.com/app'), {
      store: { kind: 'registry', host: 'registry.example.com', repository: 'app' },
    });
    assert.deepEqual(parseDestination('alpine:3'), {
      store: { kind: 'registry', host: 'docker.io', repository: 'library/alpine' },
      tag: '3',
    });
    assert.deepEqual(parseDestination('oci:/tmp/layout:copy'), {
      store: { kind: 'layout', path: '/tmp/layout' },
      tag: 'copy',
    });
    for (const ok of ['127.0.0.1:5000/team/app:v2', 'registry.example.com/app', 'oci:/tmp/layout:copy'])
      assert.equal(destinationProblem(ok), undefined, ok);
  });

  it('refuse what is not a reference, or a digest, with a message that names the input', () => {
    assert.match(destinationProblem('')!, /Type a reference/);
    assert.match(destinationProblem('Registry.example.com/Team/App:v1')!, /"Registry\.example\.com\/Team\/App:v1"/);
    assert.match(destinationProblem('host.example/app:bad tag')!, /"host\.example\/app:bad tag"/);
    const digest = `host.example/app@sha256:${'a'.repeat(64)}`;
    assert.match(destinationProblem(digest)!, new RegExp(`"${digest.replace(/[.]/g, '\\.')}" names a digest`));
  });

  it('for several artifacts (each keeping its own tag) refuse a tag typed, which would be dropped unsaid', () => {
    for (const ok of ['127.0.0.1:5000/team/app', 'oci:/tmp/layout'])
      assert.equal(destinationProblem(ok, { repositoryOnly: true }), undefined, ok);
    assert.equal(
      destinationProblem('127.0.0.1:5000/team/app:v2', { repositoryOnly: true }),
      '"127.0.0.1:5000/team/app:v2" names a tag; each artifact keeps its own tag: name the repository or layout only',
    );
    assert.match(destinationProblem('oci:/tmp/layout:copy', { repositoryOnly: true })!, /names a tag/);
    assert.match(destinationProblem('', { repositoryOnly: true })!, /registry\.example\.com\/team\/app$/);
  });
});
