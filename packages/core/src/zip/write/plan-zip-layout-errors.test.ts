import { describe, expect, it } from 'vitest'
import { PackwrightError } from '../../errors.js'
import { type PlannedEntry } from '../../plan/planned-entry.js'
import { planZipLayout } from './plan-zip-layout.js'

const file = (zipPath: string, extra: Partial<PlannedEntry> = {}): PlannedEntry => ({
  zipPath,
  sourcePath: zipPath,
  kind: 'file',
  size: 1,
  executable: false,
  ...extra,
})

function failureOf(entries: readonly PlannedEntry[]): PackwrightError {
  try {
    planZipLayout(entries)
  } catch (error) {
    if (error instanceof PackwrightError) return error
    throw error
  }
  throw new Error('expected planZipLayout to fail')
}

describe('planZipLayout errors', () => {
  it('names the source path of a name that breaks the path rules', () => {
    const error = failureOf([file('a/../b', { sourcePath: 'src/b.txt' })])
    expect(error.code).toBe('ZIP_PATH_INVALID')
    expect(error.message).toBe(
      'Invalid package path "a/../b" from source path "src/b.txt": it contains a `..` segment.',
    )
  })

  it('refuses a kind other than file or symlink, naming the field', () => {
    const directory = { ...file('a'), kind: 'directory' } as unknown as PlannedEntry
    const error = failureOf([directory])
    expect(error.code).toBe('INVALID_ARGUMENT')
    expect(error.message).toBe(
      'Invalid kind "directory" for package path "a": expected "file" or "symlink".',
    )
    expect(error.details).toEqual({ path: 'a', field: 'kind' })
  })

  it('refuses a bad size with a message and details naming the field', () => {
    const error = failureOf([file('a/b.txt', { size: -3 })])
    expect(error.code).toBe('INVALID_ARGUMENT')
    expect(error.message).toBe(
      'Invalid size -3 for package path "a/b.txt": expected a whole number of bytes, 0 or more.',
    )
    expect(error.details).toEqual({ path: 'a/b.txt', field: 'size' })
  })

  it('gives a hint and both sources for a name given twice', () => {
    const error = failureOf([
      file('x.txt', { sourcePath: 'one' }),
      file('x.txt', { sourcePath: 'two' }),
    ])
    expect(error.code).toBe('ZIP_DUPLICATE_ENTRY')
    expect(error.hint).toBe('Each file may appear once in a package; remove or rename one of them.')
    expect(error.details).toEqual({ path: 'x.txt', sources: ['one', 'two'] })
  })

  it('finds a file that is also a folder among names that sort before and after it', () => {
    const entries = ['0', 'A', 'a/b', 'a/b/c', 'a/c', 'z'].map((name) =>
      file(name, { sourcePath: `src/${name}` }),
    )
    const error = failureOf(entries)
    expect(error.code).toBe('ZIP_DUPLICATE_ENTRY')
    expect(error.message).toBe(
      'Package path "a/b" (from "src/a/b") is a file, but "a/b/c" needs it to be a folder.',
    )
    expect(error.hint).toBe('A name can be a file or a folder in a package, not both.')
    expect(error.details).toEqual({ path: 'a/b', conflict: 'file-and-folder', inside: 'a/b/c' })
  })

  it('finds a symlink that is also a folder at any place in a long sorted list', () => {
    const names = Array.from({ length: 40 }, (_, index) => `n${String(index).padStart(2, '0')}`)
    for (const clash of ['n00', 'n17', 'n39']) {
      const entries = names.map((name) => file(name, name === clash ? { kind: 'symlink' } : {}))
      const error = failureOf([...entries, file(`${clash}/inner.txt`)])
      expect(error.details, clash).toEqual({
        path: clash,
        conflict: 'file-and-folder',
        inside: `${clash}/inner.txt`,
      })
      expect(error.message, clash).toContain(`is a symlink, but "${clash}/inner.txt"`)
    }
  })
})
