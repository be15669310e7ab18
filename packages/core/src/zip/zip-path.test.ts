import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { isPackwrightError } from '../errors.js'
import { ancestorDirectories, assertZipPath, findZipPathProblem } from './zip-path.js'

const segment = fc
  .string({ unit: fc.constantFrom(...'abcXYZ019-_ .~éü你'), minLength: 1, maxLength: 8 })
  .filter((s) => s !== '.' && s !== '..')
const validPath = fc.array(segment, { minLength: 1, maxLength: 6 }).map((parts) => parts.join('/'))

describe('findZipPathProblem', () => {
  it('accepts every relative path of ordinary segments', () => {
    fc.assert(fc.property(validPath, (path) => findZipPathProblem(path) === undefined))
  })

  it('flags a `..` segment anywhere as traversal', () => {
    fc.assert(
      fc.property(fc.array(segment, { maxLength: 4 }), fc.nat(4), (parts, at) => {
        const withDots = [...parts]
        withDots.splice(Math.min(at, parts.length), 0, '..')
        return findZipPathProblem(withDots.join('/'))?.code === 'ZIP_ENTRY_PATH_TRAVERSAL'
      }),
    )
  })

  it('flags empty and `.` segments as non-canonical', () => {
    fc.assert(
      fc.property(
        fc.array(segment, { minLength: 2, maxLength: 4 }),
        fc.constantFrom('', '.'),
        (parts, odd) => {
          const path = [parts[0], odd, ...parts.slice(1)].join('/')
          return findZipPathProblem(path)?.code === 'ZIP_ENTRY_PATH_NON_CANONICAL'
        },
      ),
    )
  })

  it.each([
    ['/etc/passwd', 'ZIP_ENTRY_PATH_ABSOLUTE'],
    ['C:/Windows/x', 'ZIP_ENTRY_PATH_ABSOLUTE'],
    ['c:evil', 'ZIP_ENTRY_PATH_ABSOLUTE'],
    ['a\\b', 'ZIP_ENTRY_PATH_BACKSLASH'],
    ['a\0b', 'ZIP_ENTRY_PATH_NUL'],
    ['a\nb', 'ZIP_ENTRY_PATH_CONTROL_CHARACTER'],
    ['', 'ZIP_ENTRY_PATH_NON_CANONICAL'],
    ['a/', 'ZIP_ENTRY_PATH_NON_CANONICAL'],
    ['./a', 'ZIP_ENTRY_PATH_NON_CANONICAL'],
    ['../a', 'ZIP_ENTRY_PATH_TRAVERSAL'],
  ])('rejects %j with %s', (path, code) => {
    expect(findZipPathProblem(path)?.code).toBe(code)
  })

  it('allows one trailing slash on directory entries only', () => {
    expect(findZipPathProblem('a/b/', true)).toBeUndefined()
    expect(findZipPathProblem('a/b/', false)?.code).toBe('ZIP_ENTRY_PATH_NON_CANONICAL')
    expect(findZipPathProblem('a//', true)?.code).toBe('ZIP_ENTRY_PATH_NON_CANONICAL')
  })
})

describe('assertZipPath', () => {
  it('throws ZIP_PATH_INVALID naming the path, its origin and the rule', () => {
    let caught: unknown
    try {
      assertZipPath('a/../../b', 'the source listing')
    } catch (error) {
      caught = error
    }
    expect(isPackwrightError(caught, 'ZIP_PATH_INVALID')).toBe(true)
    expect((caught as Error).message).toContain('"a/../../b"')
    expect((caught as Error).message).toContain('the source listing')
    expect((caught as Error).message).toContain('`..`')
  })
})

describe('ancestorDirectories', () => {
  it('lists every ancestor outermost first, and none for a top-level file', () => {
    expect(ancestorDirectories('a/b/c.txt')).toEqual(['a/', 'a/b/'])
    expect(ancestorDirectories('top.txt')).toEqual([])
  })
})
