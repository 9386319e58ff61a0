// A repository audit as lines of text: a table (one row per tag), each signature's result under it, and a summary;
// what `stowage verify --all-tags` prints and the editor's report document shows. Every string the store or a
// certificate wrote is escaped here (printable) before it is measured, so columns line up on what is shown.
import { counted, foldWords, printable, shortDigest } from '../oci';
import { displayWidth } from '../content';
import type { RepositoryAudit } from './repositoryAudit';
import { signedBy } from '../sign';
import type { AuditedAttestation, AuditedSignature, TagAudit } from './tagAudit';
import type { FoundSbom } from './tagEvidence';

const NONE = '-';

/** The table, the per-signature lines and the summary line. */
export function auditLines(audit: RepositoryAudit): string[] {
  const rows = audit.tags.map(rowOf);
  const widths = HEADER.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const details = audit.tags.flatMap(detailLines);
  return [
    rowLine(HEADER, widths),
    ...rows.map((row) => rowLine(row, widths)),
    ...(details.length ? ['', ...details] : []),
    ...closingLines(audit, notesOf(audit.tags)),
  ];
}

/**
 * The same report printed tag by tag as each is judged, for a repository of thousands of tags: nothing but the
 * summary is kept. The columns are as wide as the tag names (known before any is judged) and the usual cells; a
 * wider cell pushes its row's later cells right. Each tag's per-signature lines follow its row.
 */
export function streamedAuditText(tags: readonly string[]): {
  header: string;
  tagLines: (tag: TagAudit) => string[];
  closing: (audit: RepositoryAudit) => string[];
} {
  const widths = [Math.max(HEADER[0]!.length, ...tags.map((t) => printable(t).length)), ...STREAMED_WIDTHS];
  let notes = notesOf([]);
  return {
    header: rowLine(HEADER, widths),
    tagLines: (tag) => {
      notes = notesOf([tag], notes);
      return [rowLine(rowOf(tag), widths), ...detailLines(tag)];
    },
    closing: (audit) => closingLines(audit, notes),
  };
}

/** What decides the closing notes, gathered tag by tag (the streamed report keeps no tags to ask at the end). */
interface AuditNotes {
  attestationsChecked: boolean;
  sbomSignaturesJudged: boolean;
}

function notesOf(tags: readonly TagAudit[], before?: AuditNotes): AuditNotes {
  return {
    attestationsChecked: !!before?.attestationsChecked || tags.some((t) => t.attestationChecks),
    // Only when an SBOM had a signature of its own (or some were left unread): else the note is noise.
    sbomSignaturesJudged:
      !!before?.sbomSignaturesJudged ||
      tags.some((t) => t.sboms.some((s) => !!s.signatures?.length || s.unread !== undefined)),
  };
}

// The verdict beside the tag: predicate-type URLs make ATTESTATIONS the widest column, and an 80- or 100-column
// editor or terminal cut what follows it off the screen.
const HEADER = ['TAG', 'VERDICT', 'DIGEST', 'SIGNATURES', 'SBOM', 'ATTESTATIONS'];

/** VERDICT ("unverified"), DIGEST ("0123456789ab index"), SIGNATURES ("1 verified, 1 failed"), SBOM, ATTESTATIONS. */
const STREAMED_WIDTHS = [10, 18, 20, 9, 0];

function rowLine(cells: readonly string[], widths: readonly number[]): string {
  return cells
    .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
    .join('  ')
    .trimEnd();
}

/** Under the rows: the notes that apply, then the summary line. */
function closingLines(audit: Pick<RepositoryAudit, 'summary' | 'require'>, notes: AuditNotes): string[] {
  return [
    ...(audit.summary.indexes
      ? [
          '',
          `${counted(audit.summary.indexes, 'tag')} ${audit.summary.indexes === 1 ? 'names' : 'name'} an index: its own signatures and referrers were judged`,
          '(what cosign signs by default), with the attestation manifests it holds (docker buildx), not its',
          "platform manifests' referrers",
        ]
      : []),
    ...(audit.require.length || audit.summary.withSbom || audit.summary.withAttestations
      ? ['', ...(notes.attestationsChecked ? VERIFIED_EVIDENCE_NOTE : EVIDENCE_NOTE)]
      : []),
    ...(notes.sbomSignaturesJudged ? ['', ...SBOM_SIGNATURES_NOTE] : []),
    '',
    summaryLine(audit),
  ];
}

