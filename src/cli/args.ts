// A small command-line parser: long and short options, repeated options, `--`, and errors that say what
// is wrong. Kept here rather than a dependency because the CLI needs exactly this and nothing more.
import { OciError } from '../core/oci';
import { didYouMean } from './suggest';
import { PLAIN_WIDTH, twoColumns } from './helpLayout';

export type OptionType = 'boolean' | 'string' | 'strings' | 'number';

export interface OptionSpec {
  name: string;
  short?: string;
  type: OptionType;
  description: string;
  valueName?: string;
  /** The only values a string option takes: anything else is a usage error that lists them. */
  choices?: readonly string[];
}

export interface ParsedArgs {
  positionals: string[];
  options: Record<string, boolean | string | string[] | number | undefined>;
}

export class UsageError extends OciError {
  constructor(message: string) {
    super('USAGE', message);
  }
}

/**
 * Parses a reference typed on the command line: one that does not parse is a usage error (exit 2, as a reference
 * without the tag a command needs is), so a pipeline can tell a mistyped reference from a registry that failed.
 */
export function parseTypedReference<T>(parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    if (OciError.is(err, 'INVALID_REFERENCE')) throw new UsageError(err.message);
    throw err;
  }
}

export function parseArgs(argv: readonly string[], specs: readonly OptionSpec[]): ParsedArgs {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const byShort = new Map(specs.filter((s) => s.short).map((s) => [s.short!, s]));
  const parsed: ParsedArgs = { positionals: [], options: {} };

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      parsed.positionals.push(...argv.slice(i + 1));
      break;
    }
    let spec: OptionSpec | undefined;
    let inline: string | undefined;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
      inline = eq < 0 ? undefined : arg.slice(eq + 1);
      spec = byName.get(name);
      if (!spec)
        throw new UsageError(
          `unknown option --${name}${didYouMean(name, [...byName.keys()], long) || longerForm(name, [...byName.keys()])}`,
        );
    } else if (arg.startsWith('-') && arg.length > 1) {
      spec = byShort.get(arg.slice(1));
      // `-output`: a long name typed with one dash is named with two.
      const longName = arg.length > 2 && byName.has(arg.slice(1)) ? long(arg.slice(1)) : undefined;
      if (!spec) throw new UsageError(`unknown option ${arg}${longName ? ` (did you mean ${longName}?)` : ''}`);
    } else {
      parsed.positionals.push(arg);
      continue;
    }

    if (spec.type === 'boolean') {
      if (inline !== undefined && inline !== 'true' && inline !== 'false')
        throw new UsageError(`--${spec.name} takes no value`);
      parsed.options[spec.name] = inline !== 'false';
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined) throw new UsageError(`--${spec.name} needs a value`);
    if (spec.type === 'strings') {
      const list = (parsed.options[spec.name] as string[] | undefined) ?? [];
      list.push(value);
      parsed.options[spec.name] = list;
    } else if (spec.type === 'number') {
      const n = Number(value);
      if (!Number.isFinite(n) || value.trim() === '')
        throw new UsageError(`--${spec.name} needs a number, not "${value}"`);
      parsed.options[spec.name] = n;
    } else {
      if (spec.choices && !spec.choices.includes(value))
        throw new UsageError(`--${spec.name} takes ${spec.choices.join(', ')}, not "${value}"`);
      parsed.options[spec.name] = value;
    }
  }
  return parsed;
}

/**
 * ` (did you mean --artifact-platform?)` for `--platform` on push: the one option whose name ends in the typed one
 * (ORAS's push records a platform with --artifact-platform), when no name is a typo away.
 */
function longerForm(typed: string, known: readonly string[]): string {
  const longer = known.filter((name) => name.endsWith(`-${typed}`));
  return longer.length === 1 ? ` (did you mean ${long(longer[0]!)}?)` : '';
}

function long(name: string): string {
  return `--${name}`;
}

/** Help text for a list of options, aligned. */
export function formatOptions(specs: readonly OptionSpec[], width = PLAIN_WIDTH): string {
  const rows = specs.map((s) => {
    const value = s.type === 'boolean' ? '' : ` <${s.valueName ?? (s.type === 'number' ? 'n' : 'value')}>`;
    const flags = `${s.short ? `-${s.short}, ` : '    '}--${s.name}${value}`;
    return [flags, s.description] as const;
  });
  return twoColumns(rows, width);
}
