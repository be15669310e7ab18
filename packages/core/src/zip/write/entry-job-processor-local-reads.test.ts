import * as crypto from 'node:crypto'
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type FilesJobResult, createEntryJobProcessor } from './entry-job-processor.js'

const process_ = createEntryJobProcessor({
  level: 6,
  probeSize: 1024,
  chunkSize: 4096,
  dictionarySize: 2048,
})

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'packwright-job-reads-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

/** Runs a files job that reads `files` (name and planned size) itself, after `before` and `after` in memory. */
function readJob(files: readonly (readonly [string, number])[]): FilesJobResult {
  const before = Buffer.from('before')
  const after = Buffer.from('after!')
  const lengths = [before.length, ...files.map(([, size]) => size), after.length]
  const data = new Uint8Array(lengths.reduce((sum, length) => sum + length, 0))
  data.set(before, 0)
  data.set(after, data.length - after.length)
  const result = process_({
    kind: 'files',
    data,
    lengths,
    deflate: lengths.map(() => true),
    readFrom: [null, ...files.map(([name]) => join(dir, name)), null],
  })
  if (result.kind !== 'files') throw new Error('expected a files result')
  return result
}

describe('a files job reading local files', () => {
  it('reads files of their planned size in place, between entries it was handed', async () => {
    const one = Buffer.from('first file\n'.repeat(50))
    const two = Buffer.alloc(0)
    const three = Buffer.from('third')
    await writeFile(join(dir, 'one.txt'), one)
    await writeFile(join(dir, 'two.txt'), two)
    await writeFile(join(dir, 'three.txt'), three)
    const result = readJob([
      ['one.txt', one.length],
      ['two.txt', 0],
      ['three.txt', three.length],
    ])
    expect(result.readFailures).toEqual([])
    expect(Buffer.from(result.data).toString()).toBe(`before${one.toString()}thirdafter!`)
    const sha256 = (index: number) =>
      Buffer.from(result.digests).toString('hex', index * 52 + 20, index * 52 + 52)
    expect(sha256(1)).toBe(crypto.createHash('sha256').update(one).digest('hex'))
    expect(sha256(2)).toBe(crypto.createHash('sha256').update(two).digest('hex'))
    expect(sha256(4)).toBe(crypto.createHash('sha256').update('after!').digest('hex'))
  })

  it('reports the size found when a file grew or shrank since it was planned', async () => {
    await writeFile(join(dir, 'grew.txt'), 'x'.repeat(120))
    await writeFile(join(dir, 'shrank.txt'), 'y'.repeat(30))
    await writeFile(join(dir, 'one-more.txt'), 'z'.repeat(11))
    await writeFile(join(dir, 'emptied.txt'), '')
    const result = readJob([
      ['grew.txt', 100],
      ['shrank.txt', 50],
      ['one-more.txt', 10],
      ['emptied.txt', 7],
    ])
    expect(result.readFailures).toEqual([
      { index: 1, actualSize: 120 },
      { index: 2, actualSize: 30 },
      { index: 3, actualSize: 11 },
      { index: 4, actualSize: 0 },
    ])
  })

  it('refuses what is no longer a regular file: a folder, a symlink, a missing file', async () => {
    await mkdir(join(dir, 'now-a-folder'))
    await mkdir(join(dir, 'empty-now-a-folder'))
    await writeFile(join(dir, 'target.txt'), 'target')
    await symlink('target.txt', join(dir, 'now-a-link'))
    const result = readJob([
      ['now-a-folder', 10],
      ['empty-now-a-folder', 0],
      ['now-a-link', 6],
      ['gone.txt', 4],
    ])
    const failures = result.readFailures
    expect(failures.map((failure) => failure.index)).toEqual([1, 2, 3, 4])
    expect(failures[0]).toEqual({ index: 1, message: 'it is no longer a regular file' })
    expect(failures[1]).toEqual({ index: 2, message: 'it is no longer a regular file' })
    // Never followed: opening a final symlink fails.
    expect(failures[2]?.message).toMatch(/ELOOP/)
    expect(failures[3]?.message).toMatch(/ENOENT/)
  })
})
