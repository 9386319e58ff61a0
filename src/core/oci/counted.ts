// "1 tag", "3 tags": counts in messages read as English, not as "tag(s)".

/** `count` and `noun`, the noun in the plural unless the count is one. */
export function counted(count: number, noun: string, plural = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : plural}`;
}
