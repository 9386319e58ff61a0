// The time a pushed manifest records as org.opencontainers.image.created: `--created`, else SOURCE_DATE_EPOCH
// (reproducible-builds.org; buildkit reads it for the same annotation), else now. With SOURCE_DATE_EPOCH set to
// the commit's time, a pipeline that pushes the same files twice gets the same manifest digest, and a rerun of a
// job does not make a new artifact. `-a org.opencontainers.image.created=…` still wins over both, as in ORAS.
import { UsageError, type ParsedArgs } from './args';

/** 9999-12-31T23:59:59Z, in seconds since 1970-01-01 UTC. */
const LAST_RFC3339_SECOND = 253_402_300_799;

export function creationTime(args: ParsedArgs, env: NodeJS.ProcessEnv): string | Date | undefined {
  const given = args.options['created'] as string | undefined;
  if (given !== undefined) return given;
  const epoch = env['SOURCE_DATE_EPOCH'];
  // Set but empty is unset (a CI template's `SOURCE_DATE_EPOCH=${VAR}` with VAR missing).
  if (epoch === undefined || epoch === '') return undefined;
  // The specification's form: decimal digits, seconds since 1970-01-01 UTC; anything else is refused, not guessed.
  const seconds = /^\d{1,12}$/.test(epoch) ? Number(epoch) : NaN;
  const date = new Date(seconds * 1000);
  if (Number.isNaN(date.getTime()))
    throw new UsageError(
      `SOURCE_DATE_EPOCH must be whole seconds since 1970-01-01 UTC (e.g. the output of git log -1 --format=%ct), not "${epoch}"`,
    );
  // RFC 3339 has four-digit years: a later date would be written "+010000-…", which no reader of the annotation takes.
  if (seconds > LAST_RFC3339_SECOND)
    throw new UsageError(
      `SOURCE_DATE_EPOCH must be a time up to 9999-12-31T23:59:59Z (${LAST_RFC3339_SECOND}), not "${epoch}"`,
    );
  return date;
}
