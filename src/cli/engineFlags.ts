// V8 flags for the command line, set before anything compiles WebAssembly (imported first by main.ts).
// undici parses HTTP with a WebAssembly llhttp; V8 compiles it twice — quickly, then optimised in the
// background — and the optimising pass alone lifted the peak RSS of every command from ~66 to ~102 MiB.
// The quick compile parses headers as fast as the optimised one for what a registry sends.
import { setFlagsFromString } from 'node:v8';

setFlagsFromString('--liftoff-only');
