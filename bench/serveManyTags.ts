// The scripted many-tags registry (manyTagsRegistry.ts) alone, for measuring one command by hand at a scale the bench
// does not run (10,000 signed tags into a `.tar`, 50,000 into a registry): `node out/bench/serveManyTags.js [signed
// tags] [listed tags]` prints the signed repository (`127.0.0.1:PORT/many/signed`; `many/sink` takes pushes on the
// same host) once its images are made, and serves until stopped. Loopback only; nothing is written to disk.
import { createSigningKey } from '../src/core/sign';
import { startManyTagsRegistry } from './manyTagsRegistry';

async function main(): Promise<void> {
  const [tags = 10_000, listedTags = 0] = process.argv.slice(2).map(Number);
  const key = await createSigningKey({ algorithm: 'ecdsa-p256', subject: 'CN=Stowage bench', validDays: 1 });
  const registry = await startManyTagsRegistry({ tags, signatures: 3, listedTags }, key);
  console.log(`${registry.host}/${registry.signedRepository}`);
  process.once('SIGINT', () => void registry.close());
  process.once('SIGTERM', () => void registry.close());
}

void main();
