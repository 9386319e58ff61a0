// The `stowage` executable (dist/cli.js): sets the engine's flags, then runs the CLI's bundle (dist/cliMain.js)
// through the code cache beside it (codeCache.ts). Kept tiny: everything it loads is compiled on every start.
import './engineFlags';
import * as path from 'node:path';
import { runWithCodeCache } from './codeCache';

runWithCodeCache(path.join(__dirname, 'cliMain.js'));
