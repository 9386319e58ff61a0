// Keeps the last lines of a long log in memory, to show them when the command behind it fails.
export class LogTail {
  private lines: string[] = [];
  private partial = '';

  constructor(private readonly limit: number) {}

  add(chunk: string): void {
    const parts = (this.partial + chunk).split('\n');
    this.partial = parts.pop() ?? '';
    this.lines.push(...parts);
    if (this.lines.length > this.limit) this.lines.splice(0, this.lines.length - this.limit);
  }

  text(): string {
    const all = this.partial ? [...this.lines, this.partial] : this.lines;
    return all
      .slice(-this.limit)
      .map((line) => `  ${line}`)
      .join('\n');
  }
}