/** The notes and failed results are folded within 100 columns, as the editor's report and a terminal show them. */
const REPORT_WIDTH = 100;

/** What the SBOM and ATTESTATIONS columns (and --require) rest on, said where they are shown. */
const EVIDENCE_NOTE = [
  'Only signatures were verified. SBOM and ATTESTATIONS name referrers found by the types their',
  'manifests declare: present, not verified (neither their signatures nor their contents were checked),',
  'and that is all --require asks.',
];

/** The same, when attestations were verified with the cosign keys or Sigstore trust given. */
const VERIFIED_EVIDENCE_NOTE = [
  'Attestations were verified with the cosign keys and Sigstore trust given: SBOM and ATTESTATIONS',
  "count one only when its DSSE signature verified and its statement names the tag's digest; those",
  'marked (unverified) are present but not verified, and do not meet --require.',
];

/** When SBOM documents were judged by their own signatures (any trust given). */
const SBOM_SIGNATURES_NOTE = [
  'SBOMs signed on their own were verified too: an SBOM attached as a document of its own counts as',
  'verified when a signature of the SBOM itself (a signature referrer of it: stowage sign, notation,',
  'cosign) verifies with the trust given and none fails; one whose signature fails fails its tag, and',
  'one whose signatures were left unread at the bounds leaves it incomplete.',
];

/** "3 tags: 1 passed, 1 failed, 1 unsigned; 1 with an SBOM, 0 with attestations". */
export function summaryLine(audit: Pick<RepositoryAudit, 'summary' | 'require'>): string {
  const { summary } = audit;
  const verdicts = Object.entries(summary.verdicts)
    .filter(([, n]) => n > 0)
    .map(([verdict, n]) => `${n} ${verdict}`);
  const required = audit.require.length ? ` (required: signature, ${audit.require.join(', ')})` : '';
  return `${counted(summary.tags, 'tag')}: ${verdicts.join(', ') || 'none checked'}; ${summary.withSbom} with an SBOM, ${summary.withAttestations} with attestations${required}`;
}

function rowOf(tag: TagAudit): string[] {
  const digest = tag.digest ? `${shortDigest(tag.digest)}${tag.index ? ' index' : ''}` : NONE;
  const sboms = [...new Set(tag.sboms.map((s) => `${s.format}${marked(s)}`))].join(', ') || NONE;
  const predicates = [
    ...new Set(tag.attestations.flatMap((a) => a.predicateTypes.map((t) => `${printable(t)}${marked(a)}`))),
  ];
  const unnamed = tag.attestations.filter((a) => !a.predicateTypes.length).length;
  const attestations = [...predicates, ...(unnamed ? [`${unnamed} without predicate type`] : [])].join(', ') || NONE;
  const missing = tag.missing.length && tag.verdict !== 'missing' ? ` (no ${tag.missing.join(', no ')})` : '';
  const verdict =
    tag.verdict === 'missing'
      ? `missing ${tag.missing.join(', ')}`
      : tag.verdict === 'unverified' && tag.verified && tag.unverifiedEvidence.length
        ? `unverified ${tag.unverifiedEvidence.join(', ')}`
        : `${tag.verdict}${missing}`;
  return [printable(tag.tag), verdict, digest, signaturesCell(tag), sboms, attestations];
}

/** A piece of evidence found but not verified, when attestations were verified. */
const marked = (piece: { verified?: boolean }) => (piece.verified === false ? ' (unverified)' : '');

function signaturesCell(tag: TagAudit): string {
  if (tag.error !== undefined) return NONE;
  const parts = [
    ...(tag.verified ? [`${tag.verified} verified`] : []),
    ...(tag.failed ? [`${tag.failed} failed`] : []),
    ...(tag.unchecked ? [`${tag.unchecked} unchecked`] : []),
  ];
  return parts.join(', ') || 'none';
}

