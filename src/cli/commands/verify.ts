import { readFile } from 'node:fs/promises';
import { verifyArtifactSignatures } from '../../core/supplyChain';
import { UsageError } from '../args';
import { print, printJson, type Command } from '../command';
import { COMMON_OPTIONS } from '../session';

export const verifyCommand: Command = {
  name: 'verify',
  summary: 'verify every Notary signature attached to an artifact against trusted certificates',
  usage: 'stowage verify <reference> --trust-cert CERT.pem... [--format json]',
  options: [
    ...COMMON_OPTIONS,
    { name: 'trust-cert', type: 'strings', valueName: 'file', description: 'PEM certificate (or bundle) to trust; repeatable' },
    { name: 'format', type: 'string', description: 'text or json (one result per signature)' },
  ],
  arity: [1, 1],
  async run({ io, args, session, signal }) {
    const certFiles = (args.options['trust-cert'] as string[] | undefined) ?? [];
    if (!certFiles.length) throw new UsageError('verify needs at least one --trust-cert');
    const trustedCerts = await Promise.all(certFiles.map((file) => readFile(file, 'utf8')));
    const { target, tagOrDigest } = await session.openManifest(args.positionals[0]!);
    const subject = await target.resolve(tagOrDigest, signal);
    const results = await verifyArtifactSignatures(target, subject, { trustedCerts, signal });
    if (args.options['format'] === 'json') {
      printJson(io, results.map(({ signature, result }) => ({ signature: signature.digest, ...result })));
    } else {
      if (!results.length) print(io, `${subject.digest} has no Notary signatures`);
      for (const { signature, result } of results) {
        print(io, result.ok
          ? `verified  ${signature.digest} signed by ${result.signer ?? 'unknown'}${result.signingTime ? ` at ${result.signingTime.toISOString()}` : ''}`
          : `FAILED    ${signature.digest}: ${result.reasons.join('; ')}`);
      }
    }
    // Passing means: at least one signature, and none that fails.
    return results.length > 0 && results.every((r) => r.result.ok) ? 0 : 1;
  },
};
