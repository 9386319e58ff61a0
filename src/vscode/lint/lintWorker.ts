// The lint thread's script (dist/lintWorker.js, beside the extension's bundles; core/lint's LintThread starts
// it): large documents are checked here, off the extension host that every extension shares.
import { parentPort } from 'node:worker_threads';
import { serveEditorLint } from '../../core/lint';
import { lintSbom } from '../../core/supplyChain';

serveEditorLint(parentPort!, lintSbom);
