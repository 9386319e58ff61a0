// WWW-Authenticate parsing (RFC 7235): several challenges in one or more header fields, parameters in any
// order, quoted values that contain commas, spaces or escaped quotes.

export interface Challenge {
  /** Lowercased scheme: "bearer", "basic", … */
  scheme: string;
  /** Parameters with lowercased names: realm, service, scope, error, … */
  params: Record<string, string>;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+/;

export function parseChallenges(header: string | string[] | undefined): Challenge[] {
  if (header === undefined) return [];
  const fields = Array.isArray(header) ? header : [header];
  return fields.flatMap(parseField);
}

function parseField(field: string): Challenge[] {
  const challenges: Challenge[] = [];
  let rest = field;
  let current: Challenge | undefined;
  const skip = (pattern: RegExp) => {
    rest = rest.replace(pattern, '');
  };

  while (true) {
    skip(/^[\s,]+/);
    if (!rest) break;
    const name = TOKEN.exec(rest)?.[0];
    if (!name) {
      rest = rest.slice(1);
      continue;
    }
    const afterName = rest.slice(name.length);
    const param = /^\s*=\s*/.exec(afterName);
    // "name=" starts a parameter unless it is a token68 ending in "=" padding (e.g. "Negotiate abc==").
    if (param && current && !/^=*\s*(,|$)/.test(afterName.trimStart())) {
      rest = afterName.slice(param[0].length);
      let value: string;
      if (rest.startsWith('"')) {
        const quoted = readQuoted(rest);
        value = quoted.value;
        rest = rest.slice(quoted.length);
      } else {
        value = /^[^,\s]*/.exec(rest)![0];
        rest = rest.slice(value.length);
      }
      current.params[name.toLowerCase()] = value;
      continue;
    }
    if (current && /^\s*=/.test(afterName)) {
      // token68 credentials on a challenge: keep them out of params.
      rest = afterName.replace(/^[\s=]*/, '');
      continue;
    }
    current = { scheme: name.toLowerCase(), params: {} };
    challenges.push(current);
    rest = afterName;
  }
  return challenges;
}

function readQuoted(text: string): { value: string; length: number } {
  let value = '';
  for (let i = 1; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\' && i + 1 < text.length) {
      value += text[++i];
      continue;
    }
    if (c === '"') return { value, length: i + 1 };
    value += c;
  }
  return { value, length: text.length };
}
