// Side-by-side runs: A then B, again and again, so that both see the same noise; the first pair warms caches
// and is dropped. Each contestant sets up and cleans up around its measured process (untimed).
import type { Measured } from './measure';
import type { Floor, Row, Sample } from './stats';

export interface Contestant {
  label: string;
  run(pair: number): Promise<Measured>;
  /** As a floor: what its time means, when not "the fastest any client could be here". */
  meaning?: string;
}

export interface Plan {
  pairs: number;
  warmup: number;
}

function sample(m: Measured): Sample {
  return {
    seconds: m.seconds,
    rssMiB: m.rssMiB,
    cpuSeconds: m.cpuSeconds,
    firstOutputSeconds: m.firstOutputSeconds,
    serverCpuSeconds: m.serverCpuSeconds,
    tool: m.tool,
  };
}

/**
 * A against B, pair by pair (`name` may carry an id for targets.ts). `floor`, when given, runs in the same rounds after B: a client doing no work of its
 * own (curl moving the raw bytes), whose ratio to B shows how much of B's time the registry alone takes. Several
 * floors (plain `tar`, then `tar` and `sync`) each run in every round; the first is the row's `floor`.
 */
export async function runPairs(
  name: string | { case: string; id: string },
  plan: Plan,
  a: Contestant,
  b: Contestant,
  floorOrFloors?: Contestant | Contestant[],
): Promise<Row> {
  const floors = floorOrFloors === undefined ? [] : Array.isArray(floorOrFloors) ? floorOrFloors : [floorOrFloors];
  const row: Row = {
    ...(typeof name === 'string' ? { case: name } : name),
    a: { label: a.label, samples: [] },
    b: { label: b.label, samples: [] },
    ratios: [],
  };
  const floorRows: Floor[] = floors.map((f) => ({
    series: { label: f.label, samples: [] },
    ratios: [],
    aRatios: [],
    meaning: f.meaning,
  }));
  if (floorRows.length) row.floor = floorRows[0];
  if (floorRows.length > 1) row.moreFloors = floorRows.slice(1);
  for (let i = 0; i < plan.warmup + plan.pairs; i++) {
    const ma = await a.run(i);
    const mb = await b.run(i);
    const mfs: Measured[] = [];
    for (const floor of floors) mfs.push(await floor.run(i));
    log(
      `${row.case} #${i}${i < plan.warmup ? ' (warm-up)' : ''}: ${a.label} ${ma.seconds.toFixed(2)} s, ${b.label} ${mb.seconds.toFixed(2)} s${mfs.map((mf, f) => `, ${floors[f]!.label} ${mf.seconds.toFixed(2)} s`).join('')}`,
    );
    if (i < plan.warmup) continue;
    row.a.samples.push(sample(ma));
    row.b!.samples.push(sample(mb));
    row.ratios!.push(ma.seconds / mb.seconds);
    mfs.forEach((mf, f) => {
      const floor = floorRows[f]!;
      floor.series.samples.push(sample(mf));
      floor.ratios.push(mf.seconds / mb.seconds);
      floor.aRatios.push(ma.seconds / mf.seconds);
    });
  }
  return row;
}

/** One contestant alone (nothing to compare with): `runs` measured runs after the warm-up. */
export async function runAlone(name: string, plan: Plan, a: Contestant, note?: string): Promise<Row> {
  const row: Row = { case: name, a: { label: a.label, samples: [] }, note };
  for (let i = 0; i < plan.warmup + plan.pairs; i++) {
    const m = await a.run(i);
    log(`${name} #${i}${i < plan.warmup ? ' (warm-up)' : ''}: ${a.label} ${m.seconds.toFixed(2)} s`);
    if (i >= plan.warmup) row.a.samples.push(sample(m));
  }
  return row;
}

export function log(line: string): void {
  process.stderr.write(`[bench] ${line}\n`);
}
