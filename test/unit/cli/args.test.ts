import * as assert from 'node:assert/strict';
import { formatOptions, parseArgs, type OptionSpec } from '../../../src/cli/args';

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
});
