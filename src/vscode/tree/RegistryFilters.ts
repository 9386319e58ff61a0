// The Registries view's filters, per registry: one on its repositories and one per repository on its tags. Kept
// in the extension's global state (a memento, not settings: a filter is a view state, and registries are user
// settings, so it follows them across windows). Free of the editor API (unit-tested in Node).

export interface RegistryFilterState {
  /** Filter on the registry's repositories. */
  repositories?: string;
  /** Filters on tags, by repository. */
  tags?: Record<string, string>;
}

/** The part of vscode.Memento this needs. */
export interface FilterMemento {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): Thenable<void>;
}

export const FILTERS_KEY = 'stowage.registries.filters';

/** Where a filter applies: a registry's repositories, or one repository's tags. */
export type FilterScope = { host: string; repository?: string };

export class RegistryFilters {
  private readonly listeners = new Set<(scope: FilterScope | undefined) => void>();

  constructor(private readonly memento: FilterMemento) {}

  private all(): Record<string, RegistryFilterState> {
    const stored = this.memento.get<unknown>(FILTERS_KEY);
    return stored && typeof stored === 'object' ? (stored as Record<string, RegistryFilterState>) : {};
  }

  get(scope: FilterScope): string | undefined {
    const state = this.all()[scope.host];
    const value = scope.repository === undefined ? state?.repositories : state?.tags?.[scope.repository];
    return typeof value === 'string' && value.trim() ? value : undefined;
  }

  /** Sets (or with an empty pattern, clears) the filter of `scope`. */
  async set(scope: FilterScope, pattern: string | undefined): Promise<void> {
    const all = structuredClone(this.all());
    const state: RegistryFilterState = all[scope.host] ?? {};
    const value = pattern?.trim() || undefined;
    if (scope.repository === undefined) state.repositories = value;
    else {
      const tags = { ...state.tags };
      if (value) tags[scope.repository] = value;
      else delete tags[scope.repository];
      state.tags = Object.keys(tags).length ? tags : undefined;
    }
    if (state.repositories || state.tags) all[scope.host] = state;
    else delete all[scope.host];
    await this.memento.update(FILTERS_KEY, all);
    this.fire(scope);
  }

  /** Clears every filter. */
  async clear(): Promise<void> {
    await this.memento.update(FILTERS_KEY, {});
    this.fire(undefined);
  }

  get active(): boolean {
    return this.describe(() => true) !== undefined;
  }

  /**
   * The view's description while filters apply to registries it shows: "Filter: ghcr.io “app*” · ghcr.io/team/app
   * tags “v1.*”"; undefined when none does.
   */
  describe(shown: (host: string) => boolean): string | undefined {
    const parts: string[] = [];
    for (const [host, state] of Object.entries(this.all())) {
      if (!shown(host)) continue;
      if (state.repositories) parts.push(`${host} “${state.repositories}”`);
      for (const [repository, pattern] of Object.entries(state.tags ?? {}))
        parts.push(`${host}/${repository} tags “${pattern}”`);
    }
    return parts.length ? `Filter: ${parts.join(' · ')}` : undefined;
  }

  onDidChange(listener: (scope: FilterScope | undefined) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private fire(scope: FilterScope | undefined): void {
    for (const listener of this.listeners) listener(scope);
  }
}
