// Reliability figures: tests record what they tried and what held, one JSON file per area under
// test-results/reliability/, and scripts/reliability-table.js turns them into the README table.
import * as fs from 'node:fs';
import * as path from 'node:path';

export const FIGURES_DIR = path.resolve(__dirname, '../../../test-results/reliability');

export interface Figure {
  /** What was tried: "attacks", "faults", "races", "fuzz cases". */
  tried: number;
  /** How many held: refused, survived, no ref lost, no crash. */
  held: number;
  /** Words for the table: what the numbers count. */
  detail: string;
}

/** Merges `figures` into test-results/reliability/<area>.json (rows replaced by key). */
export function recordFigures(area: string, figures: Record<string, Figure>): void {
  fs.mkdirSync(FIGURES_DIR, { recursive: true });
  const file = path.join(FIGURES_DIR, `${area}.json`);
  let existing: Record<string, Figure> = {};
  try {
    existing = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, Figure>;
  } catch {
    // first figures of this area
  }
  fs.writeFileSync(file, `${JSON.stringify({ ...existing, ...figures }, null, 2)}\n`);
}
