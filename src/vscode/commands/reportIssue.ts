// "Report Issue": a report to paste into an issue, opened as an untitled document the user reads before sending
// anything: versions, platform, how many registries and layouts are configured (not their names: hosts can be
// private) and the log's last lines (already redacted by the engine). Nothing leaves the machine from here.
import * as os from 'node:os';
import * as vscode from 'vscode';
import type { CommandContext } from './CommandContext';
import { counted } from '../../core/oci';

const LOG_LINES = 60;

export function reportIssue(ctx: CommandContext, extension: vscode.ExtensionContext) {
  return async (): Promise<vscode.TextDocument> => {
    const settings = ctx.settings();
    const packageJson = extension.extension.packageJSON as { version?: string; bugs?: { url?: string } };
    const log = await readLogTail(extension.logUri);
    const report = [
      '## What happened',
      '',
      '<!-- What you did, what you expected, what Stowage did instead. -->',
      '',
      '## Environment',
      '',
      `- Stowage ${packageJson.version ?? '?'}`,
      `- ${vscode.env.appName} ${vscode.version} (${vscode.env.appHost}, ${vscode.env.uiKind === vscode.UIKind.Web ? 'web' : 'desktop'})`,
      `- ${os.type()} ${os.release()} ${os.arch()}, Node ${process.versions.node}`,
      `- ${settings.registries.length} registr${settings.registries.length === 1 ? 'y' : 'ies'} configured (kinds: ${
        [...new Set(settings.registries.map((r) => r.kind ?? 'generic'))].join(', ') || 'none'
      }), ${counted(settings.layouts.length, 'layout folder')} in settings`,
      '',
      `## Stowage log (last ${LOG_LINES} lines; read it before sending: it names hosts and repositories)`,
      '',
      '```',
      ...log,
      '```',
      packageJson.bugs?.url ? `\nReport at ${packageJson.bugs.url}` : '',
    ].join('\n');
    const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: report });
    await vscode.window.showTextDocument(document);
    return document;
  };
}

async function readLogTail(logFolder: vscode.Uri): Promise<string[]> {
  try {
    const entries = await vscode.workspace.fs.readDirectory(logFolder);
    const file = entries.find(([name]) => name.endsWith('.log'));
    if (!file) return ['(no log yet)'];
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(logFolder, file[0])));
    return text.split('\n').filter(Boolean).slice(-LOG_LINES);
  } catch {
    return ['(the log could not be read)'];
  }
}
