// What every rule gets: the document, where it came from, and one way to report a problem.
import type { DocumentKind } from '../detect';
import type { DescriptorSite } from '../descriptors';
import type { Locator, Range } from '../positions';
import type { Fix, JsonPath, Problem, Severity } from '../problem';

export interface RuleContext {
  readonly text: string;
  readonly kind: DocumentKind;
  readonly document: Record<string, unknown>;
  readonly locator: Locator;
  readonly sites: readonly DescriptorSite[];
  /** pathKey() of numbers written with a fraction or exponent, which JSON.parse turns into integers. */
  readonly nonIntegerLiterals: ReadonlySet<string>;
  /** Reports a problem at `path`, squiggling `range` (default: the value at `path`). */
  report(severity: Severity, code: string, message: string, path: JsonPath, range?: Range, fix?: Fix): void;
}

export type Rule = (context: RuleContext) => void;

export function createRuleContext(fields: Omit<RuleContext, 'report'>, problems: Problem[]): RuleContext {
  return {
    ...fields,
    report(severity, code, message, path, range, fix) {
      const { offset, length } = range ?? fields.locator.value(path);
      problems.push(
        fix
          ? { severity, code, message, path, offset, length, fix }
          : { severity, code, message, path, offset, length },
      );
    },
  };
}
