// Runs a docker credential helper (`docker-credential-<name> get`, the host on stdin) and reads its JSON answer.
import { execFile } from 'node:child_process';
import { OciError } from '../errors';

export interface HelperCredentials {
  username?: string;
  password?: string;
  identityToken?: string;
}

const NAME = /^[A-Za-z0-9._-]+$/;

/** Credentials from the helper, or undefined when it has none for `serverUrl`. */
export function runCredentialHelper(helper: string, serverUrl: string, signal?: AbortSignal, env: NodeJS.ProcessEnv = process.env): Promise<HelperCredentials | undefined> {
  if (!NAME.test(helper)) return Promise.reject(new OciError('USAGE', `credential helper name "${helper}" is not valid`));
  const program = `docker-credential-${helper}`;
  return new Promise((resolve, reject) => {
    const child = execFile(program, ['get'], { signal, env, timeout: 30_000, maxBuffer: 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) {
        // Helpers say "credentials not found" on stdout or stderr with a non-zero exit.
        if (/not found/i.test(`${stdout}\n${stderr}`)) { resolve(undefined); return; }
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') { reject(new OciError('USAGE', `credential helper ${program} is configured but not installed`, { cause: err })); return; }
        reject(new OciError('UNAUTHORIZED', `credential helper ${program} failed (exit ${String((err as { code?: unknown }).code ?? 'unknown')})`));
        return;
      }
      try {
        const answer = JSON.parse(stdout) as { Username?: string; Secret?: string };
        if (!answer.Secret) { resolve(undefined); return; }
        // Docker's convention: the user name "<token>" marks the secret as an identity (refresh) token.
        if (answer.Username === '<token>') resolve({ identityToken: answer.Secret });
        else resolve({ username: answer.Username, password: answer.Secret });
      } catch {
        reject(new OciError('UNAUTHORIZED', `credential helper ${program} answered something that is not JSON`));
      }
    });
    child.stdin?.end(serverUrl);
  });
}
