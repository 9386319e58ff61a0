// What a fuzz target is: a named property checked on one generated input per case. `check` throws
// PropertyViolation when the code under test broke its contract; any other escape is a crash.
import type { Prng } from './prng';

export interface FuzzTarget<Context = unknown> {
  name: string;
  /** Once per run: temp folders, seed inputs. */
  setup?(): Promise<Context> | Context;
  /** One case: generate an input from `rng`, run the code, check the contract; `slot` < `parallel` tells concurrent cases apart. */
  check(rng: Prng, context: Context, slot: number): Promise<void> | void;
  /** Cases run this many at a time (each in its own slot): for targets that wait on the disk. Default 1. */
  parallel?: number;
  teardown?(context: Context): Promise<void> | void;
}

export class PropertyViolation extends Error {
  constructor(
    message: string,
    readonly input: unknown,
  ) {
    super(message);
    this.name = 'PropertyViolation';
  }
}

/** Shows an input in a failure report: JSON-escaped, cut to a readable length. */
export function showInput(input: unknown): string {
  const text = Buffer.isBuffer(input)
    ? `<${input.length} bytes> ${input.subarray(0, 64).toString('hex')}`
    : JSON.stringify(input);
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}
