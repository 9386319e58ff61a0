// The Check Referrers report and the Repair… modal's list, without the editor: each problem gets its section
// (the line its diagnostic points at) saying what repair does about it; registry text stays inside code spans;
// a long plan is cut in the modal with the count of the rest.
import * as assert from 'node:assert/strict';
import type { ReferrersReport, RepairPlan } from '../../../src/core/graph';
import { modalList, referrersReportText, repairOf } from '../../../src/vscode/referrers/referrersReportText';
import { untrustedCode } from '../../../src/core/oci';

const d = (c: string) => `sha256:${c.repeat(64)}`;
const t = (c: string) => `sha256-${c.repeat(64)}`;

const REPORT: ReferrersReport = {
  location: '127.0.0.1:5000/team/app',
  referrersApi: false,
  subjects: [],
  problems: [
    { kind: 'dangling-entry', subject: d('1'), digest: d('2'), tag: t('1'), message: `${t('1')} lists ${d('2')}` },
    {
      kind: 'orphaned-cosign-tag',
      subject: d('3'),
      digest: d('4'),
      tag: `${t('3')}.sig`,
      message: 'a [link](command:evil) `and` ticks',
    },
    { kind: 'missing-from-api', subject: d('5'), digest: d('6'), message: 'only the fallback index lists it' },
  ],
  orphanedCosignTags: [],
  orphanedReferrers: [{ digest: d('7'), subject: d('8'), tag: 'sbom-[x](command:evil)' }],
  scan: { tags: 9, manifestsRead: 4, truncated: true, durationMs: 12 },
};

const PLAN: RepairPlan = {
  location: REPORT.location,
  changes: [
    { kind: 'rewrite-index', subject: d('1'), tag: t('1'), entries: [], reason: 'drop 1 entry', needsPrune: false },
    {
      kind: 'delete-cosign-tag',
      subject: d('3'),
      tag: `${t('3')}.sig`,
      digest: d('4'),
      reason: 'its subject is gone',
      needsPrune: true,
    },
  ],
  pruneDigest: d('f'),
};

describe('Check Referrers report text', () => {
  it('gives each problem a section at the line its diagnostic names, saying what repair does', () => {
    const { text, problemLines } = referrersReportText('127.0.0.1:5000/team/app', REPORT, PLAN);
    const lines = text.split('\n');
    assert.deepEqual(
      problemLines.map((n) => lines[n]),
      ['### 1. dangling-entry', '### 2. orphaned-cosign-tag', '### 3. missing-from-api'],
    );
    assert.match(text, /stopped at the scan limit/);
    assert.match(text, /Problems: 3; repair would make 2 changes, 1 of them deletions/);
    assert.ok(text.includes(`- Repair: \`rewrite-index ${t('1')}: drop 1 entry\``));
    assert.ok(text.includes(`(a deletion: asked for separately, after the list of changes)`));
    assert.match(repairOf(REPORT.problems[2]!, PLAN), /--to-api/);
  });

  it('notes referrers whose subject is gone apart from the problems, as nothing repair deletes', () => {
    const { text } = referrersReportText('127.0.0.1:5000/team/app', REPORT, PLAN);
    const section = text.slice(text.indexOf('## Referrers of subjects that are gone'));
    assert.ok(section.startsWith('## Referrers of subjects that are gone'), text);
    assert.match(section, /nothing repair deletes/);
    assert.ok(
      section.includes(`- \`${d('7')}\` (tag ${untrustedCode('sbom-[x](command:evil)')}) refers to \`${d('8')}\``),
      section,
    );
    assert.ok(!section.includes('](command:'), 'no link from a tag name');
  });

  it('keeps registry text inside code spans, where markdown forms no link', () => {
    const { text } = referrersReportText('x', REPORT, PLAN);
    assert.ok(text.includes('- Found: ``a [link] (command:evil) `and` ticks``'), text);
  });

  it('a clean report says so and lists nothing', () => {
    const { text, problemLines } = referrersReportText('x', { ...REPORT, problems: [] }, { ...PLAN, changes: [] });
    assert.deepEqual(problemLines, []);
    assert.match(text, /No problems found\./);
  });

  it('the modal lists the first changes and counts the rest, which the log has', () => {
    const lines = Array.from({ length: 15 }, (_, i) => `change ${i}`);
    const listed = modalList(lines).split('\n');
    assert.equal(listed.length, 13);
    assert.equal(listed[0], '• change 0');
    assert.equal(listed[11], '• change 11');
    assert.equal(listed[12], '…and 3 more (every change is listed in the Stowage log).');
    assert.equal(modalList(lines.slice(0, 2)), '• change 0\n• change 1');
  });
});
