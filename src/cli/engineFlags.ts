// V8 flags for the command line, set before anything compiles WebAssembly (imported first by main.ts).
// undici parses HTTP with a WebAssembly llhttp; V8 compiles it twice — quickly, then optimised in the
// background — and the optimising pass alone lifted the peak RSS of every command from ~66 to ~102 MiB.
// The quick compile parses headers as fast as the optimised one for what a registry sends.
import { setFlagsFromString } from 'node:v8';

setFlagsFromString('--liftoff-only');

// The heap's growth, for commands over thousands of tags (verify --all-tags, copy --all-tags -r, backup): their
// live results are small, but V8 grew the young generation from 1 to 32 MiB (16 MiB semi-spaces) and the old one
// to several times what survived, and peaked at 135–190 MiB. Keeping the young generation at its first size and
// the old one growing by a fifth over what is live brought them to 90–105 MiB with no loss of speed (a 1 GiB
// push or pull ran as fast). Only growth is tuned, not a limit: a large job still gets all the heap it needs.
// Sizes and limits (--max-semi-space-size, --max-old-space-size) are read when the heap is made, before any of
// this runs; these two are read each time the heap grows, so they take effect here.
setFlagsFromString('--semi-space-growth-factor=1');
setFlagsFromString('--heap-growing-percent=20');
