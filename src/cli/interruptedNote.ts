// What an interrupted command left behind, in its own words: "stowage pull: interrupted; nothing was written to
// dest". The run's message on Ctrl-C or SIGTERM is why it stopped; a command that knows what the stop left (all of
// it undone, or some of the user's files elsewhere) throws this so that it is said too.

export class InterruptedNote extends Error {
  constructor(
    /** Said after "interrupted; ". */
    readonly words: string,
    options: { cause: unknown },
  ) {
    super(words, options);
    this.name = 'InterruptedNote';
  }
}

/** "interrupted" (the stop's reason), with the command's note on what it left when it threw one. */
export function interruptedWords(reason: unknown, err: unknown): string {
  const why = reason instanceof Error ? reason.message : 'interrupted';
  return err instanceof InterruptedNote ? `${why}; ${err.words}` : why;
}
