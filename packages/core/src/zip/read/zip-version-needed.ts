import { type ErrorCode } from '../../errors.js'

/**
 * Highest "version needed to extract" accepted: 4.5 (ZIP64). This reader
 * inflates stored and deflated entries, with ZIP64 sizes and offsets; Info-ZIP
 * `unzip` 6.0 goes up to 4.6 (bzip2) when built with it, and skips entries
 * that need more (exit 81).
 */
export const MAX_VERSION_NEEDED = 45
/** The host byte of "version needed to extract" for VMS: `unzip` asks before extracting such entries. */
const VMS_HOST = 2

/**
 * Why an entry's "version needed to extract" field (`where`: which header)
 * makes extractors disagree, or `undefined` when it is one every extractor
 * and this reader can honour.
 */
export function findVersionNeededProblem(
  versionNeeded: number,
  where: string,
): { readonly code: ErrorCode; readonly reason: string } | undefined {
  const version = versionNeeded & 0xff
  const host = versionNeeded >>> 8
  if (version <= MAX_VERSION_NEEDED && host !== VMS_HOST) return undefined
  const needs =
    host === VMS_HOST
      ? `needs VMS to extract (version needed ${formatVersion(version)} for host ${host} in the ${where}), which unzip asks about before extracting`
      : `needs version ${formatVersion(version)} of the zip format to extract (in the ${where}), which unzip skips`
  return {
    code: 'ZIP_UNSUPPORTED',
    reason: `${needs}; expected at most version ${formatVersion(MAX_VERSION_NEEDED)} for any host but VMS`,
  }
}

function formatVersion(version: number): string {
  return `${Math.floor(version / 10)}.${version % 10}`
}
