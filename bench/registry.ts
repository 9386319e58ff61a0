// Fresh registries for the runs (the integration tests' fixture, quiet), and seeding of many tags and
// repositories through the HTTP API: one small manifest, PUT many times in parallel.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { Agent, request } from 'undici';
import { startRegistry, type TestRegistry } from '../test/fixtures/registry';

export function freshRegistry(): Promise<TestRegistry> {
  return startRegistry({ variant: 'plain', logLevel: 'error' });
}

/** Runs `registry => work` against a registry started for it alone, stopped (and its storage removed) after. */
export async function withRegistry<T>(work: (registry: TestRegistry) => Promise<T>): Promise<T> {
  const registry = await freshRegistry();
  try {
    return await work(registry);
  } finally {
    await registry.stop();
  }
}

/** CPU seconds (user + system) the registry process has used so far, from /proc (Linux). */
export async function registryCpuSeconds(registry: TestRegistry): Promise<number> {
  const stat = await fs.readFile(`/proc/${registry.pid}/stat`, 'utf8');
  // Fields after the parenthesised command name; utime and stime are the 14th and 15th of the whole line.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
}

/** USER_HZ: 100 on every Linux this runs on. */
const CLOCK_TICKS_PER_SECOND = 100;

const EMPTY_CONFIG = Buffer.from('{}');
const EMPTY_DIGEST = `sha256:${createHash('sha256').update(EMPTY_CONFIG).digest('hex')}`;
const MANIFEST = Buffer.from(
  JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    artifactType: 'application/vnd.stowage.bench.v1',
    config: {
      mediaType: 'application/vnd.oci.empty.v1+json',
      digest: EMPTY_DIGEST,
      size: EMPTY_CONFIG.length,
      data: 'e30=',
    },
    layers: [
      { mediaType: 'application/vnd.oci.empty.v1+json', digest: EMPTY_DIGEST, size: EMPTY_CONFIG.length, data: 'e30=' },
    ],
  }),
);

/** Calls `task(i)` for i in [0, count) with `concurrency` at once. */
async function parallel(count: number, concurrency: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await task(next++);
    }),
  );
}

async function send(
  agent: Agent,
  url: string,
  method: 'PUT' | 'POST',
  body: Buffer | undefined,
  headers: Record<string, string>,
  expected: number[],
): Promise<string | undefined> {
  const res = await request(url, { method, body, headers, dispatcher: agent });
  await res.body.dump();
  if (!expected.includes(res.statusCode)) throw new Error(`${method} ${url} answered ${res.statusCode}`);
  const location = res.headers.location;
  return typeof location === 'string' ? location : undefined;
}

/** The empty config blob: a session, then one PUT with the bytes (distribution 2.8 has no single-POST upload). */
async function pushEmptyConfig(agent: Agent, registry: TestRegistry, repository: string): Promise<void> {
  const location = await send(
    agent,
    `${registry.url}/v2/${repository}/blobs/uploads/`,
    'POST',
    undefined,
    { 'content-length': '0' },
    [202],
  );
  const url = new URL(location!, registry.url);
  url.searchParams.set('digest', EMPTY_DIGEST);
  await send(
    agent,
    url.href,
    'PUT',
    EMPTY_CONFIG,
    { 'content-type': 'application/octet-stream', 'content-length': String(EMPTY_CONFIG.length) },
    [201],
  );
}

async function putManifest(agent: Agent, registry: TestRegistry, repository: string, tag: string): Promise<void> {
  await send(
    agent,
    `${registry.url}/v2/${repository}/manifests/${tag}`,
    'PUT',
    MANIFEST,
    { 'content-type': 'application/vnd.oci.image.manifest.v1+json' },
    [201],
  );
}

/** One repository with `count` tags of one manifest. */
export async function seedTags(registry: TestRegistry, repository: string, count: number): Promise<void> {
  const agent = new Agent({ connections: 16 });
  try {
    await pushEmptyConfig(agent, registry, repository);
    await parallel(count, 16, (i) => putManifest(agent, registry, repository, `t${String(i).padStart(5, '0')}`));
  } finally {
    await agent.close();
  }
}

/** `count` repositories, each holding the manifest under one tag (the empty blob is mounted from the first). */
export async function seedRepositories(registry: TestRegistry, count: number): Promise<void> {
  const agent = new Agent({ connections: 16 });
  const name = (i: number) => `repo${String(i).padStart(5, '0')}`;
  try {
    await pushEmptyConfig(agent, registry, name(0));
    await putManifest(agent, registry, name(0), 'v1');
    await parallel(count - 1, 16, async (i) => {
      const repository = name(i + 1);
      await send(
        agent,
        `${registry.url}/v2/${repository}/blobs/uploads/?mount=${EMPTY_DIGEST}&from=${name(0)}`,
        'POST',
        undefined,
        { 'content-length': '0' },
        [201],
      );
      await putManifest(agent, registry, repository, 'v1');
    });
  } finally {
    await agent.close();
  }
}
