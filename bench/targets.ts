// The targets of the performance issue (#16) and of layout archives and backup (#17), judged from the rows of one
// run: each one met, not met, or not measured (its case was left out with --only). Printed under the table and
// saved with the samples.
import { median, type Floor, type Row, type Series } from './stats';

export interface Verdict {
  target: string;
  /** undefined: the run did not measure it. */
  met: boolean | undefined;
  figures: string;
}

const PULL_OVER_FLOOR = 1.4;
const COPY_OVER_SKOPEO = 0.6;
const LISTING_OVER_SKOPEO = 3;
const PEAK_RSS_MIB = 120;
const ARCHIVE_OVER_TAR = 1.2;

export function judgeTargets(rows: Row[]): Verdict[] {
  const byId = (id: string) => rows.find((r) => r.id === id);
  return [
    pullTarget(byId('pull')),
    ratioTarget(`copy registry → layout ≤ ${COPY_OVER_SKOPEO}× skopeo, both shapes`, COPY_OVER_SKOPEO, [
      byId('copy-to-layout-layers'),
      byId('copy-to-layout-one'),
    ]),
    listingTarget(byId('list-1000-tags')),
    rssTarget(rows),
    manyTagsTarget(rows.filter((r) => r.id?.startsWith('manytags-'))),
    archiveTarget('write', byId('archive-write')),
    archiveTarget('read', byId('archive-read')),
    fetchedOnceTarget(byId('backup-50-tags')),
  ];
}

/** Stowage's archive write or read over plain tar's (the issue's floor), with the ratio over tar-and-sync beside it. */
function archiveTarget(what: 'write' | 'read', row: Row | undefined): Verdict {
  const target = `archive ${what} ≤ ${ARCHIVE_OVER_TAR}× tar (median of pairs)`;
  if (!row?.floor?.aRatios.length) return { target, met: undefined, figures: 'not measured in this run' };
  const ratio = median(row.floor.aRatios);
  const [synced, hashed] = row.moreFloors ?? [];
  const syncedText = synced?.aRatios.length
    ? `; ${median(synced.aRatios).toFixed(2)}× "${synced.series.label}" (${range(synced.aRatios)})`
    : '';
  // The digest check alone over tar alone: at or past the target, no verifying writer or reader can meet it.
  const hashedText = hashed?.series.samples.length
    ? `; the SHA-256 of the bytes alone takes ${overFloor(hashed, row.floor)}× tar's time`
    : '';
  return {
    target,
    met: ratio <= ARCHIVE_OVER_TAR,
    figures: `${ratio.toFixed(2)}× ${row.floor.series.label} (${range(row.floor.aRatios)})${syncedText}${hashedText} (${row.case})`,
  };
}

/** The whole `stowage tags` over skopeo's, with Node's own start over skopeo's beside it (the start alone may miss). */
function listingTarget(row: Row | undefined): Verdict {
  const verdict = ratioTarget(`list 1,000 tags (whole command) ≤ ${LISTING_OVER_SKOPEO}× skopeo`, LISTING_OVER_SKOPEO, [
    row,
  ]);
  if (verdict.met === undefined || !row?.floor?.ratios.length) return verdict;
  const start = median(row.floor.ratios);
  const verdictOfStart = start > LISTING_OVER_SKOPEO ? ': over the target before any work' : '';
  return {
    ...verdict,
    figures: `${verdict.figures}; Node starting and doing nothing (node -e 0) alone ${start.toFixed(2)}× skopeo (${range(row.floor.ratios)})${verdictOfStart}`,
  };
}

/** Median time of one floor over another's, from the same rounds. */
function overFloor(floor: Floor, base: Floor): string {
  const times = (f: Floor) => f.series.samples.map((s) => s.seconds);
  return (median(times(floor)) / median(times(base))).toFixed(2);
}

/** The backup of many tags sharing layers: no blob fetched more than once, as many GETs as distinct blobs. */
function fetchedOnceTarget(row: Row | undefined): Verdict {
  const target = 'backup of 50 tags sharing layers: each shared blob fetched once';
  const observed = row?.observed;
  if (!observed) return { target, met: undefined, figures: 'not measured in this run' };
  const { blobGets = NaN, distinctBlobs = NaN, mostGetsOfOneBlob = NaN } = observed;
  return {
    target,
    met: mostGetsOfOneBlob === 1 && blobGets === distinctBlobs,
    figures: `${blobGets} blob GETs for ${distinctBlobs} distinct blobs, at most ${mostGetsOfOneBlob} of any one; ${median(row!.a.samples.map((s) => s.seconds)).toFixed(2)} s (${row!.case})`,
  };
}

