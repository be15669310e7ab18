import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { isPackwrightError } from '../../errors.js'
import { type PlannedEntry } from '../../plan/planned-entry.js'
import { arbitraryPackagePaths } from '../../../test/helpers/arbitrary-package-paths.js'
import { ancestorDirectories } from '../zip-path.js'
import { planZipLayout } from './plan-zip-layout.js'

const file = (zipPath: string, extra: Partial<PlannedEntry> = {}): PlannedEntry => ({
  zipPath,
  sourcePath: zipPath,
  kind: 'file',
  size: 1,
  executable: false,
  ...extra,
})

function errorOf(run: () => unknown): unknown {
  try {
    run()
  } catch (error) {
    return error
  }
  throw new Error('expected an error')
}

describe('planZipLayout', () => {
  it('adds every ancestor folder and sorts by code units, folders before their contents', () => {
    const names = planZipLayout([
      file('b/z.txt'),
      file('a-b'),
      file('a/b/c.txt'),
      file('B.txt'),
      file('a/é.txt'),
      file('a/b.txt'),
    ]).map((item) => item.zipPath)
    expect(names).toEqual([
      'B.txt',
      'a-b',
      'a/',
      'a/b.txt',
      'a/b/',
      'a/b/c.txt',
      'a/é.txt',
      'b/',
      'b/z.txt',
    ])
  })

  it('puts each folder where sorting every name would, next to names that sort around `/`', () => {
    const names = ['a/b/c', 'a/b!', 'a/b-c/d', 'a.b', 'a-b/x', 'a/b.d/e', 'ab', 'a/bc/d', 'a/b/e/f']
    const items = planZipLayout(names.map((name) => file(name))).map((item) => item.zipPath)
    const everything = new Set(names)
    for (const name of names) for (const folder of ancestorDirectories(name)) everything.add(folder)
    expect(items).toEqual([...everything].sort())
  })

  it('lays out any tree as the sorted names and ancestor folders, each once', () => {
    fc.assert(
      fc.property(
        arbitraryPackagePaths({ maxDepth: 4, maxFiles: 30 }),
        fc.integer(),
        (names, seed) => {
          const shuffled = [...names].sort(
            (a, b) => ((a.length * seed) % 7) - ((b.length * seed) % 7),
          )
          const items = planZipLayout(shuffled.map((name) => file(name))).map(
            (item) => item.zipPath,
          )
          const everything = new Set(names)
          for (const name of names) {
            for (const folder of ancestorDirectories(name)) everything.add(folder)
          }
          expect(items).toEqual([...everything].sort())
        },
      ),
      { numRuns: 300 },
    )
  })

  it('uses the planned entries themselves as the layout items', () => {
    const entries = [file('b/c'), file('a')]
    const items = planZipLayout(entries)
    expect(items[0]).toBe(entries[1])
    expect(items[2]).toBe(entries[0])
  })

  it('gives the same layout whatever the input order', () => {
    const entries = ['x/1', 'x/2', 'y', 'x/z/3', 'Z'].map((path) => file(path))
    const expected = planZipLayout(entries)
    expect(planZipLayout([...entries].reverse())).toEqual(expected)
  })

  it('rejects names that break the path rules with ZIP_PATH_INVALID', () => {
    for (const bad of ['/abs', 'a/../b', 'a\\b', 'a//b', './a', 'a/', 'nul\0', 'C:/x']) {
      const error = errorOf(() => planZipLayout([file(bad)]))
      expect(isPackwrightError(error, 'ZIP_PATH_INVALID'), bad).toBe(true)
    }
  })

  it('rejects a name given twice with ZIP_DUPLICATE_ENTRY naming both sources', () => {
    const error = errorOf(() =>
      planZipLayout([file('a.txt', { sourcePath: 'one' }), file('a.txt', { sourcePath: 'two' })]),
    )
    expect(isPackwrightError(error, 'ZIP_DUPLICATE_ENTRY')).toBe(true)
    expect((error as Error).message).toContain('"one"')
    expect((error as Error).message).toContain('"two"')
  })

  it('rejects a file that is also the folder of another entry', () => {
    const error = errorOf(() => planZipLayout([file('a/b/c'), file('a/b')]))
    expect(isPackwrightError(error, 'ZIP_DUPLICATE_ENTRY')).toBe(true)
    expect((error as Error).message).toMatch(/"a\/b".*"a\/b\/c" needs it to be a folder/)
  })

  it('rejects negative or fractional sizes with INVALID_ARGUMENT', () => {
    for (const size of [-1, 1.5, Number.NaN]) {
      const error = errorOf(() => planZipLayout([file('a', { size })]))
      expect(isPackwrightError(error, 'INVALID_ARGUMENT')).toBe(true)
    }
  })
})
