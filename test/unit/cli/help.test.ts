import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { allCommands, findCommand } from '../../../src/cli/commands';
import { checkPositionals, readCommandLine } from '../../../src/cli/run';
import { cli } from '../../helpers/runCli';

describe('CLI help', () => {
  it('answers --help and -h on every command and alias with its usage on stdout and exit 0', async () => {
    for (const command of allCommands()) {
      for (const name of [command.name, ...(command.aliases ?? [])]) {
        for (const flag of ['--help', '-h']) {
          const run = await cli([name, flag]);
          assert.equal(run.code, 0, `stowage ${name} ${flag}: ${run.stderr}`);
          assert.match(run.stdout, new RegExp(`^Usage: stowage ${command.name}`), `stowage ${name} ${flag}`);
          assert.equal(run.stderr, '', `stowage ${name} ${flag}`);
        }
      }
    }
  });

  it('shows examples under every command’s options, each a command line its command accepts as written', async () => {
    for (const command of allCommands()) {
      const help = (await cli([command.name, '--help'])).stdout;
      // A long line goes on after " \\", as a shell reads it.
      const examples = help.split('\nExamples:\n')[1]?.replace(/ \\\n +/g, ' ');
      assert.ok(examples, `stowage ${command.name} --help shows examples`);
      assert.match(examples, new RegExp(`^ {2}# .+\n {2}stowage ${command.name === 'sign' ? 'key' : command.name}\\b`));
      for (const { run } of command.examples) {
        assert.ok(examples.includes(`  ${run}\n`), `${command.name}: ${run} shown whole`);
        // The words a shell passes: a redirection (< token.txt, > file) is the shell's, not the command's.
        const [stowage, name, ...words] = run.split(/ +[<>] /)[0]!.split(/ +/);
        assert.equal(stowage, 'stowage', run);
        const ran = findCommand(name!);
        assert.ok(ran, `${run}: a command`);
        assert.doesNotThrow(() => checkPositionals(ran, readCommandLine(ran, words).args.positionals), run);
      }
    }
  });

  it('gives backup and restore the usage lines the README prints for them (ORAS 1.3’s syntax), --dry-run included', () => {
    // The tests run compiled, from out/test/unit/cli/.
    const readme = readFileSync(path.resolve(__dirname, '../../../../README.md'), 'utf8').split('\n');
    for (const command of allCommands().filter((c) => c.name === 'backup' || c.name === 'restore')) {
      const documented = readme.find((line) => line.startsWith(`stowage ${command.name} `));
      assert.ok(documented, `the README's usage line of ${command.name}`);
      assert.equal(documented.replace(/ +/g, ' '), command.usage);
    }
  });

  it('answers `help <command>` with that command’s help, as git and ORAS do; an unknown one is named', async () => {
    const asked = await cli(['help', 'copy']);
    assert.equal(asked.code, 0, asked.stderr);
    assert.equal(asked.stdout, (await cli(['copy', '--help'])).stdout);
    assert.equal((await cli(['help', 'cp'])).stdout, asked.stdout, 'an alias too');
    const unknown = await cli(['help', 'coyp']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown command "coyp".*copy/);
  });

  it('lists a command’s own options first and the shared registry options after them, under their own heading', async () => {
    const { stdout } = await cli(['pull', '--help']);
    const [own, shared] = stdout.split('\nRegistry options (connection, credentials, limits):\n');
    assert.ok(shared, stdout);
    assert.match(own!, /\nOptions:\n {2}-o, --output <dir> +the folder to write into/);
    assert.match(own!, /--overwrite/);
    assert.match(own!, /-h, --help +show help for this command\n/);
    assert.doesNotMatch(own!, /--plain-http|--username|--max-pages/);
    assert.match(shared, /--plain-http +talk plain HTTP/);
    assert.match(shared, /-u, --username <user>/);
    assert.doesNotMatch(shared, /--overwrite|--help/);

    const copy = (await cli(['copy', '--help'])).stdout.split('\nRegistry options');
    assert.match(copy[0]!, /--from-oci-layout/);
    assert.doesNotMatch(copy[0]!, /--from-username|--to-ca-file/);
    assert.match(copy[1]!, /--from-username <user> +user name for the source's registry/);

    const gc = (await cli(['gc', '--help'])).stdout;
    assert.doesNotMatch(gc, /Registry options/, 'a command without registries has one list');
  });

  it('attach --help says --artifact-type is required, where push’s own help gives its default', async () => {
    const attach = (await cli(['attach', '--help'])).stdout;
    assert.match(attach, /--artifact-type <type> +the referrer’s artifact type \(required\)/);
    assert.doesNotMatch(attach, /unknown\.artifact/, 'attach without --artifact-type is a usage error');
    assert.match((await cli(['push', '--help'])).stdout, /--artifact-type <type> +the artifact type \(default/);
  });

  it('the command list says what a pipeline needs: exit codes, signals, and the environment it reads', async () => {
    const { stdout, code } = await cli(['--help']);
    assert.equal(code, 0);
    const prose = stdout.replace(/\n/g, ' ');
    assert.match(prose, /Exit codes: 0 success, 1 failure, 2 usage; stopped by Ctrl-C, SIGTERM or SIGHUP/);
    assert.match(prose, /\(130, 143, 129 in a shell\)/);
    for (const variable of ['DOCKER_CONFIG', 'REGISTRY_AUTH_FILE', 'SOURCE_DATE_EPOCH', 'TERM=dumb', 'COLUMNS'])
      assert.ok(stdout.includes(variable), variable);
  });

  it('lays help out for the terminal’s width: descriptions wrap in their column, usage between bracketed groups', async () => {
    for (const args of [['--help'], ...allCommands().map((c) => [c.name, '--help'])]) {
      for (const [width, how] of [
        [80, { env: { COLUMNS: '80' } }],
        [100, { terminal: true, columns: 100 }],
        [120, {}],
      ] as const) {
        const { stdout } = await cli(args, how);
        // Only a word no line could hold (a URL) may run past the edge, alone on its line.
        for (const line of stdout.split('\n'))
          assert.ok(
            line.length <= width || !line.trim().includes(' '),
            `stowage ${args.join(' ')} at ${width} columns: ${line}`,
          );
      }
    }
    const narrow = (await cli(['copy', '--help'], { env: { COLUMNS: '80' } })).stdout.split('\n');
    // A description's next line starts in its column, not under the flags.
    const at = narrow.findIndex((l) => l.startsWith('  -a, --all-tags'));
    const column = narrow[at]!.indexOf('copy every tag');
    assert.ok(column > 20, narrow[at]);
    assert.match(narrow[at + 1]!, new RegExp(`^ {${column}}\\S`));
    // A flag too long for the column has its description on the lines below, in the same column.
    const platform = narrow.findIndex((l) => l.includes('--platform <os[/arch]'));
    assert.match(narrow[platform + 1]!, new RegExp(`^ {${column}}copy only this platform`));
    // Alternatives start under "stowage"; a bracketed group is never cut.
    const verify = (await cli(['verify', '--help'], { env: { COLUMNS: '80' } })).stdout;
    assert.match(verify, /\n {11}\[--require sbom\|attestation\|provenance\] \[--format json\]\n/);
    assert.match(verify, /\n {7}stowage verify <reference> --attestations/);
  });

  it('wraps a usage error’s usage line for the terminal too, and keeps it to the usage', async () => {
    const run = await cli(['push'], { env: { COLUMNS: '80' } });
    assert.equal(run.code, 2);
    const lines = run.stderr.trimEnd().split('\n');
    assert.ok(
      lines.every((l) => l.length <= 80),
      run.stderr,
    );
    assert.match(lines[1]!, /^Usage: stowage push <reference>/);
    assert.match(lines.at(-2)!, /^ {7}stowage push --helm/);
    assert.equal(lines.at(-1), 'Run "stowage push --help" for its options.');
  });
});
