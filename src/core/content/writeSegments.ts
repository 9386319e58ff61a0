// What goes to the kernel in one write: at most 512 KiB. Measured here (Linux 6.18, ext4, a VM), 1 GiB copied into
// a new file 1 MiB per write took 4.3–7.1 s (2.7–4.9 s of it system time), the same copy with two writes of 512 KiB
// per MiB 1.4–1.7 s (0.9 s) in most runs; two 512 KiB pieces in one writev were as slow as one 1 MiB piece, now and
// then. The page cache sizes the memory it takes by the length of each write, and the larger blocks a 1 MiB write
// asks for were slow to come by. `tar` writes 10 KiB at a time and `curl` 16 KiB and never meet it; a layout blob,
// an archive and a pulled file did, in every copy through 1 MiB buffers.
// Bundled into the hashing worker as well: nothing but plain code here.

export const WRITE_SEGMENT = 512 * 1024;

/**
 * `buffers` as groups of at most WRITE_SEGMENT bytes each, in order, one write (or writev) per group: small buffers
 * go together, a long one is cut into views.
 */
export function writeGroups(buffers: readonly Uint8Array[]): Uint8Array[][] {
  const groups: Uint8Array[][] = [];
  let group: Uint8Array[] = [];
  let bytes = 0;
  for (const buffer of buffers) {
    for (let at = 0; at < buffer.length;) {
      const take = Math.min(buffer.length - at, WRITE_SEGMENT - bytes);
      group.push(take === buffer.length ? buffer : buffer.subarray(at, at + take));
      bytes += take;
      at += take;
      if (bytes === WRITE_SEGMENT) {
        groups.push(group);
        group = [];
        bytes = 0;
      }
    }
  }
  if (group.length) groups.push(group);
  return groups;
}
