// Lint of a large image index, in process (the linter is a pure function): the first call, which also compiles
// the schemas, and the median of warm calls.
import { lint } from '../../src/core/lint';
import { log } from '../pairs';
import { median, type Row } from '../stats';
import type { BenchContext } from './context';

function bigIndex(entries: number): string {
  const manifests = Array.from({ length: entries }, (_, i) => ({
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    digest: `sha256:${i.toString(16).padStart(64, '0')}`,
    size: 1000 + i,
    platform: { architecture: i % 2 ? 'arm64' : 'amd64', os: 'linux' },
    annotations: { 'org.opencontainers.image.ref.name': `v${i}` },
  }));
  return JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests }, null, 2);
}

function timed(text: string): { seconds: number; problems: number } {
  const started = process.hrtime.bigint();
  const problems = lint(text).length;
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, problems };
}

export async function lintCases(ctx: BenchContext): Promise<Row[]> {
  const text = bigIndex(ctx.options.indexEntries);
  const first = timed(text);
  const warm = Array.from({ length: Math.max(5, ctx.plan.pairs) }, () => timed(text));
  log(
    `lint: first ${first.seconds.toFixed(3)} s, warm median ${median(warm.map((w) => w.seconds)).toFixed(3)} s, ${first.problems} problem(s)`,
  );
  return [
    {
      case: `lint of a ${ctx.options.indexEntries}-entry index (in process)`,
      a: { label: 'stowage warm', samples: warm.map((w) => ({ seconds: w.seconds, rssMiB: NaN })) },
      b: { label: 'stowage first call', samples: [{ seconds: first.seconds, rssMiB: NaN }] },
      note: `${(text.length / 1024 / 1024).toFixed(1)} MiB of JSON, ${first.problems} problem(s); no skopeo equivalent`,
    },
  ];
}
