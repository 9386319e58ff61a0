// Side-by-side runs: A then B, again and again, so that both see the same noise; the first pair warms caches
// and is dropped. Each contestant sets up and cleans up around its measured process (untimed).
import type { Measured } from './measure';
import type { Row, Sample } from './stats';

export interface Contestant {
  label: string;
  run(pair: number): Promise<Measured>;
}

export interface Plan {
  pairs: number;
  warmup: number;
}

function sample(m: Measured): Sample {
  return { seconds: m.seconds, rssMiB: m.rssMiB, firstOutputSeconds: m.firstOutputSeconds, serverCpuSeconds: m.serverCpuSeconds };
}

export async function runPairs(name: string, plan: Plan, a: Contestant, b: Contestant): Promise<Row> {
  const row: Row = { case: name, a: { label: a.label, samples: [] }, b: { label: b.label, samples: [] }, ratios: [] };
  for (let i = 0; i < plan.warmup + plan.pairs; i++) {
    const ma = await a.run(i);
    const mb = await b.run(i);
    log(`${name} #${i}${i < plan.warmup ? ' (warm-up)' : ''}: ${a.label} ${ma.seconds.toFixed(2)} s, ${b.label} ${mb.seconds.toFixed(2)} s`);
    if (i < plan.warmup) continue;
    row.a.samples.push(sample(ma));
    row.b!.samples.push(sample(mb));
    row.ratios!.push(ma.seconds / mb.seconds);
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
