// A list the registry hands out a page at a time (catalog, tags). It fetches one page per request to grow, and
// never more: "Load more…" is how the user asks for the next one.
export class PagedList {
  readonly items: string[] = [];
  private finished = false;
  private pending: Promise<void> | undefined;

  constructor(
    private readonly iterator: AsyncIterator<string[]>,
    private readonly pageSize: number,
    /** Ends the request in flight (an iterator's return() waits for its pending next()). */
    private readonly abort?: () => void,
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
    while (!this.finished && added < this.pageSize) {
      const page = await this.iterator.next();
      if (page.done) {
        this.finished = true;
        break;
      }
      this.items.push(...page.value);
      added += page.value.length;
      if (added === 0) continue;
      if (page.value.length >= this.pageSize) break;
    }
  }

  /** Lets the underlying request go (when the node is refreshed or the view disposed). */
  close(): void {
    this.finished = true;
    this.abort?.();
    void this.iterator.return?.()?.catch(() => undefined);
  }
}
