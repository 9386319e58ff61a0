// Go text/template syntax (the part command-line templates use), parsed into a tree: text, actions with
// pipelines, variables, if/else if/else, range (with else, break, continue), with, comments and trim markers.
// ORAS's `--format go-template` runs Go's engine over the JSON output; this reads the same templates.

export type Operand =
  | { kind: 'dot'; fields: string[] }
  | { kind: 'variable'; name: string; fields: string[] }
  | { kind: 'function'; name: string }
  | { kind: 'literal'; value: unknown }
  | { kind: 'group'; pipeline: Pipeline; fields: string[] };

export interface Command {
  args: Operand[];
}

export interface Pipeline {
  /** `$x := …` declares, `$x = …` assigns; `range $i, $v := …` declares two. */
  variables: string[];
  assign: boolean;
  commands: Command[];
}

export type Node =
  | { kind: 'text'; text: string }
  | { kind: 'action'; pipeline: Pipeline }
  | { kind: 'if' | 'with'; pipeline: Pipeline; then: Node[]; otherwise: Node[] }
  | { kind: 'range'; pipeline: Pipeline; then: Node[]; otherwise: Node[] }
  | { kind: 'break' | 'continue' };

export class TemplateError extends Error {
  override name = 'TemplateError';
}

type Token =
  | { t: 'field'; v: string; joined: boolean }
  | { t: 'variable'; v: string }
  | { t: 'ident'; v: string }
  | { t: 'string'; v: string }
  | { t: 'number'; v: number }
  | { t: 'punct'; v: '(' | ')' | '|' | ',' | ':=' | '=' | '.' };

/** Splits the template into text and the insides of `{{ }}`, applying `{{-` and `-}}` trims and dropping comments. */
function split(template: string): ({ text: string } | { action: string; at: number })[] {
  const parts: ({ text: string } | { action: string; at: number })[] = [];
  let at = 0;
  let trimNext = false;
  while (at <= template.length) {
    const open = template.indexOf('{{', at);
    let text = template.slice(at, open < 0 ? template.length : open);
    if (trimNext) text = text.replace(/^\s+/, '');
    if (open < 0) {
      if (text) parts.push({ text });
      break;
    }
    let inner = open + 2;
    if (/^-\s/.test(template.slice(inner, inner + 2))) {
      text = text.replace(/\s+$/, '');
      inner += 2;
    }
    if (text) parts.push({ text });
    const close = closingOf(template, inner);
    let end = close;
    trimNext = false;
    if (close - 2 >= inner && /\s-$/.test(template.slice(close - 2, close))) {
      end = close - 2;
      trimNext = true;
    }
    const action = template.slice(inner, end);
    if (!/^\s*\/\*[\s\S]*\*\/\s*$/.test(action)) parts.push({ action, at: open });
    at = close + 2;
  }
  return parts;
}

/** Where the `}}` closing an action starting at `from` is (not one inside a quoted string). */
function closingOf(template: string, from: number): number {
  let quote = '';
  for (let i = from; i < template.length; i++) {
    const c = template[i]!;
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === '`') quote = c;
    else if (c === '}' && template[i + 1] === '}') return i;
  }
  throw new TemplateError(`unclosed action: "{{" at offset ${from - 2} has no "}}"`);
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*/;

