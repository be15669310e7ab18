import { describe, expect, it } from 'vitest'
import { PackwrightError } from '../errors.js'
import {
  createMemorySourceReader,
  type MemoryFile,
} from '../../test/helpers/memory-source-reader.js'
import { MAX_LISTED_PROBLEMS } from './collected-problems-error.js'
import { selectDirectoryFiles } from './select-directory-files.js'

async function failure(files: Record<string, MemoryFile>): Promise<PackwrightError> {
  try {
    await selectDirectoryFiles({ reader: createMemorySourceReader(files) })
  } catch (error) {
    expect(error).toBeInstanceOf(PackwrightError)
    return error as PackwrightError
  }
  throw new Error('expected a rejection')
}

describe('selectDirectoryFiles: every problem of a pass at once', () => {
  it('reports all escaping links together, with their count', async () => {
    const files: Record<string, MemoryFile> = { 'keep.txt': 'k' }
    for (let i = 0; i < 13; i++)
      files[`doc${String(i).padStart(2, '0')}`] = { symlink: `/etc/f${i}` }
    const error = await failure(files)
    expect(error.code).toBe('SYMLINK_ESCAPES_ROOT')
    const lines = error.message.split('\n')
    expect(lines[0]).toMatch(/^13 problems stop the package of .*\(the first 10 below\):$/)
    expect(lines.slice(1, -1)).toHaveLength(MAX_LISTED_PROBLEMS)
    expect(lines[1]).toMatch(/^- Symlink "doc00" -> "\/etc\/f0" leaves the package root/)
    expect(lines.at(-1)).toBe('- and 3 more.')
    expect(error.details.count).toBe(13)
    expect(error.details.problems).toHaveLength(13)
    expect(error.hint).toBe('Point the link at a path inside the package root, or exclude it.')
  })

  it('reports problems of different kinds together, each with its code', async () => {
    const error = await failure({
      'a\\b.txt': 'backslash',
      cycle: { symlink: 'cycle' },
      out: { symlink: '../x' },
    })
    expect(error.details.count).toBe(3)
    const lines = error.message.split('\n')
    expect(lines[0]).toMatch(/^3 problems stop the package of /)
    expect(
      lines
        .slice(1)
        .map((line) => /^- \[(\w+)\]/.exec(line)?.[1])
        .sort(),
    ).toEqual(['SOURCE_PATH_INVALID', 'SYMLINK_CYCLE', 'SYMLINK_ESCAPES_ROOT'])
    expect(error.hint).toMatch(/^Fix or exclude each file the lines name/)
  })

  it('reports a single problem as it is', async () => {
    const error = await failure({ 'a.txt': 'a', out: { symlink: '/etc/passwd' } })
    expect(error.code).toBe('SYMLINK_ESCAPES_ROOT')
    expect(error.message).toMatch(/^Symlink "out" -> "\/etc\/passwd" leaves the package root/)
    expect(error.details.count).toBeUndefined()
  })
})
