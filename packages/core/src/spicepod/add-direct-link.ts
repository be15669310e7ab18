import { quoteInput } from '../errors.js'
import { addLinkedEntry } from './add-linked-entry.js'
import { hasExtension } from './normalize-spicepod-link.js'
import { resolveSpicepodLink } from './resolve-spicepod-link.js'
import { type SpicepodErrorDetails, describeField, spicepodError } from './spicepod-error.js'
import { type SpicepodPlanContext } from './spicepod-plan-context.js'

/**
 * Plans what a dataset `file:` or view `sql_ref` link names, resolved from
 * `folder`: the file there; or, for a path without an extension and no file
 * there, every file under that folder.
 *
 * @throws PackwrightError `SPICEPOD_LINK_INVALID`, `SPICEPOD_LINK_NOT_FOUND`
 *   (no file, and no folder with files), `SPICEPOD_READ_FAILED`,
 *   `SPICEPOD_ZIP_FAILED`, the symlink errors of {@link addLinkedEntry}, `ABORTED`.
 */
export async function addDirectLink(
  context: SpicepodPlanContext,
  raw: string,
  style: 'file' | 'sql_ref',
  details: SpicepodErrorDetails,
  folder: string,
): Promise<void> {
  const { source } = context
  const path = resolveSpicepodLink(raw, style, details, folder)
  const from = describeField(details)
  const linkDetails = { ...details, path }
  const entry = await source.stat(path, linkDetails)
  if (entry !== undefined) {
    await addLinkedEntry(context, entry, linkDetails, from)
    return
  }
  if (hasExtension(path)) {
    throw spicepodError(
      'SPICEPOD_LINK_NOT_FOUND',
      `${from} links ${quoteInput(raw)}, but no file exists at ${quoteInput(path)}.`,
      linkDetails,
    )
  }
  const listed = await source.list(path, linkDetails)
  if (listed.length === 0) {
    throw spicepodError(
      'SPICEPOD_LINK_NOT_FOUND',
      `${from} links ${quoteInput(raw)}, but there is neither a file nor a folder with files at ${quoteInput(path)}.`,
      linkDetails,
      {
        hint: 'A link without an extension is a file when one exists there, else a folder packaged with all its files; an empty folder is an error.',
      },
    )
  }
  for (const listedEntry of listed) await addLinkedEntry(context, listedEntry, linkDetails, from)
}
