// The pure, synchronous linter: parse with positions, detect the kind, run the rules, then the schema for
// whatever the rules did not already explain more precisely.
import { ARTIFACT_MANIFEST_CODE, artifactManifestProblem, isArtifactManifest } from './artifactManifest';
import { detectKind, isObject, type DetectionHints, type DocumentKind } from './detect';
import { descriptorSites } from './descriptors';
import { parseDocument } from './parse';
import { pathKey } from './paths';
import type { Locator } from './positions';
import type { Problem } from './problem';
import { annotationRules } from './rules/annotations';
import { configRules } from './rules/config';
import { createRuleContext, type Rule } from './rules/context';
import { descriptorRules } from './rules/descriptor';
import { documentRules } from './rules/document';
import { layoutRules } from './rules/layout';
import { platformRules } from './rules/platform';
import { propertyRules } from './rules/properties';
import { schemaProblems } from './schemas';
import type { DecodedDocument } from './utf8';

/** What the caller knows about the document; everything is optional. */
export type LintContext = DetectionHints;

/** Text, or text decoded from bytes by `decodeDocument` (whose findings, such as invalid UTF-8, are reported too). */
export type LintInput = string | DecodedDocument;

export interface LintReport {
  kind: DocumentKind;
  problems: Problem[];
}

const RULES: readonly Rule[] = [
  documentRules,
  descriptorRules,
  platformRules,
  annotationRules,
  layoutRules,
  configRules,
  propertyRules,
];

/**
 * Whether a report is about an OCI document, or one written as such: an artifact manifest of image-spec's drafts
 * is no kind the linter checks, but one written by hand, to be named and rewritten.
 */
export function isRecognised(report: LintReport): boolean {
  return report.kind !== 'unknown' || report.problems.some((p) => p.code === ARTIFACT_MANIFEST_CODE);
}

export function lint(input: LintInput, context: LintContext = {}): Problem[] {
  return lintReport(input, context).problems;
}

export function lintReport(input: LintInput, context: LintContext = {}): LintReport {
  const { kind, problems } = analyse(input, context);
  return { kind, problems };
}

/** The report plus what later checks (the store's) build on; undefined fields mean there is nothing to check. */
export interface Analysis extends LintReport {
  document?: Record<string, unknown>;
  locator?: Locator;
}

export function analyse(input: LintInput, context: LintContext = {}): Analysis {
  if (typeof input === 'string') return analyseText(input, context);
  const analysis = analyseText(input.text, context);
  if (input.problems.length) analysis.problems = sorted([...input.problems, ...analysis.problems]);
  return analysis;
}

function analyseText(text: string, context: LintContext): Analysis {
  const parsed = parseDocument(text);
  // On broken syntax, content rules would report the damage a second time, confusingly.
  if (!parsed.ok) return { kind: 'unknown', problems: sorted(parsed.problems) };
  const { problems, locator } = parsed;
  if (!isObject(parsed.value)) {
    const start = locator.start();
    problems.push({
      severity: 'error',
      code: 'not-an-object',
      message: 'An OCI document is a JSON object.',
      path: [],
      ...start,
    });
    return { kind: 'unknown', problems: sorted(problems) };
  }
  const kind = detectKind(parsed.value, context);
  if (kind === 'unknown' && isArtifactManifest(parsed.value)) {
    problems.push(artifactManifestProblem(text, parsed.value, locator));
    return { kind, problems: sorted(problems) };
  }
  if (kind === 'unknown') {
    problems.push(
      parsed.value.schemaVersion === 1
        ? {
            severity: 'info',
            code: 'docker-schema1',
            message: 'A Docker schema 1 manifest: deprecated, and not linted (registries convert or refuse it).',
            path: ['schemaVersion'],
            ...locator.value(['schemaVersion']),
          }
        : {
            severity: 'info',
            code: 'unknown-document',
            message:
              'Not recognised as an OCI or Docker manifest, index, image config, descriptor or layout file; only JSON syntax was checked.',
            path: [],
            ...locator.start(),
          },
    );
    return { kind, problems: sorted(problems) };
  }
  const ruleProblems: Problem[] = [];
  const ruleContext = createRuleContext(
    {
      text,
      kind,
      document: parsed.value,
      locator,
      sites: descriptorSites(kind, parsed.value),
      nonIntegerLiterals: parsed.nonIntegerLiterals,
    },
    ruleProblems,
  );
  for (const rule of RULES) rule(ruleContext);
  const explained = new Set(ruleProblems.map((p) => pathKey(p.path)));
  const fromSchema = schemaProblems(kind, parsed.value, locator).filter((p) => !explained.has(pathKey(p.path)));
  return { kind, problems: sorted([...problems, ...ruleProblems, ...fromSchema]), document: parsed.value, locator };
}

export function sorted(problems: Problem[]): Problem[] {
  return problems.sort((a, b) => a.offset - b.offset || a.code.localeCompare(b.code));
}
