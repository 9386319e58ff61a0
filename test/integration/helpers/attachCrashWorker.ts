// Child process for the referrers-index crash test: attaches `file` to the manifest `subject-tag` names in a layout
// (the engine's attach: push, then the fallback index), and kills itself with SIGKILL at a chosen step — just
// before index.json moves the fallback tag ("tag"), or just before the superseded index blob is removed
// ("release") — or not at all ("none"). Prints the referrer's digest when the attach completed.
// Usage: node attachCrashWorker.js <layout> <subject-tag> <file> <none|tag|release>
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { pushArtifact } from '../../../src/core/files/artifact';
import { LayoutTarget } from '../../../src/core/layout/LayoutTarget';

function crashBefore<K extends 'rename' | 'rm'>(name: K, when: (args: unknown[]) => boolean): void {
  const original = fs[name] as (...args: unknown[]) => Promise<void>;
  (fs as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => {
    if (when(args)) process.kill(process.pid, 'SIGKILL');
    return original(...args);
  };
}

async function main(): Promise<void> {
  const [layoutPath, subjectTag, file, crashAt] = process.argv.slice(2);
  if (!layoutPath || !subjectTag || !file || !crashAt)
    throw new Error('usage: attachCrashWorker <layout> <tag> <file> <step>');
  const layout = await LayoutTarget.open(layoutPath);
  const subject = await layout.resolve(subjectTag);
  if (crashAt === 'tag') crashBefore('rename', (args) => path.basename(String(args[1])) === 'index.json');
  if (crashAt === 'release')
    crashBefore('rm', (args) => String(args[0]).startsWith(path.join(path.resolve(layoutPath), 'blobs', 'sha256')));
  const pushed = await pushArtifact(layout, [file], { subject, artifactType: 'application/vnd.example.note' });
  console.log(pushed.manifest.descriptor.digest);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
