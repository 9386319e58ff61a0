// --registry-config names docker-style auth files, as in ORAS. Until this release it named per-host connection
// settings ({"registries": [...]}), now --hosts-config: such a file is refused with what changed, never read as
// an empty auth file (which would silently drop its TLS settings).
import { readFile } from 'node:fs/promises';
import { UsageError } from './args';

/** Fails on a file that is not a docker-style auth file; a missing file is fine (login creates the first one). */
export async function checkAuthFiles(files: readonly string[]): Promise<void> {
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw new UsageError(`--registry-config ${file}: cannot read it (${(err as NodeJS.ErrnoException).code ?? ''})`);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      // Never echo the file: it holds secrets.
      throw new UsageError(`--registry-config ${file}: not valid JSON (a docker-style config.json was expected)`);
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
      throw new UsageError(`--registry-config ${file}: expected a JSON object like docker's config.json`);
    const keys = Object.keys(parsed);
    if (keys.includes('registries') && !keys.some((k) => ['auths', 'credHelpers', 'credsStore'].includes(k)))
      throw new UsageError(
        `--registry-config ${file} holds per-registry connection settings ({"registries": [...]}). ` +
          '--registry-config now names a docker-style auth file (auths, credHelpers, credsStore), as in ORAS; ' +
          `pass this file with --hosts-config ${file} instead`,
      );
  }
}
