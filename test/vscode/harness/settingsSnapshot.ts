// The settings files a phase may change (User, Machine — where code-server keeps machine-scoped settings such as
// stowage.registries — and the workspace's), kept as they were so that they can be put back after the phase.
import * as fs from 'node:fs';
import * as path from 'node:path';

export function settingsFiles(userDataDir: string, workspace: string): string[] {
  return [
    path.join(userDataDir, 'User', 'settings.json'),
    path.join(userDataDir, 'Machine', 'settings.json'),
    path.join(workspace, '.vscode', 'settings.json'),
  ];
}

export interface FilesSnapshot {
  /** Writes each file back as it was; a file that did not exist is removed. */
  restore(): void;
}

export function snapshotFiles(files: readonly string[]): FilesSnapshot {
  const saved = files.map((file) => ({ file, text: fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined }));
  return {
    restore() {
      for (const { file, text } of saved) {
        if (text === undefined) fs.rmSync(file, { force: true });
        else if (!fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== text) fs.writeFileSync(file, text);
      }
    },
  };
}
