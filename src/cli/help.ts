// A command's --help: its usage, what it does, its own options first, then the registry options every command
// shares (connection, credentials, limits), so `-o` or `--overwrite` is not buried under twenty flags about TLS.
import { formatOptions, type OptionSpec } from './args';
import { PLAIN_WIDTH, wrapParagraph, wrapUsage, wrapWords } from './helpLayout';
import type { Command, CommandExample } from './command';
import { COMMON_OPTIONS, HELP_OPTION } from './commonOptions';
import { SIDED } from './sideOptions';
import { optionsShown } from './template/goTemplateOption';

const SHARED = new Set(COMMON_OPTIONS.filter((o) => o !== HELP_OPTION).map((o) => o.name));
const SIDE_FLAGS = new Set(SIDED.flatMap((name) => [`from-${name}`, `to-${name}`]));

/** Whether an option is one of the registry options every command shares (or its --from-/--to- form). */
function isShared(option: OptionSpec): boolean {
  return SHARED.has(option.name) || SIDE_FLAGS.has(option.name);
}

/** "Usage: …" within `width`: alternatives start under "stowage", a long one goes on four columns further in. */
export function usageLines(command: Command, width = PLAIN_WIDTH): string {
  return wrapUsage(`Usage: ${command.usage}`, width, 'Usage: '.length + 4);
}

/** The command's help laid out for `width` columns (see helpLayout). */
export function commandHelp(command: Command, width = PLAIN_WIDTH): string {
  const shown = optionsShown(command);
  // -h/--help closes the command's own list, whatever the order its table gives.
  const own = [...shown.filter((o) => !isShared(o) && o.name !== HELP_OPTION.name), HELP_OPTION];
  const shared = shown.filter(isShared);
  const sections = [
    usageLines(command, width),
    wrapParagraph(command.summary, width),
    `Options:\n${formatOptions(own, width)}`,
  ];
  sections.push(`Examples:\n${formatExamples(command.examples, width)}`);
  if (shared.length)
    sections.push(`Registry options (connection, credentials, limits):\n${formatOptions(shared, width)}`);
  return `${sections.join('\n\n')}\n`;
}

/**
 * "  # what it does" over "  stowage …", within `width`: a long command line goes on after " \\" (a shell's line
 * continuation), so that what is copied from the help still runs.
 */
function formatExamples(examples: readonly CommandExample[], width: number): string {
  const lines: string[] = [];
  for (const { does, run } of examples) {
    if (does) for (const line of wrapWords(does, width - 4, 0).split('\n')) lines.push(`  # ${line}`);
    lines.push(
      `  ${wrapWords(run, width - 2, 4, 2)
        .split('\n')
        .join(' \\\n')}`,
    );
  }
  return lines.join('\n');
}