/** Stowage's pull over curl's GET of the same bytes, median of pairs, and its spread against curl's. */
function pullTarget(row: Row | undefined): Verdict {
  const target = `pull ≤ ${PULL_OVER_FLOOR}× curl (median of pairs), spread no wider than curl's`;
  if (!row?.floor?.aRatios.length) return { target, met: undefined, figures: 'not measured in this run' };
  const ratio = median(row.floor.aRatios);
  const ours = spread(row.a);
  const curl = spread(row.floor.series);
  const met = ratio <= PULL_OVER_FLOOR && ours <= curl;
  // Node's HTTP client reading the same bytes (thrown away, then hashed) over curl: the part of the ratio that is
  // reading and hashing before any write.
  const parts = (row.moreFloors ?? [])
    .filter((f) => f.series.samples.length)
    .map((f) => `"${f.series.label}" ${overFloor(f, row.floor!)}×`);
  const partsText = parts.length ? `; over curl's time: ${parts.join(', ')}` : '';
  return {
    target,
    met,
    figures: `${ratio.toFixed(2)}× curl (${range(row.floor.aRatios)}); spread ${ours.toFixed(2)} s against curl's ${curl.toFixed(2)} s${partsText} (${row.case})`,
  };
}

/** Every listed row's median of per-pair A/B ratios at or under `limit`. */
function ratioTarget(target: string, limit: number, rows: (Row | undefined)[]): Verdict {
  const measured = rows.filter((r): r is Row => !!r?.ratios?.length);
  if (measured.length < rows.length) return { target, met: undefined, figures: 'not measured in this run' };
  const parts = measured.map((r) => `${r.case}: ${median(r.ratios!).toFixed(2)}× (${range(r.ratios!)})`);
  return { target, met: measured.every((r) => median(r.ratios!) <= limit), figures: parts.join('; ') };
}

/** The highest peak RSS of any Stowage process in the run. */
function rssTarget(rows: Row[]): Verdict {
  const target = `peak RSS ≤ ${PEAK_RSS_MIB} MiB, any size`;
  let peak = 0;
  let where = '';
  for (const row of rows)
    for (const series of [row.a, row.b])
      for (const sample of series?.samples ?? [])
        if (sample.tool === 'stowage' && sample.rssMiB > peak) {
          peak = sample.rssMiB;
          where = `${row.case}, ${series!.label}`;
        }
  if (!peak) return { target, met: undefined, figures: 'not measured in this run' };
  return { target, met: peak <= PEAK_RSS_MIB, figures: `highest ${Math.round(peak)} MiB (${where})` };
}

/** Every command of the many-tag case at or under the bar: the highest, and the command it was. */
function manyTagsTarget(rows: Row[]): Verdict {
  const target = `peak RSS ≤ ${PEAK_RSS_MIB} MiB over many tags (tags, verify --all-tags, copy, backup, restore)`;
  if (!rows.length) return { target, met: undefined, figures: 'not measured in this run' };
  const peaks = rows.map((row) => ({ row, rss: Math.max(...row.a.samples.map((s) => s.rssMiB)) }));
  const highest = peaks.reduce((a, b) => (b.rss > a.rss ? b : a));
  const over = peaks.filter((p) => p.rss > PEAK_RSS_MIB).map((p) => p.row.case);
  return {
    target,
    met: !over.length,
    figures: `highest ${Math.round(highest.rss)} MiB (${highest.row.case})${over.length ? `; over: ${over.join('; ')}` : ''}`,
  };
}

function spread(series: Series): number {
  const times = series.samples.map((s) => s.seconds);
  return times.length ? Math.max(...times) - Math.min(...times) : NaN;
}

function range(values: number[]): string {
  return `${Math.min(...values).toFixed(2)}–${Math.max(...values).toFixed(2)}`;
}

/** Markdown bullets, one per target. */
export function verdictText(verdicts: Verdict[]): string {
  const word = (met: boolean | undefined) => (met === undefined ? 'not measured' : met ? 'met' : 'not met');
  return verdicts.map((v) => `- **${v.target} — ${word(v.met)}**: ${v.figures}`).join('\n');
}
