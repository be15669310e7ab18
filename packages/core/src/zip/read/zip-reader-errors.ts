import { type ErrorCode, PackwrightError, quoteInput } from '../../errors.js'

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

/** An error about the zip's structure, naming the entry (in `details.entry`) when there is one. */
export function zipStructureError(
  code: ErrorCode,
  message: string,
  entry?: string,
): PackwrightError {
  return new PackwrightError(code, message, { details: entry === undefined ? {} : { entry } })
}

/** `ZIP_UNSUPPORTED`: the zip uses a feature this reader does not implement (`reason` ends the sentence). */
export function zipUnsupportedError(reason: string, entry?: string): PackwrightError {
  return zipStructureError('ZIP_UNSUPPORTED', `This zip cannot be read: ${reason}`, entry)
}

/** A 32-bit value (signature, CRC-32) as `0x` and 8 lowercase hex digits. */
export function formatHex32(value: number): string {
  return `0x${value.toString(16).padStart(8, '0')}`
}
