// The result file the extension-host suite writes, so that a runner outside VS Code can tell exactly which tests
// passed and failed (the exit code alone says only "something failed").
export const SUITE_RESULT_FILE_ENV = 'STOWAGE_SUITE_RESULT_FILE';
/** When set, only tests whose full title contains one of these comma-separated texts run (`--grep=` of the runner). */
export const SUITE_GREP_ENV = 'STOWAGE_SUITE_GREP';

export interface SuiteResult {
  passed: string[];
  failed: { title: string; error: string }[];
  durationMs: number;
}
