import { appendFile, mkdir, mkdtemp, readdir, rm, unlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import {
  createMemorySourceReader,
  planMemoryFiles,
} from '../../../test/helpers/memory-source-reader.js'
import { isPackwrightError } from '../../errors.js'
import { type PlannedEntry, plannedEntryFor } from '../../plan/planned-entry.js'
import { createLocalFolderReader } from '../../source/local-folder-reader.js'
import { type SourceReader } from '../../source/source-reader.js'
import { runZipWriter } from './run-zip-writer.js'
import { type WriteZipOptions, type WriteZipProgress } from './write-zip-options.js'
import {
  AUTO_ZIP_WRITER_TUNING,
  type ZipWriterMemoryUse,
  type ZipWriterTuning,
} from './zip-writer-tuning.js'

let work: string
beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'packwright-pieces-order-'))
})
afterEach(async () => {
  vi.useRealTimers()
  await rm(work, { recursive: true, force: true })
})

const FILES: Record<string, string> = {
  'a.txt': 'alpha '.repeat(50),
  'b.txt': 'bravo '.repeat(50),
  'c/d.txt': 'charlie '.repeat(50),
  'c/e.txt': 'delta '.repeat(50),
}

function entriesOf(files: Record<string, string>): PlannedEntry[] {
  return Object.entries(files).map(([path, text]) => ({
    zipPath: path,
    sourcePath: path,
    kind: 'file',
    size: Buffer.byteLength(text),
    executable: false,
  }))
}

function run(
  options: Partial<WriteZipOptions> & Pick<WriteZipOptions, 'entries' | 'reader'>,
  tuning: Partial<ZipWriterTuning> = {},
) {
  return runZipWriter(
    { outFile: join(work, 'out.zip'), ...options },
    { ...AUTO_ZIP_WRITER_TUNING, threads: 0, ...tuning },
  )
}

describe('progress', () => {
  it('is reported at most every 100 ms while writing, and once more at the end', async () => {
    vi.useFakeTimers({ toFake: ['performance'] })
    vi.setSystemTime(0)
    const inner = createMemorySourceReader(FILES)
    const reads: string[] = []
    // Each read moves the clock: by exactly 100 ms for b.txt and d.txt, by 99 ms for the others.
    const reader: SourceReader = {
      ...inner,
      readBytes: (path, options) => {
        reads.push(path)
        vi.advanceTimersByTime(path === 'b.txt' || path === 'c/d.txt' ? 100 : 99)
        return inner.readBytes(path, options)
      },
    }
    const progress: WriteZipProgress[] = []
    await run(
      { entries: entriesOf(FILES), reader, onProgress: (update) => progress.push({ ...update }) },
      { batchEntries: 1, batchesInFlight: 1, budgetBytes: 1 },
    )
    expect(reads).toEqual(['a.txt', 'b.txt', 'c/d.txt', 'c/e.txt'])
    // One job at a time, each read and written before the next is read. At 99 ms (a.txt) it
    // is under 100 ms since the start: no report. At 199 ms (b.txt) and at exactly 100 ms
    // later (c/d.txt) a report each; at 99 ms later (c/e.txt) none, then the forced last one.
    expect(progress.map((update) => update.filesDone)).toEqual([2, 3, 4])
    expect(progress.at(-1)).toEqual({
      filesDone: 4,
      filesTotal: 4,
      bytesDone: 1300,
      bytesTotal: 1300,
    })
  })
})

describe('resource list', () => {
  it('gives a symlink the target it was written with, planned or read', async () => {
    const files = { 'a.txt': 'alpha', planned: { symlink: 'a.txt' }, read: { symlink: 'c/d.txt' } }
    // "read" is planned without its target: the writer learns it from the reader.
    const withoutTarget = ({ linkTarget: _learned, ...entry }: PlannedEntry): PlannedEntry => entry
    const entries = planMemoryFiles(files).map((entry) =>
      entry.zipPath === 'read' ? withoutTarget(entry) : entry,
    )
    const written = await run({ entries, reader: createMemorySourceReader(files) })
    const listed = written.entries.toArray()
    expect(listed.map((entry) => [entry.path, entry.mode])).toEqual([
      ['a.txt', '644'],
      ['planned', '777'],
      ['read', '777'],
    ])
    expect([0, 1, 2].map((index) => written.entries.linkTargetAt(index))).toEqual([
      undefined,
      'a.txt',
      'c/d.txt',
    ])
  })
})

describe('prepareEntryBatch', () => {
  it('fails with ZIP_SOURCE_CHANGED when a symlink target is not the planned size', async () => {
    const reader = createMemorySourceReader({ link: { symlink: 'target.txt' } })
    const entries: PlannedEntry[] = [
      {
        zipPath: 'link',
        sourcePath: 'link',
        kind: 'symlink',
        size: 5,
        executable: false,
        linkTarget: 'target.txt',
      },
    ]
    const failure = await run({ entries, reader }).catch((error: unknown) => error)
    expect(isPackwrightError(failure, 'ZIP_SOURCE_CHANGED')).toBe(true)
    expect((failure as Error).message).toContain('expected 5 bytes, read 10')
    expect(await readdir(work)).toEqual([])
  })

  it('takes one buffer per job when nothing deflates, two when something does', async () => {
    const memoryUse = async (level: number) => {
      let use: ZipWriterMemoryUse | undefined
      await run(
        {
          entries: entriesOf(FILES),
          reader: createMemorySourceReader(FILES),
          compressionLevel: level,
          outFile: join(work, `${level}.zip`),
        },
        { onMemoryUse: (seen) => (use = seen) },
      )
      return use
    }
    expect(await memoryUse(0)).toEqual({ batchBuffers: 1, pieceBuffers: 0 })
    expect(await memoryUse(6)).toEqual({ batchBuffers: 2, pieceBuffers: 0 })
  })

  it('writes a local folder read on the calling thread to the same bytes as from memory', async () => {
    const tree = join(work, 'tree')
    for (const [path, text] of Object.entries(FILES)) {
      await mkdir(join(tree, path, '..'), { recursive: true })
      await writeFile(join(tree, path), text)
    }
    const local = await createLocalFolderReader(tree)
    const entries = (await local.list('')).map((entry) => plannedEntryFor(entry))
    const fromDisk = await run({ entries, reader: local, outFile: join(work, 'disk.zip') })
    const fromMemory = await run({
      entries: entriesOf(FILES),
      reader: createMemorySourceReader(FILES),
      outFile: join(work, 'memory.zip'),
    })
    expect(fromDisk.sha256).toBe(fromMemory.sha256)

    await appendFile(join(tree, 'c/d.txt'), 'more')
    const grown = await run({ entries, reader: local, outFile: join(work, 'grown.zip') }).catch(
      (error: unknown) => error,
    )
    expect(isPackwrightError(grown, 'ZIP_SOURCE_CHANGED')).toBe(true)
    expect((grown as Error).message).toContain(`expected 400 bytes, read 404`)

    await unlink(join(tree, 'b.txt'))
    const gone = await run({ entries, reader: local, outFile: join(work, 'gone.zip') }).catch(
      (error: unknown) => error,
    )
    expect(isPackwrightError(gone, 'SOURCE_READ_FAILED')).toBe(true)
    expect((gone as Error).message).toContain('"b.txt"')
  })
})
