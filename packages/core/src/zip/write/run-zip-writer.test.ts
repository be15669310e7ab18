import { createHash } from 'node:crypto'
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  type MemoryFile,
  createMemorySourceReader,
  planMemoryFiles,
} from '../../../test/helpers/memory-source-reader.js'
import { isPackwrightError } from '../../errors.js'
import { type Logger } from '../../logger.js'
import { openZip } from '../read/open-zip.js'
import { runZipWriter } from './run-zip-writer.js'
import { type WriteZipOptions, type WriteZipProgress } from './write-zip-options.js'
import {
  AUTO_ZIP_WRITER_TUNING,
  type ZipWriterMemoryUse,
  type ZipWriterTuning,
} from './zip-writer-tuning.js'

let work: string
beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'packwright-run-writer-'))
})
afterEach(async () => {
  await rm(work, { recursive: true, force: true })
})

const TREE: Record<string, MemoryFile> = {
  'docs/readme.md': '# Title\n\nSome text that deflate can shrink, shrink, shrink, shrink.\n',
  'docs/img/logo.png': 'not really a png',
  'bin/run.sh': { content: '#!/bin/sh\necho hi\n', executable: true },
  link: { symlink: 'docs/readme.md' },
  'empty.txt': '',
}

function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = []
  return {
    lines,
    debug: (message) => lines.push(`debug: ${message}`),
    info: (message) => lines.push(`info: ${message}`),
    warn: (message) => lines.push(`warn: ${message}`),
  }
}

/** Every entry of the zip at `path` as name → content (folders: ''), read back through openZip. */
async function contents(path: string): Promise<Record<string, string>> {
  const archive = await openZip(path)
  try {
    const out: Record<string, string> = {}
    for (const entry of archive.entries) {
      const chunks: Buffer[] = []
      for await (const chunk of archive.openEntry(entry)) chunks.push(chunk as Buffer)
      out[entry.name] = Buffer.concat(chunks).toString('utf8')
    }
    return out
  } finally {
    await archive.close()
  }
}

const EXPECTED_CONTENTS = {
  'bin/': '',
  'bin/run.sh': '#!/bin/sh\necho hi\n',
  'docs/': '',
  'docs/img/': '',
  'docs/img/logo.png': 'not really a png',
  'docs/readme.md': '# Title\n\nSome text that deflate can shrink, shrink, shrink, shrink.\n',
  'empty.txt': '',
  link: 'docs/readme.md',
}

async function write(
  overrides: Partial<WriteZipOptions> = {},
  tuning: Partial<ZipWriterTuning> = {},
  files: Readonly<Record<string, MemoryFile>> = TREE,
) {
  return runZipWriter(
    {
      entries: planMemoryFiles(files),
      reader: createMemorySourceReader(files),
      outFile: join(work, 'out.zip'),
      ...overrides,
    },
    { ...AUTO_ZIP_WRITER_TUNING, threads: 0, ...tuning },
  )
}

