import { createHash } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  type MemoryFile,
  createMemorySourceReader,
  planMemoryFiles,
} from '../../../test/helpers/memory-source-reader.js'
import { incompressibleBytes } from '../../../test/helpers/incompressible-bytes.js'
import { PackwrightError } from '../../errors.js'
import { type PlannedEntry } from '../../plan/planned-entry.js'
import { type SourceReader } from '../../source/source-reader.js'
import { openZip } from '../read/open-zip.js'
import { type BufferPool } from './create-buffer-pool.js'
import { type EntryJobResult } from './entry-job-processor.js'
import { runZipWriter } from './run-zip-writer.js'
import { streamLargeEntry } from './stream-large-entry.js'
import { type WriterPiece } from './writer-piece.js'
import { type ZipWriterContext, createZipWriterContext } from './zip-writer-context.js'
import {
  AUTO_ZIP_WRITER_TUNING,
  STREAMED_ENTRY_THRESHOLD,
  STREAMED_ZIP64_THRESHOLD,
} from './zip-writer-tuning.js'

/** Large enough to be streamed: a 16 KiB probe, a 1 MiB piece and a short last piece. */
const LARGE = STREAMED_ENTRY_THRESHOLD + 1000

let work: string
beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'packwright-stream-large-'))
})
afterEach(async () => {
  await rm(work, { recursive: true, force: true })
})

/** Text that deflate shrinks a lot. */
const compressible = (size: number): Buffer => Buffer.alloc(size, 'streamed text, streamed text\n')

const fileEntry = (path: string, size: number): PlannedEntry => ({
  zipPath: path,
  sourcePath: path,
  kind: 'file',
  size,
  executable: false,
})

/** Writes `files` with the writer on the calling thread; returns each entry's method and content. */
async function writeAndRead(
  files: Readonly<Record<string, MemoryFile>>,
  reader: SourceReader = createMemorySourceReader(files),
) {
  const outFile = join(work, 'out.zip')
  const written = await runZipWriter(
    { entries: planMemoryFiles(files), reader, outFile },
    { ...AUTO_ZIP_WRITER_TUNING, threads: 0 },
  )
  const archive = await openZip(outFile)
  try {
    const read: Record<string, { method: number; content: Buffer }> = {}
    for (const entry of archive.entries) {
      const chunks: Buffer[] = []
      for await (const chunk of archive.openEntry(entry)) chunks.push(chunk as Buffer)
      read[entry.name] = { method: entry.method, content: Buffer.concat(chunks) }
    }
    return { written, read }
  } finally {
    await archive.close()
  }
}

function contextFor(reader: SourceReader, signal?: AbortSignal): ZipWriterContext {
  return createZipWriterContext({
    reader,
    signal,
    level: 6,
    threads: 0,
    tuning: AUTO_ZIP_WRITER_TUNING,
  })
}

/** Every piece queued so far, in order. */
async function drain(context: ZipWriterContext): Promise<WriterPiece[]> {
  context.queue.close()
  const pieces: WriterPiece[] = []
  for (;;) {
    const piece = await context.queue.shift()
    if (piece === undefined) return pieces
    pieces.push(piece)
  }
}

/** A pool that remembers which of its buffers are taken and not given back yet. */
function trackingPool(pool: BufferPool): { pool: BufferPool; out: Set<ArrayBufferLike> } {
  const out = new Set<ArrayBufferLike>()
  return {
    out,
    pool: {
      take(size) {
        const view = pool.take(size)
        out.add(view.buffer)
        return view
      },
      give(buffer) {
        out.delete(buffer)
        pool.give(buffer)
      },
      get created() {
        return pool.created
      },
    },
  }
}

function failureOf(error: unknown): PackwrightError {
  if (error instanceof PackwrightError) return error
  throw new Error(`expected a PackwrightError, got ${String(error)}`)
}

