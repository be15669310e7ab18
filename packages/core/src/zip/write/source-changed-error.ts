import { PackwrightError, quoteInput } from '../../errors.js'
import { type PlannedEntry } from '../../plan/planned-entry.js'

/** The error for a source whose length is not the size planned for it (`actual` says what was found). */
export function sourceChangedError(entry: PlannedEntry, actual: string): PackwrightError {
  return new PackwrightError(
    'ZIP_SOURCE_CHANGED',
    `Source ${quoteInput(entry.sourcePath)} changed while it was packaged: expected ${entry.size} bytes, read ${actual}.`,
    {
      hint: 'Do not modify the source while a package is written, then try again.',
      details: { path: entry.zipPath, sourcePath: entry.sourcePath, expected: entry.size },
    },
  )
}
