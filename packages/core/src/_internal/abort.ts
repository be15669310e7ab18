import { PackwrightError } from '../errors.js'

/** Turns an abort into the `ABORTED` error (keeping the signal's reason as the cause). */
export function abortedError(signal: AbortSignal | undefined, what: string): PackwrightError {
  return new PackwrightError('ABORTED', `${what} was aborted.`, {
    cause: signal?.reason,
  })
}

/**
 * Throws when `signal` has been aborted.
 *
 * @throws PackwrightError `ABORTED`.
 */
export function throwIfAborted(signal: AbortSignal | undefined, what = 'The operation'): void {
  if (signal?.aborted === true) throw abortedError(signal, what)
}

/** Combines optional signals into one (or undefined when there are none). */
export function combineSignals(
  ...signals: ReadonlyArray<AbortSignal | undefined>
): AbortSignal | undefined {
  const present = signals.filter((signal): signal is AbortSignal => signal !== undefined)
  if (present.length <= 1) return present[0]
  return AbortSignal.any(present)
}
