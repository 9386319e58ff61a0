// Parses a document: JSON.parse for the value (fast), a light scan for repeated keys, and the position tree
// only when the text does not parse, to place the syntax errors.
import { findNodeAtOffset, getNodePath, parseTree, ParseErrorCode, type ParseError } from 'jsonc-parser';
import { MAX_JSON_DEPTH, offsetBeyondDepth } from '../oci';
import { Locator } from './positions';
import type { Problem } from './problem';
import { scanValidJson } from './scan';

export type ParsedDocument =
  | {
      ok: true;
      text: string;
      value: unknown;
      locator: Locator;
      nonIntegerLiterals: ReadonlySet<string>;
      problems: Problem[];
    }
  | { ok: false; text: string; problems: Problem[] };

const SYNTAX_MESSAGES: Partial<Record<ParseErrorCode, string>> = {
  [ParseErrorCode.InvalidSymbol]: 'Unexpected character',
  [ParseErrorCode.InvalidNumberFormat]: 'Invalid number',
  [ParseErrorCode.PropertyNameExpected]: 'Property name expected',
  [ParseErrorCode.ValueExpected]: 'Value expected',
  [ParseErrorCode.ColonExpected]: 'Colon expected',
  [ParseErrorCode.CommaExpected]: 'Comma expected',
  [ParseErrorCode.CloseBraceExpected]: 'Closing brace expected',
  [ParseErrorCode.CloseBracketExpected]: 'Closing bracket expected',
  [ParseErrorCode.EndOfFileExpected]: 'End of file expected',
  [ParseErrorCode.InvalidCommentToken]: 'Comments are not allowed in JSON',
  [ParseErrorCode.UnexpectedEndOfComment]: 'Unterminated comment',
  [ParseErrorCode.UnexpectedEndOfString]: 'Unterminated string',
  [ParseErrorCode.UnexpectedEndOfNumber]: 'Unterminated number',
  [ParseErrorCode.InvalidUnicode]: 'Invalid unicode escape',
  [ParseErrorCode.InvalidEscapeCharacter]: 'Invalid escape character',
  [ParseErrorCode.InvalidCharacter]: 'Invalid character in string',
};

export function parseDocument(text: string): ParsedDocument {
  const tooDeep = offsetBeyondDepth(text, MAX_JSON_DEPTH);
  if (tooDeep !== undefined) {
    return {
      ok: false,
      text,
      problems: [
        {
          severity: 'error',
          code: 'json-too-deep',
          message: `Nested deeper than ${MAX_JSON_DEPTH} levels: not an OCI document, and not checked further.`,
          path: [],
          offset: tooDeep,
          length: 1,
        },
      ],
    };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, text, problems: syntaxProblems(text, error) };
  }
  const scan = scanValidJson(text, value);
  const problems: Problem[] = scan.repeatedKeys.map(({ name, path, offset, length }) => ({
    severity: 'error',
    code: 'duplicate-key',
    message: `Duplicate key "${name}": readers disagree on which value wins.`,
    path,
    offset,
    length,
  }));
  return {
    ok: true,
    text,
    value,
    locator: new Locator(text, value),
    nonIntegerLiterals: scan.nonIntegerLiterals,
    problems,
  };
}

/** Syntax errors placed by the tolerant parser (JSON.parse only says where the first one is, and not portably). */
function syntaxProblems(text: string, parseFailure: unknown): Problem[] {
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  // The parser can report two errors at one spot (e.g. a trailing comma); the first says it best.
  const distinct = errors.filter((error, i) => i === 0 || error.offset !== errors[i - 1]!.offset);
  if (!distinct.length) {
    // Rare texts that JSON.parse refuses and the tolerant parser accepts (e.g. a byte order mark).
    const message = parseFailure instanceof Error ? parseFailure.message : String(parseFailure);
    return [
      {
        severity: 'error',
        code: 'json-syntax',
        message: `Not valid JSON: ${message}`,
        path: [],
        offset: 0,
        length: Math.min(1, text.length),
      },
    ];
  }
  return distinct.map((error) => {
    const node = root ? findNodeAtOffset(root, error.offset) : undefined;
    const offset = Math.min(error.offset, text.length);
    return {
      severity: 'error',
      code: 'json-syntax',
      message: `${SYNTAX_MESSAGES[error.error] ?? 'Syntax error'}.`,
      path: node ? getNodePath(node) : [],
      offset,
      // The tolerant parser can report a token running past the end (an unterminated "/*" at the very end).
      length: Math.max(0, Math.min(error.length, text.length - offset)),
    };
  });
}