function tokenize(action: string, at: number): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const fail = (why: string): never => {
    throw new TemplateError(`${why} in the action at offset ${at}: {{${action}}}`);
  };
  while (i < action.length) {
    const rest = action.slice(i);
    const c = rest[0]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (rest.startsWith(':=')) {
      tokens.push({ t: 'punct', v: ':=' });
      i += 2;
      continue;
    }
    if ('()|,='.includes(c)) {
      tokens.push({ t: 'punct', v: c as '(' });
      i++;
      continue;
    }
    if (c === '.') {
      const name = IDENT.exec(rest.slice(1))?.[0];
      if (name) {
        // `.a.b` chains; `.a .b` are two operands.
        tokens.push({ t: 'field', v: name, joined: i > 0 && !/\s/.test(action[i - 1]!) });
        i += 1 + name.length;
      } else {
        tokens.push({ t: 'punct', v: '.' });
        i++;
      }
      continue;
    }
    if (c === '$') {
      const name = IDENT.exec(rest.slice(1))?.[0] ?? '';
      tokens.push({ t: 'variable', v: `$${name}` });
      i += 1 + name.length;
      continue;
    }
    if (c === '"') {
      const match = /^"(?:[^"\\\n]|\\.)*"/.exec(rest) ?? fail('unterminated string');
      try {
        tokens.push({ t: 'string', v: JSON.parse(match[0]) as string });
      } catch {
        fail(`bad string ${match[0]}`);
      }
      i += match[0].length;
      continue;
    }
    if (c === '`') {
      const end = rest.indexOf('`', 1);
      if (end < 0) fail('unterminated raw string');
      tokens.push({ t: 'string', v: rest.slice(1, end) });
      i += end + 1;
      continue;
    }
    const number = /^[-+]?(0x[0-9a-fA-F]+|\d+(\.\d+)?([eE][-+]?\d+)?)/.exec(rest);
    if (number) {
      tokens.push({ t: 'number', v: Number(number[0]) });
      i += number[0].length;
      continue;
    }
    const ident = IDENT.exec(rest);
    if (ident) {
      tokens.push({ t: 'ident', v: ident[0] });
      i += ident[0].length;
      continue;
    }
    fail(`unexpected "${c}"`);
  }
  return tokens;
}

const KEYWORDS = new Set(['if', 'else', 'end', 'range', 'with', 'break', 'continue']);
const UNSUPPORTED = new Set(['define', 'template', 'block']);

/** Parses a pipeline from `tokens` (an action's, after any keyword). */
function pipelineOf(tokens: Token[], where: string, known: (name: string) => boolean): Pipeline {
  let pos = 0;
  const fail = (why: string): never => {
    throw new TemplateError(`${why} in ${where}`);
  };
  const variables: string[] = [];
  let assign = false;
  // $x := / $x = / $i, $v :=
  const declEnd = tokens.findIndex((t) => t.t === 'punct' && (t.v === ':=' || t.v === '='));
  if (declEnd > 0 && tokens.slice(0, declEnd).every((t) => t.t === 'variable' || (t.t === 'punct' && t.v === ','))) {
    for (const t of tokens.slice(0, declEnd)) if (t.t === 'variable') variables.push(t.v);
    assign = (tokens[declEnd] as { v: string }).v === '=';
    pos = declEnd + 1;
  }

  /** The field chain right after an operand (`$x.a.b`, `(…).a`): fields written without a space before them. */
  const fieldsAfter = (): string[] => {
    const fields: string[] = [];
    for (let next = tokens[pos]; next?.t === 'field' && next.joined; next = tokens[pos])
      fields.push((tokens[pos++] as { v: string }).v);
    return fields;
  };
  const operand = (): Operand => {
    const token = tokens[pos++] ?? fail('missing value');
    switch (token.t) {
      case 'field':
        return { kind: 'dot', fields: [token.v, ...fieldsAfter()] };
      case 'punct':
        if (token.v === '.') return { kind: 'dot', fields: [] };
        if (token.v === '(') {
          const start = pos;
          let depth = 1;
          while (pos < tokens.length && depth > 0) {
            const t = tokens[pos++]!;
            if (t.t === 'punct' && t.v === '(') depth++;
            if (t.t === 'punct' && t.v === ')') depth--;
          }
          if (depth) fail('unclosed "("');
          const inner = pipelineOf(tokens.slice(start, pos - 1), where, known);
          return { kind: 'group', pipeline: inner, fields: fieldsAfter() };
        }
        return fail(`unexpected "${token.v}"`);
      case 'variable':
        return { kind: 'variable', name: token.v, fields: fieldsAfter() };
      case 'string':
      case 'number':
        return { kind: 'literal', value: token.v };
      case 'ident':
        if (token.v === 'true' || token.v === 'false') return { kind: 'literal', value: token.v === 'true' };
        if (token.v === 'nil') return { kind: 'literal', value: null };
        if (!known(token.v)) fail(`function "${token.v}" not defined`);
        return { kind: 'function', name: token.v };
    }
  };

  const commands: Command[] = [];
  let args: Operand[] = [];
  while (pos < tokens.length) {
    const token = tokens[pos]!;
    if (token.t === 'punct' && token.v === '|') {
      if (!args.length) fail('missing command before "|"');
      commands.push({ args });
      args = [];
      pos++;
      continue;
    }
    args.push(operand());
  }
  if (!args.length) fail(commands.length ? 'missing command after "|"' : 'missing value');
  commands.push({ args });
  return { variables, assign, commands };
}

