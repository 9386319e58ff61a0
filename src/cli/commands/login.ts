import { hostProblem, hostWithoutSignIn } from '../../core/oci';
import { checkCredentials, removeDockerLogin, saveDockerLogin, type Credentials } from '../../core/registry';
import { UsageError } from '../args';
import { print, type Command, type CommandContext } from '../command';
import { askLine, askSecret, terminalInput } from '../prompt';
import { COMMON_OPTIONS } from '../commonOptions';

function registryHost(input: string): string {
  const host = input.replace(/^https?:\/\//, '').replace(/\/+$/, '');
  const problem = hostProblem(host);
  if (problem) throw new UsageError(`"${hostWithoutSignIn(input)}" is not a registry host: ${problem}`);
  return host;
}

/**
 * On a terminal without a password flag: the user name (unless -u gave it) and the password, asked as docker and
 * ORAS ask. Undefined otherwise (scripts use -u with --password-stdin).
 */
async function askedCredentials({ args, io, session, signal }: CommandContext): Promise<Credentials | undefined> {
  const { options } = args;
  if (options['password'] !== undefined || options['password-stdin'] || identityTokenGiven(args)) return undefined;
  const terminal = terminalInput(io.stdin);
  if (!terminal) return undefined;
  const username =
    (options['username'] as string | undefined) || (await askLine(terminal, io.err, 'Username: ', signal)).trim();
  if (!username) throw new UsageError('login needs a user name');
  const password = await askSecret(terminal, io.err, 'Password: ', signal);
  if (!password) throw new UsageError('login needs a password (or a token)');
  const credentials = { username, password };
  session.useCredentials(credentials);
  return credentials;
}

function identityTokenGiven(args: CommandContext['args']): boolean {
  return args.options['identity-token'] !== undefined || !!args.options['identity-token-stdin'];
}

export const loginCommand: Command = {
  name: 'login',
  summary: 'check credentials with a registry and save them where docker keeps them',
  examples: [
    { does: 'log in, asked for the password', run: 'stowage login registry.example.com -u ci' },
    {
      does: 'log in from a script, the password on standard input',
      run: 'stowage login registry.example.com -u ci --password-stdin < token.txt',
    },
  ],
  usage:
    'stowage login <registry> [-u USER] [--password-stdin | -p PASSWORD | --identity-token-stdin | --identity-token T] [--registry-config FILE] (asks for what is missing on a terminal)',
  options: COMMON_OPTIONS,
  arity: [1, 1],
  async run(context) {
    const { args, io, session, signal } = context;
    const host = registryHost(args.positionals[0]!);
    const given = (await askedCredentials(context)) ?? (await session.flagCredentials());
    if (!given) throw new UsageError('login needs -u USER and the password: --password-stdin (or -p, insecure)');
    const { username } = given;

    // The credentials alone (not whatever docker already has) must open the registry before they are saved.
    await checkCredentials((await session.client(host)).config, given, { signal });
    const store = await saveDockerLogin(host, given, io.env, session.authFiles[0]);
    print(
      io,
      `logged in to ${host} ${username ? `as ${username}` : 'with an identity token'} (saved ${store.kind === 'helper' ? `with docker-credential-${store.helper}` : `in ${store.file}`})`,
    );
    return 0;
  },
};

export const logoutCommand: Command = {
  name: 'logout',
  summary: 'remove saved credentials for a registry',
  examples: [{ does: 'forget the credentials of a registry', run: 'stowage logout registry.example.com' }],
  usage: 'stowage logout <registry>',
  options: COMMON_OPTIONS,
  arity: [1, 1],
  async run({ args, io, session }) {
    const host = registryHost(args.positionals[0]!);
    const removed = await removeDockerLogin(host, io.env, session.authFiles[0]);
    print(io, removed ? `logged out of ${host}` : `no saved credentials for ${host}`);
    return 0;
  },
};
