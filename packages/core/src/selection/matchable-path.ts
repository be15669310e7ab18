// Line terminators: what a regular expression's `.` does not match.
const LINE_TERMINATORS = /[\n\r\u2028\u2029]/g

/**
 * `path` as the glob and ignore-file matchers should see it. Both compile
 * patterns to regular expressions whose `.` skips line terminators, so
 * picomatch's `**` does not match `a\nb`: such a name would fall outside
 * every include pattern and vanish from the package without a word. Each line
 * terminator is judged as U+FFFD instead, a character patterns do not name,
 * so `*`, `?` and `**` treat it like any other character.
 */
export function matchablePath(path: string): string {
  return path.replace(LINE_TERMINATORS, '\uFFFD')
}
