// Where the test runtime (Node 24 + code-server) and demo data live: outside the clone, so fresh clones and later
// runs reuse them.
import * as os from 'node:os';
import * as path from 'node:path';

export function userCacheRoot(): string {
  const xdg = process.env.XDG_CACHE_HOME;
  return xdg && path.isAbsolute(xdg) ? xdg : path.join(os.homedir(), '.cache');
}

export function stowageTestCache(): string {
  return path.join(userCacheRoot(), 'stowage-test');
}

export function stowageDemoCache(): string {
  return path.join(userCacheRoot(), 'stowage-demo');
}
