// A list the registry hands out a page at a time (catalog, tags). It fetches one page per request to grow, and
// never more: "Load more…" is how the user asks for the next one. With a filter, a request to grow keeps
// fetching pages until a page of matches fills or the list ends, so a filter finds names beyond the first
// page without loading the whole list first; it scans at most SCAN_PAGES pages per request, then Load more
// goes on from there.

/** Keeps only the names that match; `pastMatches` ends a sorted listing once no later name can match. */
export interface ListFilter {
  matches(name: string): boolean;
  pastMatches?(name: string): boolean;
}

/** Pages' worth of names one request to grow may scan for matches (a filter that matches little or nothing). */
export const SCAN_PAGES = 20;

export class PagedList {
  readonly items: string[] = [];
  /** Names fetched so far, matching or not. */
  scanned = 0;
  /**
   * The names came in lexical order so far (the catalog's promise), by bytes or with `/` first (CNCF
   * distribution's order): only then may `pastMatches` end the listing.
   */
  private inByteOrder = true;
  private inSlashFirstOrder = true;
  private lastName: string | undefined;
  private finished = false;
  private pending: Promise<void> | undefined;

  constructor(
    private readonly iterator: AsyncIterator<string[]>,
    private readonly pageSize: number,
    /** Ends the request in flight (an iterator's return() waits for its pending next()). */
    private readonly abort?: () => void,
    private readonly filter?: ListFilter,
  ) {}

  get done(): boolean {
    return this.finished;
  }

  /** A page is being fetched. */
  get loading(): boolean {
    return this.pending !== undefined;
  }

  /**
   * Fetches the next page. A page shorter than asked for usually is the last one; asking the iterator once more
   * then costs no request when the registry sent no next-page link, and tells for certain.
   */
  grow(): Promise<void> {
    this.pending ??= this.fetchPage().finally(() => (this.pending = undefined));
    return this.pending;
  }

  private async fetchPage(): Promise<void> {
    if (this.finished) return;
    let added = 0;
    let scanned = 0;
    let oversized = false;
    while (!this.finished && added < this.pageSize) {
      if (this.filter && scanned >= this.pageSize * SCAN_PAGES) break;
      const page = await this.iterator.next();
      if (page.done) {
        this.finished = true;
        break;
      }
      scanned += page.value.length;
      this.scanned += page.value.length;
      if (!this.filter) {
        this.items.push(...page.value);
        added += page.value.length;
        if (added === 0) continue;
        if (page.value.length >= this.pageSize) {
          oversized = page.value.length > this.pageSize;
          break;
        }
        continue;
      }
      for (const name of page.value) {
        if (this.lastName !== undefined) {
          if (name < this.lastName) this.inByteOrder = false;
          if (name.replaceAll('/', '\u0000') < this.lastName.replaceAll('/', '\u0000')) this.inSlashFirstOrder = false;
        }
        this.lastName = name;
        if ((this.inByteOrder || this.inSlashFirstOrder) && this.filter.pastMatches?.(name)) {
          // A sorted listing has passed every name that can match: nothing later is worth fetching.
          this.finished = true;
          void this.iterator.return?.()?.catch(() => undefined);
          break;
        }
        if (this.filter.matches(name)) {
          this.items.push(name);
          added++;
        }
      }
    }
    if (oversized && !this.finished) await this.endOfOversizedPage();
  }

  /**
   * A registry that sent more than asked ignores `n` (CNCF distribution does for tags) and most likely sent all it
   * has: ask the iterator once more, which costs no request without a next-page link, so that no "Load more…"
   * stays that would load nothing. Should it page at its own size after all, that next page shows now.
   */
  private async endOfOversizedPage(): Promise<void> {
    const page = await this.iterator.next();
    if (page.done) this.finished = true;
    else this.items.push(...page.value);
  }

  /** Lets the underlying request go (when the node is refreshed or the view disposed). */
  close(): void {
    this.finished = true;
    this.abort?.();
    void this.iterator.return?.()?.catch(() => undefined);
  }
}
