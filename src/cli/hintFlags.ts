// The command lines that hints print, so that what a message tells the user to run works as it stands.
import type { ParsedArgs } from './args';

/**
 * The flags this command line reached `registry` with (a CA file, plain HTTP, the config files), so that the
 * command a hint gives works as this one did: "stowage login host" alone fails where --ca-file was needed.
 */
export function connectionFlags(args: ParsedArgs | undefined, registry: string): string {
  const options = args?.options ?? {};
  const flags: string[] = [];
  for (const name of ['ca-file', 'hosts-config'] as const)
    if (typeof options[name] === 'string') flags.push(`--${name} ${shellWord(options[name] as string)}`);
  for (const file of (options['registry-config'] as string[] | undefined) ?? [])
    flags.push(`--registry-config ${shellWord(file)}`);
  for (const name of ['plain-http', 'insecure'] as const) if (options[name]) flags.push(`--${name}`);
  for (const name of ['plain-http-registry', 'insecure-registry'] as const)
    if (((options[name] as string[] | undefined) ?? []).includes(registry)) flags.push(`--${name} ${registry}`);
  return flags.map((flag) => ` ${flag}`).join('');
}

/** A path as a shell word: quoted when it holds anything but plain path characters. */
export function shellWord(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}
