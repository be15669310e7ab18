import { execFileSync } from 'node:child_process'
import { readFileSync, readdirSync, readlinkSync } from 'node:fs'
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type FilesJobReadFailure, createEntryJobProcessor } from './entry-job-processor.js'

const layout = { level: 6, probeSize: 1024, chunkSize: 4096, dictionarySize: 2048 }
const onLinux = process.platform === 'linux'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'packwright-job-special-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

/**
 * Creates a processor (here, so the test sees how it opens files) and runs a
 * files job that reads `path`, planned at `size` bytes, itself.
 */
function readFailureOf(path: string, size: number): FilesJobReadFailure | undefined {
  const run = createEntryJobProcessor(layout)
  const result = run({
    kind: 'files',
    data: new Uint8Array(size),
    lengths: [size],
    deflate: [true],
    readFrom: [path],
  })
  if (result.kind !== 'files') throw new Error('expected a files result')
  expect(result.readFailures.length).toBeLessThanOrEqual(1)
  return result.readFailures[0]
}

/** The file descriptors of this process that are open on `path`. */
function descriptorsOn(path: string): string[] {
  return readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`) === path
    } catch {
      return false
    }
  })
}

describe('a files job reading what is not a plain file', () => {
  it('never follows a final symlink, even to a file of the planned size', async () => {
    await writeFile(join(dir, 'target.txt'), 'target')
    await symlink('target.txt', join(dir, 'link'))
    expect(readFailureOf(join(dir, 'link'), 6)?.message).toMatch(/ELOOP/)
  })

  it.runIf(onLinux)('reports a FIFO without a writer at once as no longer a regular file', () => {
    const fifo = join(dir, 'fifo')
    execFileSync('mkfifo', [fifo])
    // Opened without waiting for a writer; reading it finds no content.
    expect(readFailureOf(fifo, 10)).toEqual({ index: 0, message: 'it is no longer a regular file' })
  })

  it.runIf(onLinux)('reports devices as no longer regular files, empty or endless', () => {
    expect(readFailureOf('/dev/null', 10)).toEqual({
      index: 0,
      message: 'it is no longer a regular file',
    })
    expect(readFailureOf('/dev/zero', 10)).toEqual({
      index: 0,
      message: 'it is no longer a regular file',
    })
  })

  it.runIf(onLinux)(
    'reports at least the bytes read from a file whose size stat does not know',
    () => {
      // Files under /proc are regular files of size 0 to stat, yet have content.
      const content = readFileSync('/proc/version')
      expect(content.length).toBeGreaterThan(11)
      expect(readFailureOf('/proc/version', 10)).toEqual({ index: 0, actualSize: 11 })
      expect(readFailureOf('/proc/version', content.length + 100)).toEqual({
        index: 0,
        actualSize: content.length,
      })
    },
  )

  it.runIf(onLinux)('reports the system’s reason when a read fails', () => {
    // Reading a process's memory at address 0 fails with an I/O error.
    expect(readFailureOf('/proc/self/mem', 4)?.message).toMatch(/EIO/)
  })

  it.runIf(onLinux)('closes every file it opened, read or refused', async () => {
    const fine = join(dir, 'fine.txt')
    const grown = join(dir, 'grown.txt')
    await writeFile(fine, 'planned')
    await writeFile(grown, 'planned and more')
    expect(readFailureOf(fine, 7)).toBeUndefined()
    expect(readFailureOf(grown, 7)).toEqual({ index: 0, actualSize: 16 })
    expect(descriptorsOn(fine)).toEqual([])
    expect(descriptorsOn(grown)).toEqual([])
  })
})