/** Under the table: each signature's result with its signer or reasons, and what kept a tag from being read. */
function detailLines(tag: TagAudit): string[] {
  const name = printable(tag.tag);
  const lines = [
    ...tag.signatures.flatMap((s) => resultLines(name, signatureText(s))),
    ...(tag.attestationChecks ?? []).flatMap((a) => resultLines(name, attestationText(a))),
    ...tag.sboms.flatMap((sbom) => sbomSignatureLines(name, sbom)),
  ];
  if (tag.error !== undefined) lines.push(`${name}: error: ${tag.error}`);
  if (tag.notReferrers)
    lines.push(`${name}: ${counted(tag.notReferrers, 'listed referrer')} referring to something else, not judged`);
  if (tag.truncated)
    lines.push(`${name}: not every referrer or signature was read (bounds reached), so this tag does not pass`);
  return lines;
}

/** A result: the verdict and what was judged (with its signer when verified), and why it did not verify. */
interface ResultText {
  head: string;
  /** Printable already. */
  reasons: readonly string[];
}

/**
 * One line when it fits REPORT_WIDTH (or has no reasons: a verified line stays whole for grep). Else the verdict
 * alone on the first line and each reason folded under it, indented: a failed signature's reasons ran to 250
 * columns, past what an editor or terminal shows.
 */
function resultLines(prefix: string, { head, reasons }: ResultText): string[] {
  const whole = reasons.length ? `${prefix}: ${head}: ${reasons.join('; ')}` : `${prefix}: ${head}`;
  // Measured in columns, not characters: a certificate's subject in CJK takes two per character.
  if (displayWidth(whole) <= REPORT_WIDTH || !reasons.length) return [whole];
  const indent = { indent: CONTINUED.length, used: CONTINUED.length, measure: displayWidth };
  return [
    `${prefix}: ${head}:`,
    ...reasons.flatMap((r) => foldWords(r.split(' '), REPORT_WIDTH, indent).map((l) => CONTINUED + l)),
  ];
}

const CONTINUED = '    ';

/** "v1: SBOM SPDX sha256:0123456789ab: verified notary sha256:… signed by …", one line per signature of the SBOM. */
function sbomSignatureLines(name: string, sbom: FoundSbom): string[] {
  const what = `${name}: SBOM ${sbom.format} ${shortDigest(sbom.digest, { withAlgorithm: true })}`;
  if (sbom.unbound) return [`${what}: ${printable(sbom.unbound)}`];
  if (!sbom.signatures && !sbom.unread) return [];
  const signatures = sbom.signatures ?? [];
  return [
    ...(signatures.length || sbom.unread ? [] : [`${what}: no signature of its own`]),
    ...signatures.flatMap((s) => resultLines(what, signatureText(s))),
    ...(sbom.unread ? [`${what}: ${printable(sbom.unread)}`] : []),
  ];
}

function signatureText(audited: AuditedSignature): ResultText {
  const { kind, signature, layer, status, signer, envelopeSignature, signingTime, reasons } = audited;
  const what = `${kind} ${shortDigest(signature, { withAlgorithm: true })}${layer ? ` layer ${shortDigest(layer)}` : ''}`;
  return verdictText(what, status, signedBy(signer, envelopeSignature, printable, signingTime), reasons);
}

function attestationText({
  kind,
  manifest,
  layer,
  predicateType,
  status,
  signer,
  envelopeSignature,
  reasons,
}: AuditedAttestation): ResultText {
  const type = predicateType ? printable(predicateType) : '(no predicate type)';
  const what = `attestation ${type} (${kind} ${shortDigest(manifest, { withAlgorithm: true })}${layer ? ` layer ${shortDigest(layer)}` : ''})`;
  return verdictText(what, status, signedBy(signer, envelopeSignature, printable), reasons);
}

function verdictText(
  what: string,
  status: AuditedSignature['status'],
  /** "signed by …" (signedBy), its signer already made printable. */
  signed: string,
  reasons: readonly string[],
): ResultText {
  if (status === 'verified') return { head: `verified ${what} ${signed}`, reasons: [] };
  return { head: `${status === 'failed' ? 'FAILED' : 'UNCHECKED'} ${what}`, reasons: reasons.map(printable) };
}
