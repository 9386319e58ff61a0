// What a real registry (test/fixtures/registry) was asked, read from its access log: a test counts requests with it.
import type { TestRegistry } from '../fixtures/registry';

/** The requests a registry logged since `from` (its log's length then): "METHOD /v2/path?query". */
export function requestsSince(registry: TestRegistry, from: number): string[] {
  return registry
    .log()
    .slice(from)
    .split('\n')
    .filter((line) => line.includes('response completed'))
    .map(
      (line) => `${/http\.request\.method=(\w+)/.exec(line)?.[1]} ${/http\.request\.uri="?([^" ]+)/.exec(line)?.[1]}`,
    );
}

/** Waits for the registry to write its access line of the last request (it logs after answering). */
export async function settled(registry: TestRegistry): Promise<number> {
  let length = -1;
  while (length !== registry.log().length) {
    length = registry.log().length;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return length;
}
