import { PackwrightError, quoteInput } from '../errors.js'

/**
 * Throws `ABORTED` when `signal` has fired.
 *
 * @throws PackwrightError `ABORTED`
 */
export function throwIfZipReadAborted(signal: AbortSignal | undefined, path: string): void {
  if (signal?.aborted === true) throw zipReadAbortedError(signal, path)
}

/** The error a cancelled zip read ends with. */
export function zipReadAbortedError(signal: AbortSignal, path: string): PackwrightError {
  return new PackwrightError('ABORTED', `Reading zip ${quoteInput(path)} was aborted.`, {
    cause: signal.reason,
  })
}

/** Wraps a filesystem error met while reading `path`; PackwrightErrors pass through unchanged. */
export function zipReadFailedError(error: unknown, path: string): PackwrightError {
  if (error instanceof PackwrightError) return error
  const code =
    typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : 'unknown'
  return new PackwrightError('ZIP_READ_FAILED', `Cannot read zip ${quoteInput(path)} (${code}).`, {
    cause: error,
    details: { path, code },
  })
}
