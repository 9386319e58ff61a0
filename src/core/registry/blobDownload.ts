// Blob downloads as a stream that verifies size and digest while data flows, and that resumes with a Range
// request when the connection breaks part way (so a flaky network does not restart a large download).
import { Readable, pipeline } from 'node:stream';
import { type Descriptor, AbortedError, OciError } from '../oci';
import { HashingStream, type TransferOptions } from '../content';
import { errorForResponse, errorForTransport } from './registryErrors';
import type { RegistryClient, RegistryResponse } from './RegistryClient';
import { repositoryScope } from './scopes';
import { throughputGuard } from './throughputGuard';

export interface DownloadOptions extends TransferOptions {
  /** How many times a broken download is resumed (default 5). */
  maxResumes?: number;
}

/** The verified download: a stream that fails at its end unless exactly the descriptor's bytes arrived. */
export async function downloadBlob(
  client: RegistryClient,
  repository: string,
  descriptor: Descriptor,
  options: DownloadOptions = {},
): Promise<Readable> {
  const chunks = await downloadBlobChunks(client, repository, descriptor, options);
  const verifier = new HashingStream({
    expected: descriptor.digest,
    expectedSize: descriptor.size,
    what: blobWhat(client, repository, descriptor),
  });
  return pipeline(Readable.from(chunks, { objectMode: false }), verifier, () => undefined);
}

function blobWhat(client: RegistryClient, repository: string, descriptor: Descriptor): string {
  return `blob ${descriptor.digest} in ${client.host}/${repository}`;
}

/**
 * The blob's bytes as they arrive, resumed after a broken connection, NOT checked against the descriptor: the
 * consumer hashes them (so the hash can run where the bytes are written). Each chunk is the consumer's to keep.
 */
export async function downloadBlobChunks(
  client: RegistryClient,
  repository: string,
  descriptor: Descriptor,
  options: DownloadOptions = {},
): Promise<AsyncGenerator<Buffer>> {
  const what = blobWhat(client, repository, descriptor);
  const url = `/v2/${repository}/blobs/${descriptor.digest}`;
  const scopes = [repositoryScope(repository, ['pull'])];
  const { signal } = options;
  // A transfer: no overall deadline, but a minimum throughput (see limits.ts).
  const first = await client.expect({ method: 'GET', url, scopes, signal, transfer: true }, [200], what);
  const progress = throughputGuard(client.minThroughput, client.host, what);

  let res: RegistryResponse = first;
  // Set when the consumer gives up (a refused archive, a failed write): nothing more is read or asked for.
  let cancelled = false;

  async function* chunks(): AsyncGenerator<Buffer> {
    let received = 0;
    let resumes = 0;
    while (!cancelled) {
      // A 200 answer to a Range request starts from byte 0: skip what was already delivered.
      let skip = res.status === 200 ? received : 0;
      try {
        for await (const raw of res.body) {
          let chunk = raw as Buffer;
          if (skip > 0) {
            const dropped = Math.min(skip, chunk.length);
            skip -= dropped;
            chunk = chunk.subarray(dropped);
            if (chunk.length === 0) continue;
          }
          progress.received(chunk.length);
          received += chunk.length;
          options.onBytes?.(chunk.length);
          const handedOver = Date.now();
          yield chunk;
          progress.consumerHeld(Date.now() - handedOver);
        }
        return;
      } catch (err) {
        if (cancelled) return;
        if (signal?.aborted) throw new AbortedError({ cause: err });
        if (err instanceof OciError || resumes >= (options.maxResumes ?? 5) || received >= descriptor.size)
          throw errorForTransport(client.host, err, signal);
        resumes++;
      }
      res = await client.request({
        method: 'GET',
        url,
        scopes,
        signal,
        headers: { range: `bytes=${received}-` },
        transfer: true,
      });
      if (res.status === 206) {
        const start = /bytes\s+(\d+)-/.exec(String(res.headers['content-range'] ?? ''))?.[1];
        if (start !== undefined && Number(start) !== received) {
          await res.body.dump();
          throw new OciError('REGISTRY', `${client.host} resumed ${what} at byte ${start} instead of ${received}`);
        }
      } else if (res.status !== 200) {
        throw await errorForResponse(client.host, what, res.status, res.body, res.headers);
      }
    }
  }

  // A generator waiting for the next chunk takes its return() or throw() only once that chunk arrives: from a
  // registry that sends slowly or stalls, a consumer that refused the content at its first bytes would wait (and
  // keep the connection) until the idle timeout, a minute. The response is ended at once instead.
  const generator = chunks();
  const [giveUp, fail] = [generator.return.bind(generator), generator.throw.bind(generator)];
  generator.return = (value) => {
    cancelled = true;
    res.body.destroy();
    return giveUp(value);
  };
  generator.throw = (err) => {
    cancelled = true;
    res.body.destroy();
    return fail(err);
  };
  return generator;
}
