// Child process for the concurrency test: pushes `count` distinct artifacts into one layout, tagged <name>-<i>.
// Usage: node layoutPushWorker.js <layout> <name> <count>
import { LayoutTarget } from '../../../src/core/layout/LayoutTarget';
import { pushArtifact } from '../../helpers/sampleArtifact';

async function main(): Promise<void> {
  const [layoutPath, name, count] = process.argv.slice(2);
  if (!layoutPath || !name || !count) throw new Error('usage: layoutPushWorker <layout> <name> <count>');
  const layout = await LayoutTarget.open(layoutPath, { create: true });
  for (let i = 0; i < Number(count); i++)
    await pushArtifact(layout, `${name} artifact ${i}`, { tag: `${name}-${i}`, title: `${name}-${i}.txt` });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
