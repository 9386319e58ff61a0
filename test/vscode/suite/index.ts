// Extension-host test entry (VS Code's `extensionTestsPath`): runs every `*.test.js` beside this file with mocha 11
// inside the extension host (only those matching STOWAGE_SUITE_GREP when set) and records the outcome in the file named by STOWAGE_SUITE_RESULT_FILE.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import { SUITE_GREP_ENV, SUITE_RESULT_FILE_ENV, type SuiteResult } from './suiteResult';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: 'spec' });
  const testFiles = fs
    .readdirSync(__dirname)
    .filter((name) => name.endsWith('.test.js'))
    .sort();
  if (testFiles.length === 0) return Promise.reject(new Error(`no *.test.js files in ${__dirname}`));
  for (const name of testFiles) mocha.addFile(path.join(__dirname, name));
  const grep = process.env[SUITE_GREP_ENV];
  if (grep)
    mocha.grep(
      new RegExp(
        grep
          .split(',')
          .filter(Boolean)
          .map((text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
          .join('|'),
        'i',
      ),
    );

  const result: SuiteResult = { passed: [], failed: [], durationMs: 0 };
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      result.durationMs = Date.now() - started;
      writeResult(result);
      if (failures > 0) reject(new Error(`${failures} extension-host test(s) failed`));
      else resolve();
    });
    runner.on('pass', (test) => result.passed.push(test.fullTitle()));
    runner.on('fail', (test, error: Error) =>
      result.failed.push({ title: test.fullTitle(), error: error.stack ?? String(error) }),
    );
  });
}

function writeResult(result: SuiteResult): void {
  const file = process.env[SUITE_RESULT_FILE_ENV];
  if (file) fs.writeFileSync(file, JSON.stringify(result, null, 2));
}
