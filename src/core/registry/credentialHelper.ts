// Runs docker credential helpers (`docker-credential-<name> get|store|erase`, input on stdin), found on PATH's
// absolute folders only (executableOnPath.ts: never the current folder), and reads the answer of `get`.
import type { ExecFileException } from 'node:child_process';
import { OciError, throwIfAborted } from '../oci';
import { findExecutableOnPath } from '../content';

export interface HelperCredentials {
  username?: string;
  password?: string;
  identityToken?: string;
}

export interface HelperRun {
  error?: ExecFileException;
  stdout: string;
  stderr: string;
}

const NAME = /^[A-Za-z0-9._-]+$/;

/**
 * Runs `docker-credential-<helper> <verb>` with `input` on stdin; throws when it cannot be started. `namedIn` is
 * the auth file that names the helper: a CI job's DOCKER_CONFIG or --registry-config file is not the user's
 * ~/.docker, and the error says which file to fix.
 */
export async function execCredentialHelper(
  helper: string,
  verb: 'get' | 'store' | 'erase',
  input: string,
  env: NodeJS.ProcessEnv,
  signal?: AbortSignal,
  namedIn?: string,
): Promise<HelperRun> {
  if (!NAME.test(helper)) throw new OciError('USAGE', `credential helper name "${helper}" is not valid`);
  const program = `docker-credential-${helper}`;
  const file = await findExecutableOnPath(program, env);
  if (!file) {
    throw new OciError(
      'USAGE',
      `${program} not found on PATH: ${namedIn ?? "docker's config.json"} names "${helper}" (credsStore or credHelpers). ` +
        'Install it in a folder on PATH, or remove it from that file. Stowage never runs a helper from the current folder or a relative PATH entry',
    );
  }
  // Windows runs .bat/.cmd files only through the shell (Node refuses them otherwise); the path is quoted.
  const viaShell = process.platform === 'win32' && /\.(bat|cmd)$/i.test(file);
  // Loaded here: node:child_process costs every CLI start ~2 ms, and most commands run no helper.
  const { execFile } = require('node:child_process') as typeof import('node:child_process');
  return new Promise((resolve, reject) => {
    const child = execFile(
      viaShell ? `"${file}"` : file,
      [verb],
      { signal, env, shell: viaShell, timeout: 30_000, maxBuffer: 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error && (error as NodeJS.ErrnoException).code === 'ENOENT') {
          reject(new OciError('USAGE', `${program} could not be started from ${file}`, { cause: error }));
          return;
        }
        resolve({ error: error ?? undefined, stdout: String(stdout), stderr: String(stderr) });
      },
    );
    child.stdin?.on('error', () => {
      /* a helper that exits without reading stdin: its exit code tells */
    });
    child.stdin?.end(input);
  });
}

/** Credentials from the helper, or undefined when it has none for `serverUrl`. */
export async function runCredentialHelper(
  helper: string,
  serverUrl: string,
  signal?: AbortSignal,
  env: NodeJS.ProcessEnv = process.env,
  namedIn?: string,
): Promise<HelperCredentials | undefined> {
  const program = `docker-credential-${helper}`;
  const { error, stdout, stderr } = await execCredentialHelper(helper, 'get', serverUrl, env, signal, namedIn);
  if (error) {
    throwIfAborted(signal);
    // Helpers say "credentials not found" on stdout or stderr with a non-zero exit.
    if (/not found/i.test(`${stdout}\n${stderr}`)) return undefined;
    throw new OciError('UNAUTHORIZED', `credential helper ${program} failed (exit ${String(error.code ?? 'unknown')})`);
  }
  let answer: { Username?: string; Secret?: string };
  try {
    answer = JSON.parse(stdout) as typeof answer;
  } catch {
    throw new OciError('UNAUTHORIZED', `credential helper ${program} answered something that is not JSON`);
  }
  if (!answer.Secret) return undefined;
  // Docker's convention: the user name "<token>" marks the secret as an identity (refresh) token.
  if (answer.Username === '<token>') return { identityToken: answer.Secret };
  return { username: answer.Username, password: answer.Secret };
}
