// Registry credentials live only in SecretStorage, under keys built by `secretKey`. Other windows may log in or
// out too, so changes are observed through `secrets.onDidChange` rather than assumed.
import * as vscode from 'vscode';
import type { CredentialProvider, Credentials } from '../core/registry';
import { Disposable } from './lifecycle';

const PREFIX = 'stowage.registry-credentials:';

export function secretKey(host: string): string {
  return `${PREFIX}${host.toLowerCase()}`;
}

function hostOfKey(key: string): string | undefined {
  return key.startsWith(PREFIX) ? key.slice(PREFIX.length) : undefined;
}

export class SecretCredentials extends Disposable implements CredentialProvider {
  private readonly changed = this.register(new vscode.EventEmitter<string>());
  /** Fires with the registry host whose stored credentials changed (here or in another window). */
  readonly onDidChange = this.changed.event;

  constructor(private readonly secrets: vscode.SecretStorage) {
    super();
    this.register(
      secrets.onDidChange((event) => {
        const host = hostOfKey(event.key);
        if (host) this.changed.fire(host);
      }),
    );
  }

  async get(host: string): Promise<Credentials | undefined> {
    const stored = await this.secrets.get(secretKey(host));
    if (!stored) return undefined;
    try {
      const parsed = JSON.parse(stored) as Credentials;
      return { username: parsed.username, password: parsed.password, identityToken: parsed.identityToken };
    } catch {
      return undefined;
    }
  }

  async has(host: string): Promise<boolean> {
    return (await this.get(host)) !== undefined;
  }

  async store(host: string, credentials: Credentials): Promise<void> {
    await this.secrets.store(secretKey(host), JSON.stringify(credentials));
  }

  async delete(host: string): Promise<void> {
    await this.secrets.delete(secretKey(host));
  }
}
