import { pullArtifact } from '../../core/files';
import { printable, formatBytes } from '../../core/oci';
import { progressReporter } from '../progress';
import { COMMON_OPTIONS } from '../session';
import { print, printJson, type Command } from '../command';

export const pullCommand: Command = {
  name: 'pull',
  summary: 'pull the files of an artifact into a folder (verified, staged, then moved into place)',
  usage: 'stowage pull <reference> [-o DIR] [--overwrite] [--max-size bytes]',
  options: [
    ...COMMON_OPTIONS,
    {
      name: 'output',
      short: 'o',
      type: 'string',
      valueName: 'dir',
      description: 'the folder to write into (default: the current folder)',
    },
    {
      name: 'overwrite',
      type: 'boolean',
      description: 'replace files that already exist (refused otherwise, before anything is written)',
    },
    {
      name: 'max-size',
      type: 'number',
      valueName: 'bytes',
      description: 'refuse artifacts that would write more than this (default 4 GiB)',
    },
    { name: 'format', type: 'string', choices: ['text', 'json'], description: 'text or json (the files written)' },
  ],
  arity: [1, 1],
  async run({ io, args, session, signal }) {
    const { target, tagOrDigest } = await session.openManifest(args.positionals[0]!);
    const dir = (args.options['output'] as string | undefined) ?? '.';
    const progress = progressReporter(io, 'pulling');
    const result = await pullArtifact(target, tagOrDigest, dir, {
      overwrite: !!args.options['overwrite'],
      maxBytes: args.options['max-size'] as number | undefined,
      signal,
      onProgress: progress.onProgress,
    }).finally(progress.done);
    if (args.options['format'] === 'json') {
      printJson(io, {
        descriptor: result.descriptor,
        files: result.outputs.map((o) => ({ title: o.title, path: o.path, size: o.size, unpacked: o.unpack })),
        bytesWritten: result.bytesWritten,
      });
    } else {
      for (const output of result.outputs)
        print(
          io,
          `${output.unpack ? 'unpacked' : 'wrote'} ${printable(output.path)}${output.unpack ? '/' : ''} (${formatBytes(output.size)})`,
        );
      print(
        io,
        `pulled ${result.descriptor.digest}: ${result.outputs.length} item(s), ${formatBytes(result.bytesWritten)}`,
      );
    }
    return 0;
  },
};
