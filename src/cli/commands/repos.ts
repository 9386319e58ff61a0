import { echoedReference, hostProblem, hostWithoutSignIn } from '../../core/oci';
import { nameFilter, repositoryLister } from '../../core/registry';
import { UsageError } from '../args';
import { print, printJson, type Command, type CommandContext } from '../command';
import { COMMON_OPTIONS, formatOption } from '../commonOptions';

export const reposCommand: Command = {
  name: 'repos',
  summary: 'list the repositories of a registry (its catalog), or those under a namespace',
  examples: [
    { does: 'list the repositories of a registry', run: 'stowage repos localhost:5000' },
    { does: 'those under a namespace', run: 'stowage repos localhost:5000/team' },
  ],
  usage: 'stowage repos <registry>[/namespace] [--last name] [--page-size n] [--format text|json]',
  options: [
    ...COMMON_OPTIONS,
    { name: 'page-size', type: 'number', description: 'repositories per request (default and most: 1000)' },
    {
      name: 'last',
      type: 'string',
      valueName: 'name',
      description: 'start after this repository (lexical order; under a namespace, the name as listed), as ORAS',
    },
    formatOption('text (one per line) or json'),
  ],
  arity: [1, 1],
  run: (context) => listRepositories(context, (repositories) => repositories),
};

/** A registry's repositories (under a namespace); `asJson` shapes --format json (`repo ls`: ORAS's object). */
export async function listRepositories(
  { io, args, session, signal }: CommandContext,
  asJson: (repositories: string[]) => unknown,
): Promise<number> {
  const given = args.positionals[0]!.replace(/\/+$/, '');
  // A layout is one repository: what it lists is tags ("oci:" read as a host said `"oci:" is not a registry host`).
  if (args.options['oci-layout'] || given.startsWith('oci:')) {
    const layout = args.options['oci-layout'] ? `--oci-layout ${given}` : given;
    throw new UsageError(
      `an OCI image layout holds one repository, so it has tags, not repositories: stowage repo tags ${layout}`,
    );
  }
  // A sign-in written in, whatever its password holds ("/" of a base64 token, "@"): never echoed, not even in part.
  const shown = echoedReference(given);
  if (shown !== given)
    throw new UsageError(
      `"${shown}" is written with a user name or password before "@" (left out here): log in to the registry instead`,
    );
  const slash = given.indexOf('/');
  const host = slash < 0 ? given : given.slice(0, slash);
  // ORAS's namespace: only repositories under it, named relative to it.
  const namespace = slash < 0 ? '' : `${given.slice(slash + 1)}/`;
  const problem = hostProblem(host);
  if (problem) throw new UsageError(`"${hostWithoutSignIn(host)}" is not a registry host: ${problem}`);
  const client = await session.client(host);
  // Docker Hub and ghcr.io have no catalog: a namespace's repositories come from their web APIs.
  const lister = repositoryLister(client, {
    namespaces: namespace ? [namespace.slice(0, -1)] : [],
    bases: session.engine.namespaceApiBases,
  });
  if (!lister)
    throw new UsageError(
      `${host} has no repository catalog: name a user or organisation, e.g. stowage repos ${host}/<namespace>`,
    );
  // The catalog is sorted: a namespace's names start after what sorts before them, and end once past them.
  const within = namespace && lister.kind === 'catalog' ? nameFilter(`${namespace}**`) : undefined;
  const last = args.options['last'] as string | undefined;
  // Under a namespace the names are listed relative to it, and so is --last (a full name works too).
  const startAfter =
    last === undefined ? within?.startAfter : last.startsWith(namespace) ? last : `${namespace}${last}`;
  const all: string[] = [];
  for await (const listed of lister.list({
    pageSize: args.options['page-size'] as number | undefined,
    startAfter,
    signal,
  })) {
    // GitHub names owners in any case; GHCR's repositories are lowercase.
    const page = namespace
      ? listed
          .filter((name) => name.toLowerCase().startsWith(namespace.toLowerCase()))
          .map((name) => name.slice(namespace.length))
      : listed;
    if (args.options['format'] === 'json') all.push(...page);
    // One write per page: a write per line cost about a second for 5,000 names on a busy machine.
    else print(io, page);
    if (within && listed.length && within.pastMatches(listed.at(-1)!)) break;
  }
  if (args.options['format'] === 'json') printJson(io, asJson(all));
  return 0;
}
