// Parses a document with positions: syntax errors, duplicate keys, and the tree the rules read.
import { findNodeAtOffset, getNodePath, getNodeValue, parseTree, ParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import type { Problem } from './problem';

export interface ParsedDocument {
  text: string;
  /** Undefined when the text holds no JSON value at all. */
  root: Node | undefined;
  /** The value as JSON.parse would build it (for duplicate keys, the last one wins, as in JSON.parse). */
  value: unknown;
  /** Syntax errors and duplicate keys. */
  problems: Problem[];
}

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
  const errors: ParseError[] = [];
  // Manifests are strict JSON: no comments, no trailing commas.
  const root = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  // The parser can report two errors at one spot (e.g. a trailing comma); the first says it best.
  const distinct = errors.filter((error, i) => i === 0 || error.offset !== errors[i - 1]!.offset);
  const problems: Problem[] = distinct.map((error) => syntaxProblem(root, error, text.length));
  if (root) problems.push(...duplicateKeys(root));
  return { text, root, value: root ? getNodeValue(root) : undefined, problems };
}

function syntaxProblem(root: Node | undefined, error: ParseError, textLength: number): Problem {
  const node = root ? findNodeAtOffset(root, error.offset) : undefined;
  return {
    severity: 'error',
    code: 'json-syntax',
    message: `${SYNTAX_MESSAGES[error.error] ?? 'Syntax error'}.`,
    path: node ? getNodePath(node) : [],
    offset: Math.min(error.offset, textLength),
    length: error.length,
  };
}

/** Every repeated property name (the second and later occurrences) in every object; one pass over the tree. */
function duplicateKeys(root: Node): Problem[] {
  const problems: Problem[] = [];
  const pending: Node[] = [root];
  while (pending.length) {
    const node = pending.pop()!;
    if (!node.children) continue;
    if (node.type === 'object') {
      const seen = new Set<string>();
      for (const property of node.children) {
        const key = property.children?.[0];
        if (!key) continue;
        const name = String(key.value);
        if (seen.has(name)) {
          problems.push({
            severity: 'error',
            code: 'duplicate-key',
            message: `Duplicate key "${name}": readers disagree on which value wins.`,
            path: getNodePath(key),
            offset: key.offset,
            length: key.length,
          });
        }
        seen.add(name);
      }
    }
    pending.push(...node.children);
  }
  return problems;
}
