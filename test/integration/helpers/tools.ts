// Runs the peer tools the interop tests compare against; a missing tool fails the test with the reason.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';

export function requireTool(binary: string): string {
  const candidates = [`/usr/bin/${binary}`, `/usr/local/bin/${binary}`];
  const found = candidates.find((c) => existsSync(c));
  if (!found)
    throw new Error(
      `${binary} is required for this test but is not installed (looked in ${candidates.join(', ')}); install it with apt-get install ${binary}`,
    );
  return found;
}

export function run(binary: string, args: string[]): Promise<{ stdout: Buffer; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(requireTool(binary), args, { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${binary} ${args.join(' ')} failed: ${stderr.toString()}`, { cause: err }));
      else resolve({ stdout, stderr: stderr.toString() });
    });
  });
}
