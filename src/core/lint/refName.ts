// image-spec's grammar for `org.opencontainers.image.ref.name` (annotations.md):
//   ref       ::= component ("/" component)*
//   component ::= alphanum (separator alphanum)*
//   alphanum  ::= [A-Za-z0-9]+
//   separator ::= [-._:@+] | "--"
// A plain tag ("v1") and a full reference ("docker.io/library/alpine:3.20") both match.

const COMPONENT = '[A-Za-z0-9]+(?:(?:[-._:@+]|--)[A-Za-z0-9]+)*';
const REF_NAME = new RegExp(`^${COMPONENT}(?:/${COMPONENT})*$`);
const ALLOWED_CHARACTER = /[A-Za-z0-9\-._:@+/]/;

/** Why `name` is not a valid ref.name, in words; undefined when it is valid. */
export function refNameProblem(name: string): string | undefined {
  if (REF_NAME.test(name)) return undefined;
  if (name === '') return 'it is empty';
  for (let i = 0; i < name.length; i++) {
    const character = name[i]!;
    if (!ALLOWED_CHARACTER.test(character))
      return `${describeCharacter(character)} at position ${i + 1} is not allowed (only A-Z a-z 0-9 and - . _ : @ + /)`;
  }
  return 'separators (- . _ : @ + /) must stand between letters or digits, one at a time ("--" is the only double)';
}

function describeCharacter(character: string): string {
  if (character === ' ') return 'the space';
  const code = character.codePointAt(0)!;
  return code < 0x20 || code === 0x7f
    ? `the control character U+${code.toString(16).toUpperCase().padStart(4, '0')}`
    : `"${character}"`;
}