describe('streamLargeEntry through the writer', () => {
  it('deflates a large text file, and lists its size and digests', async () => {
    const content = compressible(LARGE)
    const { written, read } = await writeAndRead({ 'big.txt': content })
    expect(read['big.txt']?.method).toBe(8)
    expect(read['big.txt']?.content.equals(content)).toBe(true)
    expect(
      written.entries.toArray().map((entry) => [entry.path, entry.size, entry.sha1, entry.sha256]),
    ).toEqual([
      [
        'big.txt',
        LARGE,
        createHash('sha1').update(content).digest('hex'),
        createHash('sha256').update(content).digest('hex'),
      ],
    ])
  })

  it('stores a large file whose name says it is compressed already, even when deflate would shrink it', async () => {
    const content = compressible(LARGE)
    const { read } = await writeAndRead({ 'big.zip': content })
    expect(read['big.zip']?.method).toBe(0)
    expect(read['big.zip']?.content.equals(content)).toBe(true)
  })

  it('stores a large symlink target as it is, never deflated', async () => {
    const target = 'x'.repeat(LARGE)
    const { read } = await writeAndRead({ link: { symlink: target } })
    expect(read['link']?.method).toBe(0)
    expect(read['link']?.content.toString()).toBe(target)
  })

  it('reads a large file from its local path, and never asks for one for a symlink', async () => {
    const content = compressible(LARGE)
    await writeFile(join(work, 'big.txt'), content)
    const target = 'y'.repeat(LARGE)
    const files = { 'big.txt': content, link: { symlink: target } }
    const memory = createMemorySourceReader(files)
    const asked: string[] = []
    const reader: SourceReader = {
      ...memory,
      open: (path, options) => {
        if (path === 'big.txt') throw new Error('the local file is to be read directly')
        return memory.open(path, options)
      },
      localFilePath: (path) => {
        asked.push(path)
        return path === 'big.txt' ? join(work, 'big.txt') : undefined
      },
    }
    const { read } = await writeAndRead(files, reader)
    expect(asked).toEqual(['big.txt'])
    expect(read['big.txt']?.content.equals(content)).toBe(true)
    expect(read['link']?.content.toString()).toBe(target)
  })
})

