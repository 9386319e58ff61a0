import { createSigningKey, type SigningKeyAlgorithm } from '../../core/sign';
import { saveSigningKey } from '../../core/supplyChain';
import { UsageError } from '../args';
import { print, type Command } from '../command';
import { shellWord } from '../hintFlags';
import { HELP_OPTION } from '../commonOptions';

const ALGORITHMS: SigningKeyAlgorithm[] = ['ecdsa-p256', 'ecdsa-p384', 'rsa-pss-2048', 'rsa-pss-3072'];

export const keyCommand: Command = {
  name: 'key',
  subcommands: ['create'],
  summary: 'create a signing key and a self-signed code-signing certificate (for sign and verify)',
  examples: [
    {
      does: 'create keys/signing.key.pem and keys/signing.crt.pem',
      run: 'stowage key create --out ./keys --subject CN=ci.example.com',
    },
  ],
  usage:
    'stowage key create --out DIR [--algorithm ecdsa-p256|ecdsa-p384|rsa-pss-2048|rsa-pss-3072] [--subject CN=…] [--days N] [--name NAME]',
  options: [
    {
      name: 'out',
      type: 'string',
      valueName: 'dir',
      description: 'folder for NAME.key.pem (mode 0600) and NAME.crt.pem',
    },
    {
      name: 'algorithm',
      type: 'string',
      choices: ALGORITHMS,
      description: `one of ${ALGORITHMS.join(', ')} (default ecdsa-p256)`,
    },
    {
      name: 'subject',
      type: 'string',
      description: 'certificate subject, e.g. CN=example.com,O=Example (default CN=Stowage signer)',
    },
    { name: 'days', type: 'number', description: 'validity in days (default 365)' },
    { name: 'name', type: 'string', description: 'file name stem (default signing)' },
    HELP_OPTION,
  ],
  arity: [1, 1],
  async run({ io, args }) {
    if (args.positionals[0] !== 'create')
      throw new UsageError(`unknown key action "${args.positionals[0]}" (only: create)`);
    const out = args.options['out'] as string | undefined;
    if (!out) throw new UsageError('key create needs --out DIR');
    const algorithm = (args.options['algorithm'] as string | undefined) ?? 'ecdsa-p256';
    const days = (args.options['days'] as number | undefined) ?? 365;
    // Named by its flag, as a usage error: the engine's refusal names its own option (validDays) and exits 1.
    if (!Number.isInteger(days) || days < 1)
      throw new UsageError(`--days must be a whole number of days, 1 or more, not ${days}`);
    const key = await createSigningKey({
      algorithm: algorithm as SigningKeyAlgorithm,
      subject: (args.options['subject'] as string | undefined) ?? 'CN=Stowage signer',
      validDays: days,
    });
    const saved = await saveSigningKey(out, key, (args.options['name'] as string | undefined) ?? 'signing');
    // The next two commands, as a notation user gets from "notation cert generate-test": which file goes where.
    const keyWord = shellWord(saved.keyFile);
    const certWord = shellWord(saved.certFile);
    print(io, [
      `key ${saved.keyFile}`,
      `certificate ${saved.certFile}`,
      `sign with: stowage sign <reference> --key ${keyWord} --cert ${certWord}`,
      `verify with: stowage verify <reference> --trust-cert ${certWord}`,
    ]);
    return 0;
  },
};
