#!/usr/bin/env node
// Prints the README "Reliability" table from the figures the tests wrote to test-results/reliability/*.json
// (run the unit and integration suites, and `npm run fuzz` for the long fuzz run, first).
const fs = require('node:fs');
const path = require('node:path');

const dir = path.join(__dirname, '..', 'test-results', 'reliability');
const AREAS = [
  ['hostile', 'Hostile content', 'attacks tried / refused'],
  ['faults', 'Faults', 'faults injected / survived'],
  ['concurrency', 'Concurrency', 'races run / without a lost ref'],
  ['secrets', 'Secrets', 'outputs grepped / clean'],
  ['fuzz-short', 'Fuzzing (npm test)', 'cases / without a crash'],
  ['fuzz-full', 'Fuzzing (npm run fuzz)', 'cases / without a crash'],
  ['scale', 'Scale', 'nodes / drawn'],
];

const rows = ['| Area | Check | Figures | What |', '| --- | --- | --- | --- |'];
for (const [file, area, unit] of AREAS) {
  let figures;
  try {
    figures = JSON.parse(fs.readFileSync(path.join(dir, `${file}.json`), 'utf8'));
  } catch {
    continue;
  }
  for (const [name, f] of Object.entries(figures))
    rows.push(
      `| ${area} | ${name} | ${f.tried.toLocaleString('en')} / ${f.held.toLocaleString('en')} ${unit} | ${f.detail} |`,
    );
}
console.log(rows.join('\n'));
