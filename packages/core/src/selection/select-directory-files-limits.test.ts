import { describe, expect, it } from 'vitest'
import { rejection } from '../../test/helpers/rejection.js'
import {
  createMemorySourceReader,
  type MemoryFile,
} from '../../test/helpers/memory-source-reader.js'
import { selectDirectoryFiles } from './select-directory-files.js'

/**
 * `levels` folders; each holds a 1 KiB file and three links to the next one,
 * so following links packages the deepest folder 3^(levels-1) times.
 */
function amplifyingTree(levels: number): Record<string, MemoryFile> {
  const files: Record<string, MemoryFile> = {}
  for (let level = 0; level < levels; level++) {
    files[`L${level}/data.txt`] = 'x'.repeat(1024)
    if (level + 1 === levels) continue
    for (const link of ['a', 'b', 'c']) files[`L${level}/${link}`] = { symlink: `../L${level + 1}` }
  }
  return files
}

describe('selectDirectoryFiles within the package limits', () => {
  it('stops following links that repeat folders at the default entry limit, before listing them all', async () => {
    // 3^24 paths if followed to the end: only stopping at the limit ends this test.
    const started = performance.now()
    const failure = await rejection(
      selectDirectoryFiles({
        reader: createMemorySourceReader(amplifyingTree(25)),
        followSymlinks: true,
      }),
    )
    expect(failure.code).toBe('PACKAGE_LIMIT_EXCEEDED')
    expect(failure.message).toContain('more than 100000 entries')
    expect(failure.message).toContain('following symlinks under the source root')
    expect(failure.hint).toContain('limits.maxEntries')
    expect(failure.details).toMatchObject({ limit: 'maxEntries', max: 100_000, reached: 100_001 })
    expect(performance.now() - started).toBeLessThan(15_000)
  })

  it('counts the folder entries the writer adds above files', async () => {
    const files = { 'a/b/c.txt': 'c', 'a/b/d.txt': 'd' }
    const reader = createMemorySourceReader(files)
    // a/, a/b/, a/b/c.txt and a/b/d.txt: four entries.
    expect(await selectDirectoryFiles({ reader, limits: { maxEntries: 4 } })).toHaveLength(2)
    const failure = await rejection(selectDirectoryFiles({ reader, limits: { maxEntries: 3 } }))
    expect(failure.code).toBe('PACKAGE_LIMIT_EXCEEDED')
    expect(failure.message).toContain('selecting files under the source root')
    expect(failure.message).toContain('the limit given')
    expect(failure.details).toMatchObject({ limit: 'maxEntries', max: 3, path: 'a/b/d.txt' })
  })

  it('stops when the total size passes the limit, counting every path a followed file takes', async () => {
    const reader = createMemorySourceReader({
      'shared/big.bin': 'x'.repeat(600),
      one: { symlink: 'shared' },
      two: { symlink: 'shared' },
    })
    const limits = { maxTotalUncompressedBytes: 1500 }
    expect(await selectDirectoryFiles({ reader, limits })).toHaveLength(3)
    const failure = await rejection(selectDirectoryFiles({ reader, limits, followSymlinks: true }))
    expect(failure.code).toBe('PACKAGE_LIMIT_EXCEEDED')
    expect(failure.details).toMatchObject({
      limit: 'maxTotalUncompressedBytes',
      max: 1500,
      reached: 1800,
    })
  })

  it('refuses limits that are not positive integers', async () => {
    const reader = createMemorySourceReader({ 'a.txt': 'a' })
    const failure = await rejection(selectDirectoryFiles({ reader, limits: { maxEntries: 0 } }))
    expect(failure.code).toBe('INVALID_ARGUMENT')
  })
})
