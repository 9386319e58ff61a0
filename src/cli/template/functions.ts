// The functions a template may call: Go's built-ins and the sprig functions command-line templates use most
// (ORAS gives its templates all of sprig). Values are what JSON decodes to; `print` shows them as Go does.

type Fn = (...args: unknown[]) => unknown;

/** Go's %v of a JSON value: maps as map[k:v …] with sorted keys, lists as [a b], nothing as <no value>. */
export function show(value: unknown): string {
  if (value === undefined || value === null) return '<no value>';
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return `[${value.map(show).join(' ')}]`;
  if (typeof value === 'object')
    return `map[${Object.keys(value)
      .sort()
      .map((k) => `${k}:${show((value as Record<string, unknown>)[k])}`)
      .join(' ')}]`;
  return String(value);
}

/** Go's truth: false, 0, nil and empty strings, lists and maps are false. */
export function truthy(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === 0 || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}

function lengthOf(value: unknown): number {
  if (typeof value === 'string' || Array.isArray(value)) return value.length;
  if (value && typeof value === 'object') return Object.keys(value).length;
  throw new Error(`len of ${show(value)}`);
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : show(value);
}

function list(value: unknown, what: string): unknown[] {
  if (Array.isArray(value)) return value;
  if (value === undefined || value === null) return [];
  throw new Error(`${what} needs a list, not ${show(value)}`);
}

function compare(name: string, a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  throw new Error(`${name}: cannot compare ${show(a)} and ${show(b)}`);
}

/** Go's Sprintf for the verbs templates use: %s %v %d %q %t %x %f (with width and precision) and %%. */
function sprintf(format: unknown, ...args: unknown[]): string {
  let next = 0;
  return text(format).replace(
    /%([-+ 0#]*)(\d+)?(?:\.(\d+))?([svdqtxXf%])/g,
    (_m, flags: string, width, precision, verb) => {
      if (verb === '%') return '%';
      if (next >= args.length) return `%!${verb}(MISSING)`;
      const arg = args[next++];
      let out: string;
      switch (verb) {
        case 'd':
          out = typeof arg === 'number' ? String(Math.trunc(arg)) : `%!d(${show(arg)})`;
          break;
        case 'f':
          out =
            typeof arg === 'number'
              ? arg.toFixed(precision === undefined ? 6 : Number(precision))
              : `%!f(${show(arg)})`;
          break;
        case 'q':
          out = JSON.stringify(text(arg));
          break;
        case 'x':
        case 'X':
          out = typeof arg === 'number' ? Math.trunc(arg).toString(16) : Buffer.from(text(arg), 'utf8').toString('hex');
          if (verb === 'X') out = out.toUpperCase();
          break;
        default:
          out = text(arg);
          if (verb === 's' && precision !== undefined) out = out.slice(0, Number(precision));
      }
      const w = width === undefined ? 0 : Number(width);
      if (out.length < w) out = flags.includes('-') ? out.padEnd(w) : out.padStart(w, flags.includes('0') ? '0' : ' ');
      return out;
    },
  );
}

/** Go's Sprint: a space between two operands when neither is a string. */
function sprint(...args: unknown[]): string {
  let out = '';
  args.forEach((arg, i) => {
    if (i > 0 && typeof arg !== 'string' && typeof args[i - 1] !== 'string') out += ' ';
    out += text(arg);
  });
  return out;
}

function indexInto(value: unknown, ...keys: unknown[]): unknown {
  let at = value;
  for (const key of keys) {
    if (Array.isArray(at)) {
      if (typeof key !== 'number' || key < 0 || key >= at.length) throw new Error(`index out of range: ${show(key)}`);
      at = at[key];
    } else if (at && typeof at === 'object') at = (at as Record<string, unknown>)[text(key)];
    else if (at === undefined || at === null) return undefined;
    else throw new Error(`cannot index ${show(at)}`);
  }
  return at;
}

function indentBy(spaces: unknown, value: unknown): string {
  const pad = ' '.repeat(Number(spaces));
  return text(value)
    .split('\n')
    .map((line) => pad + line)
    .join('\n');
}

export const FUNCTIONS: Record<string, Fn> = {
  // Go's built-ins (and, or: the values, as Go returns them).
  and: (...args) => args.find((a) => !truthy(a)) ?? args.at(-1),
  or: (...args) => args.find((a) => truthy(a)) ?? args.at(-1),
  not: (a) => !truthy(a),
  len: (a) => lengthOf(a),
  index: (value, ...keys) => indexInto(value, ...keys),
  print: (...args) => sprint(...args),
  printf: (format, ...args) => sprintf(format, ...args),
  println: (...args) => `${args.map(text).join(' ')}\n`,
  eq: (a, ...others) => others.some((b) => a === b),
  ne: (a, b) => a !== b,
  lt: (a, b) => compare('lt', a, b) < 0,
  le: (a, b) => compare('le', a, b) <= 0,
  gt: (a, b) => compare('gt', a, b) > 0,
  ge: (a, b) => compare('ge', a, b) >= 0,
  // sprig
  toJson: (a) => JSON.stringify(a ?? null),
  toRawJson: (a) => JSON.stringify(a ?? null),
  toPrettyJson: (a) => JSON.stringify(a ?? null, null, 2),
  join: (sep, items) => list(items, 'join').map(text).join(text(sep)),
  splitList: (sep, s) => text(s).split(text(sep)),
  upper: (s) => text(s).toUpperCase(),
  lower: (s) => text(s).toLowerCase(),
  trim: (s) => text(s).trim(),
  trimPrefix: (prefix, s) => (text(s).startsWith(text(prefix)) ? text(s).slice(text(prefix).length) : text(s)),
  trimSuffix: (suffix, s) =>
    text(suffix) && text(s).endsWith(text(suffix)) ? text(s).slice(0, -text(suffix).length) : text(s),
  contains: (sub, s) => text(s).includes(text(sub)),
  hasPrefix: (prefix, s) => text(s).startsWith(text(prefix)),
  hasSuffix: (suffix, s) => text(s).endsWith(text(suffix)),
  replace: (from, to, s) => text(s).split(text(from)).join(text(to)),
  repeat: (count, s) => text(s).repeat(Math.max(0, Number(count))),
  quote: (...args) => args.map((a) => JSON.stringify(text(a))).join(' '),
  squote: (...args) => args.map((a) => `'${text(a)}'`).join(' '),
  indent: (spaces, s) => indentBy(spaces, s),
  nindent: (spaces, s) => `\n${indentBy(spaces, s)}`,
  default: (fallback, value) => (truthy(value) ? value : fallback),
  empty: (value) => !truthy(value),
  coalesce: (...args) => args.find(truthy),
  keys: (...maps) => maps.flatMap((m) => (m && typeof m === 'object' && !Array.isArray(m) ? Object.keys(m) : [])),
  sortAlpha: (items) => list(items, 'sortAlpha').map(text).sort(),
  first: (items) => list(items, 'first')[0],
  last: (items) => list(items, 'last').at(-1),
  has: (needle, items) => list(items, 'has').includes(needle),
  b64enc: (s) => Buffer.from(text(s), 'utf8').toString('base64'),
  b64dec: (s) => Buffer.from(text(s), 'base64').toString('utf8'),
};