describe('runZipWriter', () => {
  it('logs what it writes, reports progress to the totals and the pooled memory it used', async () => {
    const logger = recordingLogger()
    const progress: WriteZipProgress[] = []
    let memory: ZipWriterMemoryUse | undefined
    const outFile = join(work, 'out.zip')
    const written = await write(
      { logger, onProgress: (update) => progress.push({ ...update }) },
      { onMemoryUse: (use) => (memory = use) },
    )
    const bytes = await readFile(outFile)
    const sha256 = createHash('sha256').update(bytes).digest('hex')
    const total = 68 + 16 + 18 + 14
    expect(logger.lines).toEqual([
      `debug: Writing 5 files (${total} bytes, 3 folders) to ${outFile} at level 6 with 0 worker threads.`,
      `info: Wrote ${outFile}: ${bytes.length} bytes, 5 files, sha256 ${sha256}.`,
    ])
    expect(written).toMatchObject({ path: outFile, size: bytes.length, sha256, fileCount: 5 })
    expect(progress.at(-1)).toEqual({
      filesDone: 5,
      filesTotal: 5,
      bytesDone: total,
      bytesTotal: total,
    })
    // One job of whole entries: one buffer for their content and one for the deflated output.
    expect(memory).toEqual({ batchBuffers: 2, pieceBuffers: 0 })
    expect(await contents(outFile)).toEqual(EXPECTED_CONTENTS)
  })

  it('reports progress as pieces are written, not only at the end', async () => {
    const progress: WriteZipProgress[] = []
    await write({ onProgress: (update) => progress.push({ ...update }) }, { batchEntries: 1 })
    // The first piece is always reported; the last report is forced.
    expect(progress.length).toBeGreaterThanOrEqual(2)
    expect(progress[0]?.filesDone).toBeLessThan(5)
    expect(progress.at(-1)?.filesDone).toBe(5)
  })

  it('writes the same bytes with jobs of one entry and a budget of one byte', async () => {
    const usual = await write({ outFile: join(work, 'usual.zip') })
    const tiny = await write(
      { outFile: join(work, 'tiny.zip') },
      { batchEntries: 1, batchBytes: 1, budgetBytes: 1, batchesInFlight: 1 },
    )
    expect(tiny.sha256).toBe(usual.sha256)
    expect(await contents(join(work, 'tiny.zip'))).toEqual(EXPECTED_CONTENTS)
  })

  it('takes the timestamp from the options, else from the reader, else 1980-01-01', async () => {
    const stamp = async (options: Partial<WriteZipOptions>, name: string) => {
      const written = await write({ outFile: join(work, name), ...options })
      const bytes = await readFile(join(work, name))
      // DOS time and date of the first local header.
      return [written.sourceDateEpoch, bytes.readUInt16LE(10), bytes.readUInt16LE(12)]
    }
    const withReader = createMemorySourceReader(TREE, { sourceDateEpoch: 1_600_000_000 })
    expect(await stamp({ sourceDateEpoch: 1_700_000_000, reader: withReader }, 'a.zip')).toEqual([
      1_700_000_000, 0xb1aa, 0x576e,
    ])
    expect(await stamp({ reader: withReader }, 'b.zip')).toEqual([1_600_000_000, 0x6354, 0x512d])
    expect(await stamp({}, 'c.zip')).toEqual([315_532_800, 0, 0x21])
  })

  it('fails with ZIP_WRITE_FAILED naming the file when its folder cannot be made', async () => {
    const outFile = join(work, 'empty.txt', 'out.zip')
    await write({ outFile: join(work, 'empty.txt') })
    const failure = await write({ outFile }).catch((error: unknown) => error)
    expect(isPackwrightError(failure, 'ZIP_WRITE_FAILED')).toBe(true)
    expect((failure as Error).message).toMatch(
      /^Could not create ".*\.out\.zip\.[0-9a-f]{12}\.partial" next to the package zip: /,
    )
    expect((failure as { details?: unknown }).details).toEqual({ path: outFile })
    expect(await readdir(work)).toEqual(['empty.txt'])
  })

  it('wraps an unexpected failure in ZIP_WRITE_FAILED and leaves nothing behind', async () => {
    const outFile = join(work, 'out.zip')
    const failure = await write({
      outFile,
      onProgress: () => {
        throw new Error('progress display broke')
      },
    }).catch((error: unknown) => error)
    expect(isPackwrightError(failure, 'ZIP_WRITE_FAILED')).toBe(true)
    expect((failure as Error).message).toBe(
      `Could not write the package zip ${JSON.stringify(outFile)}: progress display broke`,
    )
    expect((failure as { details?: unknown }).details).toEqual({ path: outFile })
    expect(await readdir(work)).toEqual([])
  })

  it('fails with ABORTED when the caller aborts just as another failure stops the run', async () => {
    const controller = new AbortController()
    const failure = await write({
      signal: controller.signal,
      // The abort stops the run first, but the error that reaches the writer is this one.
      onProgress: () => {
        controller.abort()
        throw new Error('progress display broke')
      },
    }).catch((error: unknown) => error)
    expect(isPackwrightError(failure, 'ABORTED')).toBe(true)
    expect(await readdir(work)).toEqual([])
  })
})
