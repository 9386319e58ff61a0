// ORAS's `--format go-template=<template>` (or `--format go-template --template <template>`): any command that
// prints JSON prints it through a Go template instead. Taken out of the command line before it is parsed, so each
// command keeps its own `--format` choices and writes JSON as usual; printJson renders the template.
import { UsageError, type OptionSpec } from '../args';
import type { Command } from '../command';
import { GoTemplate, TemplateError } from './execute';

const FORMAT = 'go-template';

/** Shown in the help of every command that prints JSON. */
export const TEMPLATE_HELP: OptionSpec = {
  name: 'template',
  type: 'string',
  valueName: 'text',
  description: `with --format ${FORMAT} (or --format ${FORMAT}=<text>): print the JSON output through this Go template, as ORAS`,
};

export function printsJson(command: Command): boolean {
  return command.options.some((o) => o.name === 'format' && o.choices?.includes('json'));
}

/** The options help and shell completion show: with a JSON output, `--format go-template` and `--template` too. */
export function optionsShown(command: Command): OptionSpec[] {
  if (!printsJson(command)) return command.options;
  const withTemplate = command.options.map((o) =>
    o.name === 'format' ? { ...o, choices: [...o.choices!, FORMAT] } : o,
  );
  return [...withTemplate, TEMPLATE_HELP];
}

/** `argv` with a Go template's flags replaced by `--format json`, and the template, checked; as is without one. */
export function takeGoTemplate(argv: readonly string[], command: Command): { argv: string[]; template?: GoTemplate } {
  const rest: string[] = [];
  let format: string | undefined;
  let formatAt = -1;
  let text: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      rest.push(...argv.slice(i));
      break;
    }
    const [flag, inline] =
      arg.startsWith('--') && arg.includes('=')
        ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
        : [arg, undefined];
    if (flag === '--format' || flag === '--template') {
      const value = inline ?? argv[++i];
      if (value === undefined) throw new UsageError(`${flag} needs a value`);
      if (flag === '--template') text = value;
      else {
        format = value;
        formatAt = rest.length;
        rest.push('--format', value);
      }
      continue;
    }
    rest.push(arg);
  }
  const isTemplate = format === FORMAT || format?.startsWith(`${FORMAT}=`);
  if (!isTemplate) {
    if (text !== undefined) throw new UsageError(`--template goes with --format ${FORMAT}`);
    return { argv: [...argv] };
  }
  if (!printsJson(command))
    throw new UsageError(`stowage ${command.name} has no JSON output to format with a Go template`);
  if (format !== FORMAT) text ??= format!.slice(FORMAT.length + 1);
  if (text === undefined)
    throw new UsageError(`--format ${FORMAT} needs the template: --format ${FORMAT}='{{.digest}}' or --template`);
  rest[formatAt + 1] = 'json';
  try {
    return { argv: rest, template: new GoTemplate(text) };
  } catch (err) {
    if (err instanceof TemplateError) throw new UsageError(`the Go template: ${err.message}`);
    throw err;
  }
}
