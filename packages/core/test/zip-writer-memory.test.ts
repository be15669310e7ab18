import { mkdir, mkdtemp, open, readFile, rm, truncate, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { plannedEntryFor } from '../src/plan/planned-entry.js'
import { createLocalFolderReader } from '../src/source/local-folder-reader.js'
import { runZipWriter } from '../src/zip/write/run-zip-writer.js'
import { ZipFileSink } from '../src/zip/write/zip-file-sink.js'
import {
  AUTO_ZIP_WRITER_TUNING,
  type ZipWriterMemoryUse,
} from '../src/zip/write/zip-writer-tuning.js'

let work: string
beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'packwright-zip-memory-'))
})
afterEach(async () => {
  await rm(work, { recursive: true, force: true })
})

describe('ZipFileSink', () => {
  it('copies short appends, so their buffers can be reused before the next flush', async () => {
    const path = join(work, 'sink.bin')
    const handle = await open(path, 'w')
    const sink = new ZipFileSink(handle)
    const released: number[] = []
    const expected: number[] = []
    for (let i = 0; i < 20; i++) {
      // A kilobyte of output at the start of a megabyte buffer, like a deflated piece of zeros.
      const buffer = new Uint8Array(1024 * 1024)
      const view = buffer.subarray(0, 1000).fill(i)
      expect(sink.append(view)).toBe(false)
      sink.afterFlush(() => released.push(i))
      // The caller reuses its buffer at once: what was appended must not change.
      buffer.fill(255)
      expected.push(...new Array<number>(1000).fill(i))
    }
    expect(released).toHaveLength(20)
    await sink.flush()
    await handle.close()
    expect([...(await readFile(path))]).toEqual(expected)
  })

  it('holds long appends until the flush that writes them', async () => {
    const path = join(work, 'sink.bin')
    const handle = await open(path, 'w')
    const sink = new ZipFileSink(handle)
    const released: string[] = []
    sink.append(new Uint8Array(10).fill(1))
    sink.append(new Uint8Array(100_000).fill(2))
    sink.afterFlush(() => released.push('long'))
    sink.append(new Uint8Array(10).fill(3))
    sink.afterFlush(() => released.push('short'))
    expect(released).toEqual(['short'])
    await sink.flush()
    await handle.close()
    expect(released).toEqual(['short', 'long'])
    const bytes = await readFile(path)
    expect(bytes.length).toBe(100_020)
    expect([bytes[0], bytes[10], bytes[100_009], bytes[100_010], bytes[100_019]]).toEqual([
      1, 2, 2, 3, 3,
    ])
  })
})

describe('zip writer memory', () => {
  const writeTree = async (threads: number): Promise<ZipWriterMemoryUse> => {
    const reader = await createLocalFolderReader(join(work, 'tree'))
    const entries = (await reader.list('')).map((entry) => plannedEntryFor(entry))
    let use: ZipWriterMemoryUse | undefined
    await runZipWriter(
      { entries, reader, outFile: join(work, `out-${threads}.zip`) },
      { ...AUTO_ZIP_WRITER_TUNING, threads, onMemoryUse: (seen) => (use = seen) },
    )
    return use as ZipWriterMemoryUse
  }

  it('reuses a bounded set of piece buffers on highly compressible data', async () => {
    // 64 MiB of zeros (sparse, so cheap): every 1 MiB piece deflates to about 1 KB.
    await mkdir(join(work, 'tree'))
    await writeFile(join(work, 'tree', 'zeros.bin'), '')
    await truncate(join(work, 'tree', 'zeros.bin'), 64 * 1024 * 1024)
    for (const threads of [0, 2]) {
      const use = await writeTree(threads)
      // The 4 MiB budget lets about 4 pieces run ahead, each with an input and an output buffer.
      expect(use.pieceBuffers, `${threads} threads`).toBeLessThanOrEqual(16)
    }
  })
})
