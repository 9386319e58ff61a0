import type { Command } from '../command';
import { HELP_OPTION } from '../commonOptions';
import { STOWAGE_VERSION } from '../../core/oci';

// `stowage version`, as `oras version` prints it (scripts that want the number alone use --version). A command of
// the table, so that `stowage --help` lists it, completion offers it and `version --help` explains it.
export const versionCommand: Command = {
  name: 'version',
  summary: 'print the version of Stowage, and the Node.js and OS/architecture it runs on (--version: the number alone)',
  examples: [{ does: 'print the versions of Stowage, Node.js and the OS', run: 'stowage version' }],
  usage: 'stowage version   (stowage --version prints the number alone)',
  options: [HELP_OPTION],
  arity: [0, 0],
  run({ io }) {
    io.out.write(
      `Version:        ${STOWAGE_VERSION}\nNode.js:        ${process.version}\nOS/Arch:        ${process.platform}/${process.arch}\n`,
    );
    return Promise.resolve(0);
  },
};