/** The tree of `template`; `known` says which function names exist (an unknown one fails here, as in Go). */
export function parseTemplate(template: string, known: (name: string) => boolean): Node[] {
  type Block = Extract<Node, { then: Node[] }>;
  type Frame = { node: Block; inElse: boolean; opener: string; at: number };
  const root: Node[] = [];
  const stack: Frame[] = [];
  const current = (): Node[] => {
    const top = stack.at(-1);
    return top ? (top.inElse ? top.node.otherwise : top.node.then) : root;
  };
  const inRange = () => stack.some((f) => f.node.kind === 'range');
  for (const part of split(template)) {
    if ('text' in part) {
      current().push({ kind: 'text', text: part.text });
      continue;
    }
    const tokens = tokenize(part.action, part.at);
    const where = `the action at offset ${part.at}: {{${part.action.trim()}}}`;
    const first = tokens[0];
    if (!first) throw new TemplateError(`empty action at offset ${part.at}`);
    const keyword = first.t === 'ident' && (KEYWORDS.has(first.v) || UNSUPPORTED.has(first.v)) ? first.v : undefined;
    if (keyword && UNSUPPORTED.has(keyword))
      throw new TemplateError(`"${keyword}" (named templates) is not supported, in ${where}`);
    if (keyword === 'if' || keyword === 'with' || keyword === 'range') {
      const node: Block = {
        kind: keyword,
        pipeline: pipelineOf(tokens.slice(1), where, known),
        then: [],
        otherwise: [],
      };
      current().push(node);
      stack.push({ node, inElse: false, opener: keyword, at: part.at });
      continue;
    }
    if (keyword === 'else') {
      const top = stack.at(-1);
      if (!top || top.inElse) throw new TemplateError(`unexpected "else" in ${where}`);
      top.inElse = true;
      const chained = tokens[1];
      // else if / else with: a nested block closed by the same "end".
      if (chained?.t === 'ident' && (chained.v === 'if' || chained.v === 'with')) {
        const node: Block = {
          kind: chained.v,
          pipeline: pipelineOf(tokens.slice(2), where, known),
          then: [],
          otherwise: [],
        };
        top.node.otherwise.push(node);
        stack.push({ node, inElse: false, opener: 'else', at: part.at });
      } else if (tokens.length > 1) throw new TemplateError(`unexpected words after "else" in ${where}`);
      continue;
    }
    if (keyword === 'end') {
      if (tokens.length > 1) throw new TemplateError(`unexpected words after "end" in ${where}`);
      if (!stack.length) throw new TemplateError(`unexpected "end" in ${where}`);
      // Pop the chained else-if blocks with the block they belong to.
      while (stack.pop()!.opener === 'else');
      continue;
    }
    if (keyword === 'break' || keyword === 'continue') {
      if (!inRange()) throw new TemplateError(`"${keyword}" outside a range, in ${where}`);
      current().push({ kind: keyword });
      continue;
    }
    current().push({ kind: 'action', pipeline: pipelineOf(tokens, where, known) });
  }
  const open = stack.find((f) => f.opener !== 'else');
  if (open) throw new TemplateError(`"${open.opener}" at offset ${open.at} has no "end"`);
  return root;
}
