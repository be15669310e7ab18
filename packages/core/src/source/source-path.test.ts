import { describe, expect, it } from 'vitest'
import { isPackwrightError } from '../errors.js'
import { assertSourcePath, findSourcePathProblem, normaliseListPrefix } from './source-path.js'

describe('findSourcePathProblem', () => {
  it.each([
    ['', 'is empty'],
    ['a/\0b', 'contains a NUL character'],
    ['/a', 'is absolute'],
    ['a/../b', 'has a `..` segment'],
    ['..', 'has a `..` segment'],
    ['a//b', 'has an empty or `.` segment'],
    ['a/./b', 'has an empty or `.` segment'],
    ['a/', 'has an empty or `.` segment'],
  ])('%j %s', (path, problem) => {
    expect(findSourcePathProblem(path)).toBe(problem)
  })

  it.each(['a', 'a/b.txt', '..a/b..', '.hidden/x'])('accepts %j', (path) => {
    expect(findSourcePathProblem(path)).toBeUndefined()
  })
})

describe('assertSourcePath', () => {
  it('names the path, the reader and the rule', () => {
    let caught: unknown
    try {
      assertSourcePath('a/../b', 'the test reader')
    } catch (error) {
      caught = error
    }
    expect(isPackwrightError(caught, 'SOURCE_PATH_INVALID')).toBe(true)
    const error = caught as Error & { details?: unknown }
    expect(error.message).toBe(
      'Invalid path "a/../b" for the test reader: it has a `..` segment; expected a relative POSIX path inside the source.',
    )
    expect(error.details).toEqual({ path: '"a/../b"', problem: 'has a `..` segment' })
  })

  it('accepts the root only where asked to', () => {
    expect(() => assertSourcePath('', 'listing', true)).not.toThrow()
    expect(() => assertSourcePath('', 'reading')).toThrow(/it is empty/)
  })
})

describe('normaliseListPrefix', () => {
  it('drops one trailing slash and keeps the root', () => {
    expect(normaliseListPrefix('a/b/', 'listing')).toBe('a/b')
    expect(normaliseListPrefix('a/b', 'listing')).toBe('a/b')
    expect(normaliseListPrefix('', 'listing')).toBe('')
    expect(normaliseListPrefix('/', 'listing')).toBe('')
  })

  it('refuses a prefix with two trailing slashes', () => {
    expect(() => normaliseListPrefix('a//', 'listing')).toThrow(/empty or `.` segment/)
  })
})
