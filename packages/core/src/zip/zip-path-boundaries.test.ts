import { describe, expect, it } from 'vitest'
import { isPackwrightError } from '../errors.js'
import { assertZipPath, findZipPathProblem } from './zip-path.js'

describe('findZipPathProblem boundaries', () => {
  it.each([
    ['a\u001fb', 'contains a control character (U+001F)'],
    ['a\u007fb', 'contains a control character (U+007F)'],
    ['a\u0085b', 'contains a control character (U+0085)'],
  ])('refuses %j: it %s', (path, reason) => {
    expect(findZipPathProblem(path)).toEqual({ code: 'ZIP_ENTRY_PATH_CONTROL_CHARACTER', reason })
  })

  it.each(['a b', 'a~b', '.../x', 'a/...', '.x/..y', 'é/ü', '@:x', '[:x', '`:x', '{:x', 'ab:c'])(
    'accepts %j',
    (path) => {
      expect(findZipPathProblem(path)).toBeUndefined()
    },
  )

  it.each(['a:x', 'A:x', 'z:x', 'Z:x'])('takes the drive letter of %j as absolute', (path) => {
    expect(findZipPathProblem(path)).toEqual({
      code: 'ZIP_ENTRY_PATH_ABSOLUTE',
      reason: 'is absolute',
    })
  })

  it('words each problem, and reports the first by priority', () => {
    expect(findZipPathProblem('a\0\\..')).toEqual({
      code: 'ZIP_ENTRY_PATH_NUL',
      reason: 'contains a NUL character',
    })
    expect(findZipPathProblem('/a\\b')).toEqual({
      code: 'ZIP_ENTRY_PATH_BACKSLASH',
      reason: 'contains a backslash (use `/`)',
    })
    expect(findZipPathProblem('/../x')).toEqual({
      code: 'ZIP_ENTRY_PATH_ABSOLUTE',
      reason: 'is absolute',
    })
    expect(findZipPathProblem('a/../b//c')).toEqual({
      code: 'ZIP_ENTRY_PATH_TRAVERSAL',
      reason: 'contains a `..` segment',
    })
    expect(findZipPathProblem('a/..')).toEqual({
      code: 'ZIP_ENTRY_PATH_TRAVERSAL',
      reason: 'contains a `..` segment',
    })
    expect(findZipPathProblem('a/.')).toEqual({
      code: 'ZIP_ENTRY_PATH_NON_CANONICAL',
      reason: 'has an empty or `.` segment',
    })
  })

  it('checks characters of a directory name up to its end, slash included', () => {
    expect(findZipPathProblem('a\\/', true)?.code).toBe('ZIP_ENTRY_PATH_BACKSLASH')
    expect(findZipPathProblem('../', true)?.code).toBe('ZIP_ENTRY_PATH_TRAVERSAL')
    expect(findZipPathProblem('./', true)?.code).toBe('ZIP_ENTRY_PATH_NON_CANONICAL')
    expect(findZipPathProblem('a', true)).toBeUndefined()
  })
})

describe('assertZipPath', () => {
  it('gives the message, hint and details of the first problem', () => {
    let caught: unknown
    try {
      assertZipPath('a//b', 'the listing')
    } catch (error) {
      caught = error
    }
    expect(isPackwrightError(caught, 'ZIP_PATH_INVALID')).toBe(true)
    const error = caught as Error & { hint?: string; details?: unknown }
    expect(error.message).toBe(
      'Invalid package path "a//b" from the listing: it has an empty or `.` segment.',
    )
    expect(error.hint).toBe(
      'Package paths are relative POSIX paths of printable characters, without `.`, `..` or empty segments.',
    )
    expect(error.details).toEqual({ path: 'a//b', rule: 'ZIP_ENTRY_PATH_NON_CANONICAL' })
    expect(() => assertZipPath('a/b', 'the listing')).not.toThrow()
  })
})
