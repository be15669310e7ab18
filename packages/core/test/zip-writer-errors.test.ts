import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type ErrorCode, isPackwrightError } from '../src/errors.js'
import { type PlannedEntry } from '../src/plan/planned-entry.js'
import { type SourceReader } from '../src/source/source-reader.js'
import { runZipWriter } from '../src/zip/write/run-zip-writer.js'
import { AUTO_ZIP_WRITER_TUNING } from '../src/zip/write/zip-writer-tuning.js'
import {
  type WriteZipOptions,
  writeDeterministicZip,
} from '../src/zip/write/write-deterministic-zip.js'
import { createMemorySourceReader } from './helpers/memory-source-reader.js'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'packwright-zip-errors-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

const file = (zipPath: string, size: number, extra: Partial<PlannedEntry> = {}): PlannedEntry => ({
  zipPath,
  sourcePath: zipPath,
  kind: 'file',
  size,
  executable: false,
  ...extra,
})

async function expectFailure(
  options: Partial<WriteZipOptions> & Pick<WriteZipOptions, 'entries' | 'reader'>,
  code: ErrorCode,
  threads: number | 'auto' = 'auto',
): Promise<Error> {
  const outFile = options.outFile ?? join(dir, 'out.zip')
  let caught: unknown
  try {
    await runZipWriter({ ...options, outFile }, { ...AUTO_ZIP_WRITER_TUNING, threads })
  } catch (error) {
    caught = error
  }
  expect(isPackwrightError(caught) ? caught.code : caught).toBe(code)
  // Nothing is left behind: no zip, no temporary file.
  expect(await readdir(dir)).toEqual([])
  return caught as Error
}

const reader = createMemorySourceReader({ 'a.txt': 'alpha', 'b.txt': 'bravo' })

describe('writeDeterministicZip failures', () => {
  it('rejects invalid paths before writing anything', async () => {
    for (const bad of ['../escape.txt', '/etc/passwd', 'a\\b.txt', 'a//b', 'nul\0.txt']) {
      const error = await expectFailure(
        { entries: [file('a.txt', 5), file(bad, 5, { sourcePath: 'b.txt' })], reader },
        'ZIP_PATH_INVALID',
      )
      expect(error.message).toContain('Invalid package path')
    }
  })

  it('rejects duplicate names and a file that is also a folder', async () => {
    await expectFailure(
      { entries: [file('a.txt', 5), file('a.txt', 5, { sourcePath: 'b.txt' })], reader },
      'ZIP_DUPLICATE_ENTRY',
    )
    const error = await expectFailure(
      { entries: [file('a.txt', 5), file('a.txt/inner', 5, { sourcePath: 'b.txt' })], reader },
      'ZIP_DUPLICATE_ENTRY',
    )
    expect(error.message).toContain('needs it to be a folder')
  })

  it('rejects an invalid compression level or timestamp with INVALID_ARGUMENT', async () => {
    for (const compressionLevel of [-1, 10, 2.5]) {
      await expectFailure(
        { entries: [file('a.txt', 5)], reader, compressionLevel },
        'INVALID_ARGUMENT',
      )
    }
    await expectFailure(
      { entries: [file('a.txt', 5)], reader, sourceDateEpoch: Number.NaN },
      'INVALID_ARGUMENT',
    )
  })

  it('fails with ZIP_SOURCE_CHANGED when a whole file is shorter or longer than planned', async () => {
    for (const threads of [0, 2]) {
      await expectFailure({ entries: [file('a.txt', 6)], reader }, 'ZIP_SOURCE_CHANGED', threads)
      const error = await expectFailure(
        { entries: [file('b.txt', 4)], reader },
        'ZIP_SOURCE_CHANGED',
        threads,
      )
      expect(error.message).toContain('expected 4 bytes, read 5')
    }
  })

  it('fails with ZIP_SOURCE_CHANGED when a streamed file is shorter or longer than planned', async () => {
    const big = createMemorySourceReader({ 'big.log': 'x'.repeat(1_500_000) })
    await expectFailure(
      { entries: [file('big.log', 1_600_000)], reader: big },
      'ZIP_SOURCE_CHANGED',
    )
    await expectFailure(
      { entries: [file('big.log', 1_400_000)], reader: big },
      'ZIP_SOURCE_CHANGED',
    )
  })

  it('reports a reader failure as SOURCE_READ_FAILED naming the path', async () => {
    const error = await expectFailure(
      { entries: [file('missing.txt', 3)], reader },
      'SOURCE_READ_FAILED',
    )
    expect(error.message).toContain('"missing.txt"')
  })

  it('fails with ZIP_WRITE_FAILED when the zip cannot be created', async () => {
    const blocker = join(dir, 'not-a-folder')
    await writeFile(blocker, 'x')
    let caught: unknown
    try {
      await writeDeterministicZip({
        entries: [file('a.txt', 5)],
        reader,
        outFile: join(blocker, 'out.zip'),
      })
    } catch (error) {
      caught = error
    }
    expect(isPackwrightError(caught, 'ZIP_WRITE_FAILED')).toBe(true)
    expect(await readdir(dir)).toEqual(['not-a-folder'])
  })

  it('rejects with ABORTED when the signal is already aborted', async () => {
    await expectFailure(
      { entries: [file('a.txt', 5)], reader, signal: AbortSignal.abort() },
      'ABORTED',
    )
  })

  it('rejects with ABORTED and removes the temporary file when aborted while writing', async () => {
    for (const threads of [0, 2]) {
      const controller = new AbortController()
      const files: Record<string, string> = {}
      for (let i = 0; i < 300; i++)
        files[`f${String(i).padStart(3, '0')}.txt`] = `content ${i}\n`.repeat(400)
      const inner = createMemorySourceReader(files)
      let reads = 0
      const aborting: SourceReader = {
        ...inner,
        readBytes: (path, options) => {
          if (++reads === 150) controller.abort()
          return inner.readBytes(path, options)
        },
      }
      const entries = Object.entries(files).map(([path, content]) => file(path, content.length))
      await expectFailure(
        { entries, reader: aborting, signal: controller.signal },
        'ABORTED',
        threads,
      )
    }
  })

  it('rejects with ABORTED when aborted while streaming a large file', async () => {
    const controller = new AbortController()
    const size = 8 * 1024 * 1024
    const streaming: SourceReader = {
      ...createMemorySourceReader({}),
      open: () =>
        Readable.from(
          (function* () {
            for (let sent = 0; sent < size; sent += 65_536) {
              if (sent === 2 * 1024 * 1024) controller.abort()
              yield Buffer.alloc(65_536, 97)
            }
          })(),
        ),
    }
    await expectFailure(
      { entries: [file('big.txt', size)], reader: streaming, signal: controller.signal },
      'ABORTED',
      2,
    )
  })
})
