import { UsageError } from '../args';
import { print, printError, printJson, type Command } from '../command';
import { HELP_OPTION, formatOption } from '../commonOptions';
import { showInvisible, formatBytes, counted } from '../../core/oci';
import { lintInput, type LintFinding } from '../lintInputs';
import { drawsProgress } from '../progress';

export const lintCommand: Command = {
  name: 'lint',
  summary: 'check manifests, indexes, configs and whole image layouts',
  examples: [{ does: 'check a manifest file and a whole layout', run: 'stowage lint manifest.json oci:./app-layout' }],
  usage: 'stowage lint <file|layout-dir|oci:layout-dir[:tag]|oci-archive:file.tar[:tag]>... [--format text|json]',
  options: [formatOption('text (path:line:col severity code message) or json'), HELP_OPTION],
  arity: [1, Infinity],
  async run({ io, args, signal }) {
    const format = (args.options['format'] as string | undefined) ?? 'text';
    if (format !== 'text' && format !== 'json') throw new UsageError(`--format is text or json, not "${format}"`);
    const findings: LintFinding[] = [];
    for (const input of args.positionals) {
      const onProgress = drawsProgress(io)
        ? (p: { blobsDone: number; blobsTotal: number; bytesDone: number; bytesTotal: number }) => {
            io.err.write(
              `\r\u001b[Kvalidating ${showInvisible(input)}: ${p.blobsDone}/${p.blobsTotal} blobs, ${formatBytes(p.bytesDone)} / ${formatBytes(p.bytesTotal)}`,
            );
          }
        : undefined;
      findings.push(...(await lintInput(input, { signal, onProgress })));
      if (onProgress) io.err.write('\r\u001b[K');
    }
    const count = (severity: LintFinding['severity']) => findings.filter((f) => f.severity === severity).length;
    const summary = { errors: count('error'), warnings: count('warning'), infos: count('info') };
    if (format === 'json') {
      printJson(io, { problems: findings, summary });
    } else {
      for (const f of findings) print(io, `${f.file}:${f.line}:${f.column} ${f.severity} ${f.code} ${f.message}`);
      printError(
        io,
        `${counted(summary.errors, 'error')}, ${counted(summary.warnings, 'warning')}, ${counted(summary.infos, 'info')} in ${counted(args.positionals.length, 'input')}`,
      );
    }
    return summary.errors > 0 ? 1 : 0;
  },
};
