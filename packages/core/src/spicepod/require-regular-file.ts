import { quoteInput } from '../errors.js'
import { type SourceEntry } from '../source/source-reader.js'
import { type SpicepodErrorDetails, spicepodError } from './spicepod-error.js'

/**
 * Refuses a symlink where a manifest or component file must be read;
 * `what` names the file for the message ("The dependency manifest").
 *
 * @throws PackwrightError `SPICEPOD_LINK_INVALID` when `entry` is a symlink.
 */
export function requireRegularFile(
  entry: SourceEntry,
  details: SpicepodErrorDetails,
  what: string,
): void {
  if (entry.kind === 'symlink') {
    throw spicepodError(
      'SPICEPOD_LINK_INVALID',
      `${what} ${quoteInput(entry.path)} is a symlink; it must be a regular file.`,
      details,
    )
  }
}
