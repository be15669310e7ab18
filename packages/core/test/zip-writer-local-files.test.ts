import { randomBytes } from 'node:crypto'
import { appendFile, mkdir, mkdtemp, readdir, rm, unlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { isPackwrightError } from '../src/errors.js'
import { plannedEntryFor } from '../src/plan/planned-entry.js'
import { createLocalFolderReader } from '../src/source/local-folder-reader.js'
import type { SourceReader } from '../src/source/source-reader.js'
import { writeDeterministicZip } from '../src/zip/write/write-deterministic-zip.js'
import { createMemorySourceReader } from './helpers/memory-source-reader.js'

// Enough content that the writer starts worker threads, which then read the
// local files themselves.
const FILES: Record<string, Buffer> = {}
for (let i = 0; i < 60; i++) {
  FILES[`src/module-${String(i).padStart(2, '0')}.js`] = Buffer.from(
    `export const value${i} = ${JSON.stringify(randomBytes(40).toString('hex'))}\n`.repeat(1200),
  )
}
FILES['assets/noise.bin'] = randomBytes(300_000)

let work: string
beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'packwright-local-zip-'))
  for (const [path, bytes] of Object.entries(FILES)) {
    await mkdir(join(work, 'tree', path, '..'), { recursive: true })
    await writeFile(join(work, 'tree', path), bytes)
  }
})
afterEach(async () => {
  await rm(work, { recursive: true, force: true })
})

async function write(reader: SourceReader, outFile: string) {
  const entries = (await reader.list('')).map((entry) => plannedEntryFor(entry))
  return writeDeterministicZip({ entries, reader, outFile, sourceDateEpoch: 1_600_000_000 })
}

describe('writeDeterministicZip over a local folder', () => {
  it('writes the same bytes whether workers read the files or the reader hands them over', async () => {
    const local = await createLocalFolderReader(join(work, 'tree'))
    expect(local.localFilePath?.('src/module-00.js')).toBe(join(work, 'tree', 'src/module-00.js'))
    const fromDisk = await write(local, join(work, 'disk.zip'))
    const fromMemory = await write(createMemorySourceReader(FILES), join(work, 'memory.zip'))
    expect(fromDisk.sha256).toBe(fromMemory.sha256)
    expect(fromDisk.fileCount).toBe(Object.keys(FILES).length)
  })

  it('fails with ZIP_SOURCE_CHANGED when a file grows after it was listed, leaving nothing behind', async () => {
    const reader = await createLocalFolderReader(join(work, 'tree'))
    const entries = (await reader.list('')).map((entry) => plannedEntryFor(entry))
    await appendFile(join(work, 'tree', 'src/module-07.js'), 'more\n')
    const failure = await writeDeterministicZip({
      entries,
      reader,
      outFile: join(work, 'out.zip'),
    }).catch((error: unknown) => error)
    expect(isPackwrightError(failure, 'ZIP_SOURCE_CHANGED')).toBe(true)
    expect((failure as Error).message).toContain('src/module-07.js')
    expect((await readdir(work)).filter((name) => name.includes('out.zip'))).toEqual([])
  })

  it('fails with SOURCE_READ_FAILED when a listed file is gone', async () => {
    const reader = await createLocalFolderReader(join(work, 'tree'))
    const entries = (await reader.list('')).map((entry) => plannedEntryFor(entry))
    await unlink(join(work, 'tree', 'src/module-42.js'))
    const failure = await writeDeterministicZip({
      entries,
      reader,
      outFile: join(work, 'out.zip'),
    }).catch((error: unknown) => error)
    expect(isPackwrightError(failure, 'SOURCE_READ_FAILED')).toBe(true)
    expect((failure as Error).message).toContain('src/module-42.js')
  })
})
