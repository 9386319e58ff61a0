// ORAS's `cp --from-…`/`--to-…` flags: the registry flags for one side of a copy only (a public source read
// anonymously, a private destination with its user and CA). Each names the same setting as the plain flag, for
// the registry of that side; the plain flags still apply to both.
import type { OptionSpec, ParsedArgs } from './args';

export type Side = 'from' | 'to';

/** The plain flags that have a per-side form (ORAS's remote flags; --registry-config has none here). */
export const SIDED = [
  'username',
  'password',
  'identity-token',
  'plain-http',
  'insecure',
  'ca-file',
  'cert-file',
  'key-file',
  'header',
  'resolve',
] as const;
export type SidedOption = (typeof SIDED)[number];

const WHAT: Record<SidedOption, (registry: string) => string> = {
  username: (r) => `user name for ${r}`,
  password: (r) => `password or token for ${r} (insecure: other users can see it)`,
  'identity-token': (r) => `identity (refresh) token for ${r} (insecure: other users can see it)`,
  'plain-http': (r) => `talk plain HTTP to ${r}`,
  insecure: (r) => `do not verify the TLS certificate of ${r} (unsafe)`,
  'ca-file': (r) => `PEM file with CA certificates to trust for ${r}`,
  'cert-file': (r) => `PEM client certificate to present to ${r} (mutual TLS; with --…-key-file)`,
  'key-file': (r) => `PEM private key of the client certificate for ${r}`,
  header: (r) => `add this header to requests to ${r} (repeatable; as -H)`,
  resolve: (r) => `customized DNS for ${r}: host:port:address[:port] (repeatable; as --resolve)`,
};

/** `--from-username`, `--to-plain-http`…: each plain flag's spec (from `plain`), renamed, for one side only. */
export function sideOptions(side: Side, plain: readonly OptionSpec[]): OptionSpec[] {
  const registry = side === 'from' ? "the source's registry" : "the destination's registry";
  return SIDED.map((name) => ({
    ...plain.find((o) => o.name === name)!,
    name: `${side}-${name}`,
    short: undefined,
    description: WHAT[name](registry),
  }));
}

/** The value of `name` for a registry on `side` (its --from-/--to- flag), else the plain flag's. */
export function sidedOption(args: ParsedArgs, name: SidedOption, side: Side | undefined): unknown {
  const sided = side ? args.options[`${side}-${name}`] : undefined;
  return sided !== undefined ? sided : args.options[name];
}

/** True when any --from-/--to- flag is given: then a registry on both sides cannot tell them apart. */
export function hasSideFlags(args: ParsedArgs): boolean {
  return (['from', 'to'] as const).some((side) => SIDED.some((name) => args.options[`${side}-${name}`] !== undefined));
}
