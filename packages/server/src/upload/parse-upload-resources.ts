import { cfErrors } from '../http/cf-errors.js'

/**
 * One cached resource named by an upload, translated to one shape from
 * either wire format. Values are kept as sent: they are judged during
 * assembly, as Cloud Controller's packing job judges them.
 */
export interface UploadResource {
  readonly path: unknown
  readonly sha1: unknown
  readonly mode: unknown
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** v3 `{path, size_in_bytes, checksum:{value}, mode}` or v2 `{fn, size, sha1, mode}`. */
function translate(entry: unknown): UploadResource {
  if (!isObject(entry)) throw cfErrors.unprocessableEntity(['Resources must be valid JSON.'])
  if ('checksum' in entry && 'size_in_bytes' in entry) {
    const checksum = entry.checksum
    return {
      path: entry.path,
      sha1: isObject(checksum) ? checksum.value : undefined,
      mode: entry.mode,
    }
  }
  return { path: entry.fn, sha1: entry.sha1, mode: entry.mode }
}

/**
 * Parses the `resources` field of an upload: a JSON array of entries in the
 * v3 or the v2 format (an entry is v3 when it has both `checksum` and
 * `size_in_bytes`).
 *
 * @throws CfApiError 422 `Resources must be valid JSON.` for anything else.
 */
export function parseUploadResources(text: string): UploadResource[] {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    throw cfErrors.unprocessableEntity(['Resources must be valid JSON.'])
  }
  if (!Array.isArray(parsed)) throw cfErrors.unprocessableEntity(['Resources must be valid JSON.'])
  return parsed.map(translate)
}
