// Imported first by extension.ts, so this line runs before the rest of the entry bundle: the start of the
// activation time the tests report.
export const ENTRY_LOADED_AT = performance.now();
