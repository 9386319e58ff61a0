// Counts what passed and failed across the phases of a run and prints the summary line.
export interface Outcome {
  name: string;
  passed: boolean;
  error?: string;
}

export class Scoreboard {
  readonly outcomes: Outcome[] = [];

  pass(name: string, durationMs?: number): void {
    this.outcomes.push({ name, passed: true });
    console.log(`  ✓ ${name}${formatDuration(durationMs)}`);
  }

  fail(name: string, error: unknown, durationMs?: number): void {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    this.outcomes.push({ name, passed: false, error: message });
    console.log(`  ✗ ${name}${formatDuration(durationMs)}\n      ${message.split('\n').join('\n      ')}`);
  }

  /** Runs one check; a throw is a failure. Returns whether it passed. */
  async check(name: string, body: () => Promise<void>): Promise<boolean> {
    const started = Date.now();
    try {
      await body();
      this.pass(name, Date.now() - started);
      return true;
    } catch (error) {
      this.fail(name, error, Date.now() - started);
      return false;
    }
  }

  get passedCount(): number {
    return this.outcomes.filter((o) => o.passed).length;
  }

  get failedCount(): number {
    return this.outcomes.filter((o) => !o.passed).length;
  }

  summary(label: string): string {
    return `${label}: ${this.passedCount} passed, ${this.failedCount} failed`;
  }
}

function formatDuration(ms: number | undefined): string {
  return ms === undefined ? '' : ` (${(ms / 1000).toFixed(1)} s)`;
}
