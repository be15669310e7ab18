import fc from 'fast-check'
import { describe, expect, it } from 'vitest'

import { validateEntryNames } from './validate-entry-names.js'
import { type ZipEntryKind } from './zip-entry-info.js'

const conflicts = (entries: { name: string; kind: ZipEntryKind }[]) =>
  validateEntryNames(entries)
    .filter((problem) => problem.code === 'ZIP_ENTRY_FILE_DIRECTORY_CONFLICT')
    .map((problem) => problem.entry)

describe('validateEntryNames finds files that other names need as directories', () => {
  it('reports exactly the files and links another name continues with `/`', () => {
    const name = fc
      .array(fc.constantFrom('a', 'b', 'ab', 'a-', 'a.', ''), { minLength: 1, maxLength: 4 })
      .map((parts) => parts.join('/'))
    const kind = fc.constantFrom<ZipEntryKind>('file', 'symlink', 'directory')
    fc.assert(
      fc.property(fc.array(fc.record({ name, kind }), { maxLength: 12 }), (entries) => {
        const expected = [
          ...new Set(
            entries
              .filter(({ kind }) => kind !== 'directory')
              .map((entry) => entry.name)
              .filter((file) => entries.some((other) => other.name.startsWith(`${file}/`))),
          ),
        ]
        expect(conflicts(entries)).toEqual(expected)
      }),
      { numRuns: 500 },
    )
  })

  it('names a directory entry when there is one, else an entry below', () => {
    const problems = validateEntryNames([
      { name: 'a', kind: 'file' },
      { name: 'a/x/y', kind: 'file' },
      { name: 'a/', kind: 'directory' },
      { name: 'b', kind: 'symlink' },
      { name: 'b/deep/file', kind: 'file' },
    ])
    expect(problems.map((problem) => problem.message)).toEqual([
      'Entry "a" is a file, but the zip also holds a directory entry "a/".',
      'Entry "b" is a symlink, but the zip also holds entry "b/deep/file", which needs it to be a directory.',
    ])
  })
})

describe('validateEntryNames finds names given twice', () => {
  it('reports each repeat of a name, and no name that is only a folder other names share', () => {
    const name = fc
      .array(fc.constantFrom('a', 'b', 'ab', '.', ''), { minLength: 1, maxLength: 4 })
      .map((parts) => parts.join('/'))
    const kind = fc.constantFrom<ZipEntryKind>('file', 'symlink', 'directory')
    fc.assert(
      fc.property(fc.array(fc.record({ name, kind }), { maxLength: 12 }), (entries) => {
        const expected = entries
          .filter((entry, at) => entries.slice(0, at).some((other) => other.name === entry.name))
          .map((entry) => entry.name)
        const duplicates = validateEntryNames(entries)
          .filter((problem) => problem.code === 'ZIP_ENTRY_DUPLICATE')
          .map((problem) => problem.entry)
        expect(duplicates).toEqual(expected)
      }),
      { numRuns: 500 },
    )
  })

  it('tells a repeated name from the folder where earlier names part', () => {
    const duplicates = validateEntryNames([
      { name: 'a/b/c', kind: 'file' },
      { name: 'a/b/d', kind: 'file' },
      { name: 'a/b', kind: 'file' },
      { name: 'a/b', kind: 'file' },
    ]).filter((problem) => problem.code === 'ZIP_ENTRY_DUPLICATE')
    expect(duplicates.map((problem) => problem.message)).toEqual([
      'Entry "a/b" appears more than once; each name must be unique.',
    ])
  })
})

describe('validateEntryNames checks each name as what its entry is', () => {
  it('lets a folder end with `/` but not a file or a link', () => {
    const problems = validateEntryNames([
      { name: 'folder/', kind: 'directory' },
      { name: 'file/', kind: 'file' },
      { name: 'link/', kind: 'symlink' },
    ])
    expect(problems.map((problem) => [problem.entry, problem.code])).toEqual([
      ['file/', 'ZIP_ENTRY_PATH_NON_CANONICAL'],
      ['link/', 'ZIP_ENTRY_PATH_NON_CANONICAL'],
    ])
  })
})
