// Reads the auth files other tools keep: docker's config.json (`auths`, `credHelpers`, `credsStore`) and
// podman's auth.json (same `auths` shape). Missing or unreadable files mean "nothing here".
import * as fs from 'node:fs/promises';
import { isDockerHub } from './registryConfig';

export interface AuthFileEntry {
  auth?: string;
  identitytoken?: string;
  username?: string;
  password?: string;
}

export interface AuthFile {
  auths?: Record<string, AuthFileEntry>;
  credHelpers?: Record<string, string>;
  credsStore?: string;
}

export async function readAuthFile(file: string): Promise<AuthFile | undefined> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed && typeof parsed === 'object' ? (parsed as AuthFile) : undefined;
  } catch {
    // A broken file must not take the whole chain down, and its content must not be echoed (it holds secrets).
    return undefined;
  }
}

/** The keys a host may be stored under: "host", "https://host", "http://host", "https://host/v1/"; Docker Hub's legacy key. */
export function authKeysFor(host: string): string[] {
  if (isDockerHub(host))
    return [
      'https://index.docker.io/v1/',
      'docker.io',
      'index.docker.io',
      'registry-1.docker.io',
      'https://index.docker.io/v1',
    ];
  return [host, `https://${host}`, `http://${host}`, `https://${host}/v1/`, `https://${host}/v2/`];
}

/** The entry of `table` for `host`, matching keys with or without a scheme and path. */
export function lookupHost<T>(table: Record<string, T> | undefined, host: string): T | undefined {
  if (!table) return undefined;
  for (const key of authKeysFor(host)) if (table[key] !== undefined) return table[key];
  const wanted = host.toLowerCase();
  for (const [key, value] of Object.entries(table)) {
    const bare = key
      .replace(/^https?:\/\//i, '')
      .replace(/\/.*$/, '')
      .toLowerCase();
    if (bare === wanted || (isDockerHub(host) && isDockerHub(bare))) return value;
  }
  return undefined;
}
