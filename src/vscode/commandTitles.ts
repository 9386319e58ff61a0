// A command's title as the palette shows it ("Push as Artifact"), read from the extension's manifest and its
// strings only when a failure needs it, so that an error can say what failed and activation reads nothing more.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CommandId } from './commandIds';

interface Manifest {
  contributes?: { commands?: { command: string; title: string }[] };
}

/** The title of `id` without its trailing ellipsis; undefined when the manifest cannot say. */
export function commandTitle(extensionPath: string, id: CommandId): string | undefined {
  try {
    const read = (file: string): unknown => JSON.parse(fs.readFileSync(path.join(extensionPath, file), 'utf8'));
    const title = (read('package.json') as Manifest).contributes?.commands?.find((c) => c.command === id)?.title;
    const placeholder = title?.match(/^%(.+)%$/)?.[1];
    const text = placeholder ? (read('package.nls.json') as Record<string, unknown>)[placeholder] : title;
    return typeof text === 'string' ? text.replace(/…$/, '') : undefined;
  } catch {
    return undefined;
  }
}

/** "Push as Artifact failed: cannot reach …", or the message alone when the title is unknown. */
export function failureMessage(title: string | undefined, message: string): string {
  return title ? `${title} failed: ${message}` : message;
}
