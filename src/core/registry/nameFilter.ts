// Filters on repository and tag names (the Registries view's filter, `stowage repos <host>/<namespace>`): pure, unit-tested.
// A pattern without wildcards matches anywhere in the name ("app" finds "team/app-server"); with `*`, `?` or
// `[…]` it is a glob over the whole name: `*` stays within one path segment, `**` crosses `/`. Case is ignored.

export interface NameFilter {
  readonly pattern: string;
  matches(name: string): boolean;
  /**
   * For a sorted listing (the catalog is in lexical order): the name to start after (the spec's `last`) so the
   * listing skips what cannot match, and a test that tells when it has passed every name that can.
   */
  readonly startAfter?: string;
  pastMatches(name: string): boolean;
}

const WILDCARD = /[*?[]/;

export function nameFilter(pattern: string): NameFilter {
  const trimmed = pattern.trim();
  const lower = trimmed.toLowerCase();
  if (!WILDCARD.test(trimmed)) {
    return { pattern: trimmed, matches: (name) => name.toLowerCase().includes(lower), pastMatches: () => false };
  }
  const regex = globToRegExp(lower);
  const prefix = lower.slice(0, lower.search(WILDCARD));
  return {
    pattern: trimmed,
    matches: (name) => regex.test(name.toLowerCase()),
    startAfter: startBefore(prefix),
    pastMatches: (name) => {
      const lowered = name.toLowerCase();
      if (!prefix || lowered.startsWith(prefix)) return false;
      return lowered > prefix && slashFirst(lowered) > slashFirst(prefix);
    },
  };
}

/**
 * Registries disagree on what "lexical order" means for names with `/`: CNCF distribution sorts `/` before
 * every other character ("a/x" < "a-b"), others compare bytes ("a-b" < "a/x"). A listing is past a prefix only
 * when it is past it in both orders.
 */
function slashFirst(name: string): string {
  return name.replaceAll('/', '\u0000');
}

function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        source += '.*';
        i++;
      } else source += '[^/]*';
    } else if (c === '?') source += '[^/]';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end === -1) source += '\\[';
      else {
        const body = glob.slice(i + 1, end);
        const negated = body.startsWith('!') || body.startsWith('^');
        const members = (negated ? body.slice(1) : body).replace(/[\\\]^]/g, '\\$&');
        source += `[${negated ? '^' : ''}${members}]`;
        i = end;
      }
    } else source += c.replace(/[.+^${}()|\\\]]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 's');
}

/**
 * A name that sorts before every name starting with `prefix` in both orders (see slashFirst): the prefix up to
 * its first `/`, with its last character lowered by one and `~` appended (repository names use only
 * [a-z0-9._/-], all below `~`).
 */
function startBefore(prefix: string): string | undefined {
  const head = prefix.split('/')[0]!;
  if (!head) return undefined;
  const last = head.charCodeAt(head.length - 1);
  return `${head.slice(0, -1)}${String.fromCharCode(last - 1)}~`;
}