describe('streamLargeEntry', () => {
  it('queues pieces that hold no job slot and give back every pooled buffer once written', async () => {
    const context = contextFor(createMemorySourceReader({ 'text.txt': compressible(LARGE) }))
    const tracked = trackingPool(context.pieceBuffers)
    const tracking: ZipWriterContext = { ...context, pieceBuffers: tracked.pool }
    await streamLargeEntry(tracking, fileEntry('text.txt', LARGE))
    const pieces = await drain(tracking)
    expect(pieces[0]?.segments.map((segment) => segment.kind)).toEqual(['header', 'data'])
    expect(pieces.map((piece) => piece.batchSlot)).toEqual([false, false, false, false])
    expect(pieces.map((piece) => piece.filesDone)).toEqual([0, 0, 0, 1])
    for (const piece of pieces) piece.afterWrite?.()
    expect(tracked.out.size).toBe(0)
  })

  it('keeps the output of a probe that did not shrink for reuse by a later piece', async () => {
    const context = contextFor(
      createMemorySourceReader({ 'noise.bin': incompressibleBytes(LARGE) }),
    )
    await streamLargeEntry(context, fileEntry('noise.bin', LARGE))
    const [first] = await drain(context)
    const header = first?.segments[0]
    expect(header?.kind === 'header' ? header.record.method : undefined).toBe(0)
    // The probe's piece, its output space, and the 1 MiB piece; the last 1000
    // bytes fit in the probe's output, which went back to the pool.
    expect(context.pieceBuffers.created).toBe(3)
  })

  it('gives an entry planned at the ZIP64 threshold a ZIP64 local header, one byte less none', async () => {
    const probe = compressible(16 * 1024)
    const reader = createMemorySourceReader({ 'huge.txt': probe })
    const zip64Of = async (size: number) => {
      const context = contextFor(reader)
      // The source ends after its first piece: the header is queued, then the read fails.
      const failure = await streamLargeEntry(context, fileEntry('huge.txt', size)).catch(
        (error: unknown) => error,
      )
      expect(failureOf(failure).code).toBe('ZIP_SOURCE_CHANGED')
      const [first] = await drain(context)
      const header = first?.segments[0]
      if (header?.kind !== 'header') throw new Error('expected a header first')
      return header.record.zip64Local
    }
    expect(await zip64Of(STREAMED_ZIP64_THRESHOLD)).toBe(true)
    expect(await zip64Of(STREAMED_ZIP64_THRESHOLD - 1)).toBe(false)
  })

  it('hands the run’s signal to the read, so an abort ends a read that waits on its source', async () => {
    const controller = new AbortController()
    let openedWith: AbortSignal | undefined
    const reader: SourceReader = {
      ...createMemorySourceReader({}),
      open: (_path, options) => {
        openedWith = options?.signal
        const stream = new Readable({ read: () => undefined })
        // The first piece, then nothing more: the source hangs.
        stream.push(compressible(16 * 1024))
        return stream
      },
    }
    const context = contextFor(reader, controller.signal)
    const streaming = streamLargeEntry(context, fileEntry('slow.txt', LARGE)).catch(
      (error: unknown) => error,
    )
    await context.queue.shift()
    expect(openedWith).toBe(context.signal)
    context.abortReads(new Error('the caller stopped'))
    expect(await streaming).toMatchObject({ name: 'AbortError' })
  })

  it('fails with SOURCE_READ_FAILED when the reader cannot open the source', async () => {
    const reader: SourceReader = {
      ...createMemorySourceReader({}),
      open: () => {
        throw new Error('disk gone')
      },
    }
    const failure = await streamLargeEntry(contextFor(reader), fileEntry('gone.txt', LARGE)).catch(
      (error: unknown) => error,
    )
    expect(failureOf(failure).code).toBe('SOURCE_READ_FAILED')
    expect(failureOf(failure).message).toBe(
      'Could not read "gone.txt" from memory source: disk gone',
    )
  })

  it('refuses an entry that yields no piece at all with ZIP_SOURCE_CHANGED', async () => {
    const reader = createMemorySourceReader({ 'empty.txt': '' })
    const failure = await streamLargeEntry(contextFor(reader), fileEntry('empty.txt', 0)).catch(
      (error: unknown) => error,
    )
    expect(failureOf(failure).code).toBe('ZIP_SOURCE_CHANGED')
    expect(failureOf(failure).message).toBe(
      'Source "empty.txt" changed while it was packaged: expected 0 bytes, read 0.',
    )
  })

  it('fails when the job runner answers a piece with anything but a chunk', async () => {
    const reader = createMemorySourceReader({ 'text.txt': compressible(LARGE) })
    /** A runner that answers job number `wrongAt` (0-based) with a result of the wrong kind. */
    const contextAnsweringWrongAt = (wrongAt: number): ZipWriterContext => {
      const context = contextFor(reader)
      let jobs = 0
      return {
        ...context,
        runner: {
          threads: 0,
          close: () => context.runner.close(),
          run: async (job) => {
            const result = await context.runner.run(job)
            return jobs++ === wrongAt ? ({ ...result, kind: 'files' } as EntryJobResult) : result
          },
        },
      }
    }
    // The probe: the entry's read fails with the runner's error.
    const probeFailure = await streamLargeEntry(
      contextAnsweringWrongAt(0),
      fileEntry('text.txt', LARGE),
    ).catch((error: unknown) => error)
    expect(failureOf(probeFailure).message).toMatch(/: unexpected job result$/)
    // A later piece: its queued piece fails.
    const later = contextAnsweringWrongAt(1)
    await streamLargeEntry(later, fileEntry('text.txt', LARGE))
    await later.queue.shift()
    await expect(later.queue.shift()).rejects.toThrow('unexpected job result')
  })
})
