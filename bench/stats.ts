// Medians and ranges of paired runs, and the table printed at the end.
export interface Sample {
  seconds: number;
  rssMiB: number;
  cpuSeconds?: number;
  firstOutputSeconds?: number;
  serverCpuSeconds?: number;
  /** Which program ran ("stowage" for our CLI): the peak-RSS target looks at every Stowage process of a run. */
  tool?: string;
}

export interface Row {
  case: string;
  /** A stable name for the targets (targets.ts) to find the row by, whatever its printed case says. */
  id?: string;
  /** What is compared with what ("stowage", "skopeo", "stowage -c 1"…). */
  a: Series;
  b?: Series;
  /** Per-pair ratios a/b, pair by pair (the machine is noisy: only side-by-side ratios mean much). */
  ratios?: number[];
  /**
   * A client doing no work of its own, in the same rounds: its time over B's (`ratios`) and A's time over its
   * (`aRatios`), pair by pair.
   */
  floor?: Floor;
  /** Further floors in the same rounds (a floor doing what A does besides: `tar -xf` and then `sync`). */
  moreFloors?: Floor[];
  note?: string;
  /** Counts a case observed besides times (blob GETs the registry served…), for the targets. */
  observed?: Record<string, number>;
}

export interface Floor {
  series: Series;
  ratios: number[];
  aRatios: number[];
  /** What the floor's time means (default: the fastest any client could be here). */
  meaning?: string;
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

/** "1.23× (1.10–1.40; pairs 1.10 1.23 1.40)": the median of per-pair ratios, their range, and each pair's. */
export function ratioText(ratios: number[] | undefined): string {
  if (!ratios?.length) return '';
  const range = ratios.length > 1 ? `${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}; ` : '';
  return `${median(ratios).toFixed(2)}× (${range}pairs ${ratios.map((r) => r.toFixed(2)).join(' ')})`;
}

/** A Markdown table: one row per case. */
export function table(rows: Row[]): string {
  const lines = ['| case | A | B | A/B median (per pair) |', '|---|---|---|---|'];
  for (const row of rows) {
    const ratio = row.ratios ? ratioText(row.ratios) : (row.note ?? '');
    lines.push(
      `| ${row.case} | ${describe(row.a)} | ${row.b ? describe(row.b) : ''} | ${ratio}${row.ratios && row.note ? `; ${row.note}` : ''} |`,
    );
    for (const floor of [row.floor, ...(row.moreFloors ?? [])]) {
      if (!floor) continue;
      lines.push(
        `| ${row.case}: floor, same rounds | ${describe(floor.series)} | ${row.b?.label ?? ''} as above | ${ratioText(floor.ratios)}: ${floor.meaning ?? 'the fastest any client could be here'} |`,
      );
      lines.push(
        `| ${row.case}: ${row.a.label} / floor | ${row.a.label} as above | ${floor.series.label} as above | ${ratioText(floor.aRatios)}: 1.00× is the floor |`,
      );
    }
  }
  return lines.join('\n');
}
