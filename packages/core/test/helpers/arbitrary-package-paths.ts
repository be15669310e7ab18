import fc from 'fast-check'

/** One path segment: letters (some non-ASCII), digits, `-`, `_`, `.` and spaces, never `.` or `..`. */
const segment = fc.stringMatching(/^[a-zA-Zé0-9_-][a-zA-Z0-9 ._-]{0,7}$/).filter((s) => s !== '..')

/**
 * Unique package paths of up to `maxDepth` segments, where no path is also
 * a folder of another (a file cannot be a folder too).
 */
export function arbitraryPackagePaths(
  options: { maxDepth?: number; maxFiles?: number } = {},
): fc.Arbitrary<string[]> {
  return fc
    .uniqueArray(
      fc
        .array(segment, { minLength: 1, maxLength: options.maxDepth ?? 4 })
        .map((parts) => parts.join('/')),
      { minLength: 1, maxLength: options.maxFiles ?? 25 },
    )
    .filter((paths) => !paths.some((a) => paths.some((b) => b.startsWith(`${a}/`))))
}
