// Medians and ranges of paired runs, and the table printed at the end.
export interface Sample {
  seconds: number;
  rssMiB: number;
  cpuSeconds?: number;
  firstOutputSeconds?: number;
  serverCpuSeconds?: number;
}

export interface Row {
  case: string;
  /** What is compared with what ("stowage", "skopeo", "stowage -c 1"…). */
  a: Series;
  b?: Series;
  /** Per-pair ratios a/b, pair by pair (the machine is noisy: only side-by-side ratios mean much). */
  ratios?: number[];
  /** A client doing no work of its own, in the same rounds: its time over B's, pair by pair. */
  floor?: { series: Series; ratios: number[] };
  note?: string;
}

export interface Series {
  label: string;
  samples: Sample[];
}

export function median(values: number[]): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((x, y) => x - y);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function seconds(s: number): string {
  return s < 1 ? `${Math.round(s * 1000)} ms` : `${s.toFixed(2)} s`;
}

function describe(series: Series): string {
  const times = series.samples.map((s) => s.seconds);
  const rss = Math.max(...series.samples.map((s) => s.rssMiB));
  const first = series.samples.map((s) => s.firstOutputSeconds).filter((v): v is number => v !== undefined);
  const firstText = first.length ? `, first output ${seconds(median(first))}` : '';
  const range = times.length > 1 ? ` (${seconds(Math.min(...times))}–${seconds(Math.max(...times))})` : '';
  const rssText = Number.isNaN(rss) ? '' : `, peak RSS ${Math.round(rss)} MiB`;
  const server = series.samples.map((s) => s.serverCpuSeconds).filter((v): v is number => v !== undefined);
  // Where the registry's CPU is recorded, the client's is shown beside it: together they tell whether CPU is the bound.
  const client = series.samples.map((s) => s.cpuSeconds).filter((v): v is number => v !== undefined);
  const serverText = server.length
    ? `, registry CPU ${seconds(median(server))}${client.length ? `, client CPU ${seconds(median(client))}` : ''}`
    : '';
  return `${series.label}: ${seconds(median(times))}${range}${firstText}${rssText}${serverText}`;
}

export function ratioText(ratios: number[] | undefined): string {
  if (!ratios?.length) return '';
  return `${median(ratios).toFixed(2)}× (pairs ${ratios.map((r) => r.toFixed(2)).join(' ')})`;
}

/** A Markdown table: one row per case. */
export function table(rows: Row[]): string {
  const lines = ['| case | A | B | A/B median (per pair) |', '|---|---|---|---|'];
  for (const row of rows) {
    const ratio = row.ratios ? ratioText(row.ratios) : (row.note ?? '');
    lines.push(
      `| ${row.case} | ${describe(row.a)} | ${row.b ? describe(row.b) : ''} | ${ratio}${row.ratios && row.note ? `; ${row.note}` : ''} |`,
    );
    if (row.floor)
      lines.push(
        `| ${row.case}: floor, same rounds | ${describe(row.floor.series)} | ${row.b?.label ?? ''} as above | ${ratioText(row.floor.ratios)}: the fastest any client could be here |`,
      );
  }
  return lines.join('\n');
}
