// Installs a .vsix into an extensions folder with code-server's own CLI, as a user would.
import { execFileSync } from 'node:child_process';
import type { CodeServerRuntime } from './installRuntime';
import { runCommand } from './runCommand';

export async function installVsix(
  runtime: CodeServerRuntime,
  vsixFile: string,
  extensionsDir: string,
  userDataDir: string,
  log: (chunk: string) => void,
): Promise<void> {
  await runCommand(
    runtime.nodeBinary,
    [
      runtime.codeServerEntry,
      '--extensions-dir',
      extensionsDir,
      '--user-data-dir',
      userDataDir,
      '--install-extension',
      vsixFile,
    ],
    { log },
  );
}

/** `publisher.name@version` of each extension in the folder, as code-server lists them. */
export function listInstalledExtensions(
  runtime: CodeServerRuntime,
  extensionsDir: string,
  userDataDir: string,
): string[] {
  const output = execFileSync(
    runtime.nodeBinary,
    [
      runtime.codeServerEntry,
      '--extensions-dir',
      extensionsDir,
      '--user-data-dir',
      userDataDir,
      '--list-extensions',
      '--show-versions',
    ],
    { encoding: 'utf8' },
  );
  return output
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
}
