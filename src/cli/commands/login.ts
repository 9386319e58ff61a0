import { AuthError, hostProblem } from '../../core/oci';
import { RegistryClient, removeDockerLogin, saveDockerLogin } from '../../core/registry';
import { UsageError } from '../args';
import { print, type Command, type CommandContext } from '../command';
import { COMMON_OPTIONS } from '../session';

async function readStdin(context: CommandContext): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of context.io.stdin) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

function registryHost(input: string): string {
  const host = input.replace(/^https?:\/\//, '').replace(/\/+$/, '');
  const problem = hostProblem(host);
  if (problem) throw new UsageError(`"${input}" is not a registry host: ${problem}`);
  return host;
}

export const loginCommand: Command = {
  name: 'login',
  summary: 'check credentials with a registry and save them where docker keeps them',
  usage: 'stowage login <registry> -u USER --password-stdin',
  options: [
    ...COMMON_OPTIONS,
    { name: 'username', short: 'u', type: 'string', description: 'the user name' },
    {
      name: 'password-stdin',
      type: 'boolean',
      description: 'read the password or token from standard input (the only way: never on the command line)',
    },
  ],
  arity: [1, 1],
  async run(context) {
    const { args, io, session, signal } = context;
    const host = registryHost(args.positionals[0]!);
    const username = args.options['username'] as string | undefined;
    if (!username) throw new UsageError('login needs -u USER');
    if (!args.options['password-stdin'])
      throw new UsageError('login reads the password from standard input: pipe it and pass --password-stdin');
    const password = await readStdin(context);
    if (!password) throw new UsageError('no password was given on standard input');

    // Check the credentials alone (not whatever docker already has) before saving them.
    const base = await session.client(host);
    const probe = new RegistryClient(base.config, {
      credentials: { explicit: { [host]: { username, password } }, ignoreToolConfig: true },
    });
    try {
      const res = await probe.request({ method: 'GET', url: '/v2/', scopes: [], signal });
      await res.body.dump();
      if (res.status === 401 || res.status === 403)
        throw new AuthError(host, `${host} refused the credentials of ${username}`);
      if (res.status >= 400) throw new AuthError(host, `${host} answered ${res.status} to the login check`);
    } catch (err) {
      if (err instanceof AuthError)
        throw new AuthError(
          host,
          `${host} refused the credentials of ${username}; nothing was saved`,
          err.code === 'DENIED' ? 'DENIED' : 'UNAUTHORIZED',
        );
      throw err;
    } finally {
      await probe.close();
    }
    const store = await saveDockerLogin(host, { username, password }, io.env);
    print(
      io,
      `logged in to ${host} as ${username} (saved ${store.kind === 'helper' ? `with docker-credential-${store.helper}` : `in ${store.file}`})`,
    );
    return 0;
  },
};

export const logoutCommand: Command = {
  name: 'logout',
  summary: 'remove saved credentials for a registry',
  usage: 'stowage logout <registry>',
  options: COMMON_OPTIONS,
  arity: [1, 1],
  async run({ args, io }) {
    const host = registryHost(args.positionals[0]!);
    const removed = await removeDockerLogin(host, io.env);
    print(io, removed ? `logged out of ${host}` : `no saved credentials for ${host}`);
    return 0;
  },
};
