// Shell completion comes from the command table: a real bash sources the script and completes a command, an
// option, a choice, a verb and a file; the zsh and fish scripts name every command, option and choice.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { allCommands } from '../../../src/cli/commands';
import { completionScript } from '../../../src/cli/completion';
import { cli } from '../../helpers/runCli';

describe('stowage completion', () => {
  let dir: string;
  let bashScript: string;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stowage-completion-'));
    fs.writeFileSync(path.join(dir, 'annotations.json'), '{}');
    const run = await cli(['completion', 'bash']);
    assert.equal(run.code, 0, run.stderr);
    bashScript = path.join(dir, 'stowage.bash');
    fs.writeFileSync(bashScript, run.stdout);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** What bash offers for the words typed so far (the last one is being completed). */
  function bashComplete(words: string[]): string[] {
    const script = `source ${JSON.stringify(bashScript)}
COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}
_stowage; printf '%s\\n' "\${COMPREPLY[@]}"`;
    return execFileSync('bash', ['--norc', '--noprofile', '-c', script], { cwd: dir, encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .sort();
  }

  it('bash: completes commands, options, an option’s choices, a command’s verbs and file arguments', () => {
    assert.deepEqual(bashComplete(['stowage', 'pu']), ['pull', 'push']);
    assert.deepEqual(bashComplete(['stowage', 'push', '--export-']), ['--export-manifest']);
    assert.deepEqual(bashComplete(['stowage', 'discover', 'x', '--format', '']), [
      'go-template',
      'graph',
      'json',
      'table',
      'tree',
    ]);
    assert.deepEqual(bashComplete(['stowage', 'completion', '']), ['bash', 'fish', 'zsh']);
    assert.deepEqual(bashComplete(['stowage', 'manifest', '']), ['delete', 'fetch', 'fetch-config', 'index', 'push']);
    assert.deepEqual(bashComplete(['stowage', 'push', 'r', '--annotation-file', 'ann']), ['annotations.json']);
    assert.deepEqual(bashComplete(['stowage', 'cp', '--to-oci']), ['--to-oci-layout']);
    // A mirror job's flags (copy --all-tags).
    assert.deepEqual(bashComplete(['stowage', 'copy', '--keep']), ['--keep-going']);
    assert.deepEqual(bashComplete(['stowage', 'copy', '--no-cl']), ['--no-clobber']);
    assert.deepEqual(bashComplete(['stowage', 'copy', '--force-r']), ['--force-recursive']);
  });

  /** A shell on PATH, or the test fails saying so (`npm run setup` installs zsh and fish; a skip would hide it). */
  function shell(name: string): void {
    try {
      execFileSync(name, ['-c', 'true']);
    } catch (err) {
      throw new Error(
        `${name} is needed to check its completion script and is not installed (npm run setup installs it)`,
        {
          cause: err,
        },
      );
    }
  }

  it('fish: completes commands, options and choices', async function () {
    shell('fish');
    const file = path.join(dir, 'stowage.fish');
    fs.writeFileSync(file, (await cli(['completion', 'fish'])).stdout);
    const complete = (line: string) =>
      execFileSync('fish', ['--no-config', '-c', `source ${file}; complete -C ${JSON.stringify(line)}`], {
        encoding: 'utf8',
      })
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split('\t')[0])
        .sort();
    assert.deepEqual(complete('stowage pu'), ['pull', 'push']);
    assert.deepEqual(complete('stowage push --export-'), ['--export-manifest']);
    assert.deepEqual(complete('stowage discover x --format '), ['go-template', 'graph', 'json', 'table', 'tree']);
  });

  it('zsh: the script parses and registers _stowage for stowage with compinit', async function () {
    shell('zsh');
    const file = path.join(dir, '_stowage');
    fs.writeFileSync(file, (await cli(['completion', 'zsh'])).stdout);
    execFileSync('zsh', ['-n', file]);
    const registered = execFileSync(
      'zsh',
      ['-f', '-c', `autoload -U compinit; compinit -u -D; source ${file}; print $_comps[stowage]`],
      { encoding: 'utf8' },
    );
    assert.equal(registered.trim(), '_stowage');
  });

  it('every script names every command, option and choice of the table', () => {
    for (const shell of ['bash', 'zsh', 'fish'] as const) {
      const script = completionScript(shell, allCommands());
      for (const command of allCommands()) {
        assert.ok(script.includes(command.name), `${shell}: ${command.name}`);
        for (const option of command.options) {
          assert.ok(
            script.includes(shell === 'fish' ? `-l ${option.name}` : `--${option.name}`),
            `${shell}: --${option.name}`,
          );
          for (const choice of option.choices ?? []) assert.ok(script.includes(choice), `${shell}: ${choice}`);
        }
      }
    }
    assert.match(
      completionScript('zsh', allCommands()),
      /--format'\[[^\]]*\]:value:\(tree table json graph go-template\)'/,
    );
    assert.match(
      completionScript('fish', allCommands()),
      /complete -c stowage -n '__fish_seen_subcommand_from discover' -l format -x -a 'tree table json graph go-template'/,
    );
  });

  it('refuses a shell it has no script for', async () => {
    const run = await cli(['completion', 'powershell']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /completion takes bash, zsh, fish, not "powershell"/);
  });
});
