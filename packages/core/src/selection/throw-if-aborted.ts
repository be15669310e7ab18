import { PackwrightError } from '../errors.js'

/**
 * Throws `ABORTED` when `signal` has been aborted, so long walks stop between steps.
 *
 * @throws PackwrightError `ABORTED`
 */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted === true) {
    throw new PackwrightError('ABORTED', 'The operation was aborted.', { cause: signal.reason })
  }
}
