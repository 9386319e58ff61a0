// What goes to the kernel in one write: at most 256 KiB. Measured here (Linux 6.18, ext4, a VM), 1 GiB copied into
// a new file through 1 MiB buffers, four rounds each: one write per MiB 5.2–7.0 s (2.9–3.6 s of it system time, in
// copying into the page cache), 512 KiB writes 1.4–4.6 s, 256 KiB writes 1.4–1.6 s (0.6–1.1 s), 64 KiB writes
// 2.1–4.9 s (four times the calls). Two 512 KiB pieces in one writev were as slow as one 1 MiB write now and then,
// so it is the length of one call that counts (the kernel sizes page-cache memory by it, we take it, and the larger
// blocks were slow to come by).
// `tar` writes 10 KiB at a time and `curl` 4–16 KiB and never meet it; a layout blob, an archive and a pulled file
// did, in every copy through 1 MiB buffers.
// Bundled into the hashing worker as well: nothing but plain code here.

export const WRITE_SEGMENT = 256 * 1024;

/**
 * `written`, what one write of `offered` bytes took. A write that took none of them is an error (EIO): writing the
 * rest again would loop for ever (a failing network or FUSE file system may answer 0 rather than fail).
 */
export function tookSome(written: number, offered: number): number {
  if (written > 0 || offered === 0) return written;
  throw Object.assign(new Error(`the file system took none of ${offered} bytes written (EIO)`), { code: 'EIO' });
}

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

/** One write the caller makes: `views` (one buffer or several for a writev) at `position` of the file. */
export interface WriteStep {
  views: Uint8Array[];
  position: number;
}

/**
 * The writes that put `buffers` whole at `position`, for a sync or an async caller alike: a writev per group (see
 * writeGroups), and after a short one the rest of each buffer it cut, alone, until it is all taken. The caller
 * makes each write and hands back through `next()` how many bytes it took.
 */
export function* writeSteps(buffers: readonly Uint8Array[], position: number): Generator<WriteStep, void, number> {
  for (const group of writeGroups(buffers)) {
    let written = yield { views: group, position };
    for (const buffer of group) {
      if (written >= buffer.length) {
        written -= buffer.length;
        position += buffer.length;
        continue;
      }
      for (let at = written; at < buffer.length;) {
        const rest = buffer.subarray(at);
        at += tookSome(yield { views: [rest], position: position + at }, rest.length);
      }
      position += buffer.length;
      written = 0;
    }
  }
}
