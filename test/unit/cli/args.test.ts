import * as assert from 'node:assert/strict';
import { formatOptions, parseArgs, type OptionSpec } from '../../../src/cli/args';
import { allCommands } from '../../../src/cli/commands';
import { cli } from '../../helpers/runCli';

const specs: OptionSpec[] = [
  { name: 'output', short: 'o', type: 'string', description: 'folder' },
  { name: 'annotation', short: 'a', type: 'strings', description: 'key=value' },
  { name: 'overwrite', type: 'boolean', description: 'replace files' },
  { name: 'concurrency', type: 'number', description: 'parallel transfers' },
];

describe('CLI argument parser', () => {
  it('separates positionals from long, short, inline and repeated options', () => {
    const parsed = parseArgs(
      ['ref', '-o', 'dir', '--annotation', 'a=1', '-a', 'b=2', '--overwrite', '--concurrency=8', 'file'],
      specs,
    );
    assert.deepEqual(parsed.positionals, ['ref', 'file']);
    assert.deepEqual(parsed.options, { output: 'dir', annotation: ['a=1', 'b=2'], overwrite: true, concurrency: 8 });
  });

  it('treats everything after -- as positional', () => {
    assert.deepEqual(parseArgs(['--', '-o', '--x'], specs).positionals, ['-o', '--x']);
  });

  it('names the option at fault', () => {
    assert.throws(() => parseArgs(['--nope'], specs), /unknown option --nope/);
    assert.throws(() => parseArgs(['-z'], specs), /unknown option -z/);
    assert.throws(() => parseArgs(['--output'], specs), /--output needs a value/);
    assert.throws(() => parseArgs(['--concurrency', 'many'], specs), /--concurrency needs a number, not "many"/);
    assert.throws(() => parseArgs(['--overwrite=yes'], specs), /--overwrite takes no value/);
  });

  it('formats aligned help for options', () => {
    const help = formatOptions(specs);
    assert.match(help, /-o, --output <value> +folder/);
    assert.match(help, / {4}--overwrite +replace files/);
  });

  it('refuses a value outside an option’s choices, listing them', () => {
    const format: OptionSpec[] = [{ name: 'format', type: 'string', choices: ['text', 'json'], description: 'output' }];
    assert.equal(parseArgs(['--format', 'json'], format).options['format'], 'json');
    assert.throws(() => parseArgs(['--format=yaml'], format), /--format takes text, json, not "yaml"/);
  });

  it('gives every --format of every command its choices, so an unknown one is a usage error, not text', async () => {
    for (const command of allCommands()) {
      for (const option of command.options.filter((o) => o.name === 'format' || o.name === 'algorithm')) {
        assert.ok(option.choices?.length, `stowage ${command.name} --${option.name} lists no choices`);
      }
    }
    const run = await cli(['discover', 'oci:./nowhere:v1', '--format', 'yaml']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /--format takes tree, table, json, graph, not "yaml"/);
  });

  it('answers a usage error with the error first, the usage line and where the options are, not the whole help', async () => {
    for (const args of [['pull', '--bogus', 'x'], ['pull'], ['push', 'localhost:5000/x:v1', '/no/such/file']]) {
      const run = await cli(args);
      assert.equal(run.code, 2, args.join(' '));
      const lines = run.stderr.trimEnd().split('\n');
      assert.match(
        lines[0]!,
        new RegExp(
          `^stowage ${args[0]}: (unknown option --bogus|pull takes 1 argument, got 0|cannot pack "/no/such/file": no such file or folder)$`,
        ),
      );
      assert.match(lines[1]!, new RegExp(`^Usage: stowage ${args[0]} <reference>`));
      // The rest of the usage (its wrapped and alternative lines), then where the options are: no option list.
      assert.ok(
        lines.slice(2, -1).every((l) => /^ {7}/.test(l)),
        run.stderr,
      );
      assert.equal(lines.at(-1), `Run "stowage ${args[0]} --help" for its options.`);
      assert.doesNotMatch(run.stderr, /Options:/);
    }
  });

  it('shows a command with verbs as one usage line per verb, with no new line shown as a code point', async () => {
    const run = await cli(['blob', 'fetch', 'localhost:5000/x@sha256:' + '0'.repeat(64)]);
    assert.equal(run.code, 2);
    assert.doesNotMatch(run.stderr, /⟨U\+000A⟩/);
    assert.deepEqual(run.stderr.trimEnd().split('\n').slice(1), [
      'Usage: stowage blob fetch <name>@<digest> (-o FILE | -o - | --descriptor)',
      '       stowage blob push <name>[@digest] <file|-> [--size bytes] [--media-type T] [--descriptor]',
      '       stowage blob push --oci-layout-path <dir> [@digest] <file|->',
      '       stowage blob delete <name>@<digest> --force',
      'Run "stowage blob --help" for its options.',
    ]);
  });
});
