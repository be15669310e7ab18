import { quoteInput } from '../errors.js'
import { normalizeSpicepodLink, type SpicepodLinkStyle } from './normalize-spicepod-link.js'
import { type SpicepodErrorDetails, describeField, spicepodError } from './spicepod-error.js'

/**
 * The package path a manifest link names: relative to `folder` (the linking
 * manifest's folder), or to the package root when it starts with `/`.
 *
 * @throws PackwrightError `SPICEPOD_LINK_INVALID` when the link is not a clean relative path.
 */
export function resolveSpicepodLink(
  raw: string,
  style: SpicepodLinkStyle,
  details: SpicepodErrorDetails,
  folder: string,
): string {
  const normalized = normalizeSpicepodLink(raw, style)
  if (!normalized.ok) {
    throw spicepodError(
      'SPICEPOD_LINK_INVALID',
      `${describeField(details)} is ${quoteInput(raw)}, which ${normalized.reason}.`,
      { ...details, path: raw },
      {
        hint: 'Linked paths are relative to the manifest folder and may not contain `..`, `.` or empty segments.',
      },
    )
  }
  if (normalized.fromRoot || folder === '') return normalized.path
  return `${folder}/${normalized.path}`
}
