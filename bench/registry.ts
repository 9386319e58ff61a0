// Fresh registries for the runs (the integration tests' fixture, quiet), and seeding of many tags and
// repositories through the HTTP API: one small manifest, PUT many times in parallel.
import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { Agent, request } from 'undici';
import { startRegistry, type TestRegistry } from '../test/fixtures/registry';

/** `logLevel` info keeps the access log (registry.log()): cases that count requests ask for it. */
export function freshRegistry(logLevel: 'error' | 'info' = 'error'): Promise<TestRegistry> {
  return startRegistry({ variant: 'plain', logLevel });
}

/** Runs `registry => work` against a registry started for it alone, stopped (and its storage removed) after. */
export async function withRegistry<T>(
  work: (registry: TestRegistry) => Promise<T>,
  logLevel: 'error' | 'info' = 'error',
): Promise<T> {
  const registry = await freshRegistry(logLevel);
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
  await pushBlobBytes(agent, registry, repository, EMPTY_CONFIG, EMPTY_DIGEST);
}

/** One blob: a session, then one PUT with the bytes. */
async function pushBlobBytes(
  agent: Agent,
  registry: TestRegistry,
  repository: string,
  bytes: Buffer,
  digest: string,
): Promise<void> {
  const location = await send(
    agent,
    `${registry.url}/v2/${repository}/blobs/uploads/`,
    'POST',
    undefined,
    { 'content-length': '0' },
    [202],
  );
  const url = new URL(location!, registry.url);
  url.searchParams.set('digest', digest);
  await send(
    agent,
    url.href,
    'PUT',
    bytes,
    { 'content-type': 'application/octet-stream', 'content-length': String(bytes.length) },
    [201],
  );
}

/**
 * `tags` tags in one repository, every manifest holding the same `shared` layers (random bytes, `sharedMiB` each)
 * and one small layer of its own: what a backup must fetch once per distinct blob. Returns the distinct blob count.
 */
export async function seedSharedLayers(
  registry: TestRegistry,
  repository: string,
  options: { tags: number; shared: number; sharedMiB: number },
): Promise<{ distinctBlobs: number; bytes: number }> {
  const agent = new Agent({ connections: 8 });
  const digestOf = (bytes: Buffer) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
  const layer = (bytes: Buffer) => ({
    mediaType: 'application/vnd.oci.image.layer.v1.tar',
    digest: digestOf(bytes),
    size: bytes.length,
  });
  try {
    await pushEmptyConfig(agent, registry, repository);
    const shared = Array.from({ length: options.shared }, () => randomBytes(options.sharedMiB * 1024 * 1024));
    for (const bytes of shared) await pushBlobBytes(agent, registry, repository, bytes, digestOf(bytes));
    let bytes = EMPTY_CONFIG.length + shared.reduce((sum, b) => sum + b.length, 0);
    await parallel(options.tags, 8, async (i) => {
      const own = randomBytes(64 * 1024);
      bytes += own.length;
      await pushBlobBytes(agent, registry, repository, own, digestOf(own));
      const manifest = Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          config: { mediaType: 'application/vnd.oci.empty.v1+json', digest: EMPTY_DIGEST, size: EMPTY_CONFIG.length },
          layers: [...shared.map(layer), layer(own)],
        }),
      );
      await send(
        agent,
        `${registry.url}/v2/${repository}/manifests/t${String(i).padStart(3, '0')}`,
        'PUT',
        manifest,
        { 'content-type': 'application/vnd.oci.image.manifest.v1+json' },
        [201],
      );
    });
    return { distinctBlobs: 1 + options.shared + options.tags, bytes };
  } finally {
    await agent.close();
  }
}

/** Blob GETs the registry served (its access log at info level), by digest. */
export function blobGets(registry: TestRegistry): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of registry.log().split('\n')) {
    if (!line.includes('response completed') || !line.includes('http.request.method=GET')) continue;
    const digest = /http\.request\.uri="?\/v2\/[^"\s]*\/blobs\/(sha256:[0-9a-f]{64})/.exec(line)?.[1];
    if (digest) counts.set(digest, (counts.get(digest) ?? 0) + 1);
  }
  return counts;
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
