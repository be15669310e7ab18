import { createHash } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { crc32, inflateRawSync } from 'node:zlib'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  type MemoryFile,
  createMemorySourceReader,
  planMemoryFiles,
} from '../../../test/helpers/memory-source-reader.js'
import { isPackwrightError } from '../../errors.js'
import { type PlannedEntry } from '../../plan/planned-entry.js'
import { type SourceReader } from '../../source/source-reader.js'
import { METHOD_DEFLATE, METHOD_STORE } from '../zip-constants.js'
import { type EntryJobRunner } from './create-entry-job-runner.js'
import { DIGESTS_BYTES, type EntryJob, type EntryJobResult } from './entry-job-processor.js'
import { type ZipLayoutItem } from './plan-zip-layout.js'
import { prepareEntryBatch } from './prepare-entry-batch.js'
import { type WriterPiece } from './writer-piece.js'
import { type ZipWriterContext, createZipWriterContext } from './zip-writer-context.js'
import { AUTO_ZIP_WRITER_TUNING } from './zip-writer-tuning.js'

let work: string
beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'packwright-entry-batch-'))
})
afterEach(async () => {
  await rm(work, { recursive: true, force: true })
})

interface BatchContextOptions {
  readonly level?: number
  readonly signal?: AbortSignal
  /** Replaces the job runner; gets the real one (jobs on the calling thread). */
  readonly runner?: (real: EntryJobRunner) => EntryJobRunner
}

/** A writer context over `reader` whose jobs run on the calling thread. */
function batchContext(reader: SourceReader, options: BatchContextOptions = {}): ZipWriterContext {
  const context = createZipWriterContext({
    reader,
    signal: options.signal,
    level: options.level ?? 6,
    threads: 0,
    tuning: AUTO_ZIP_WRITER_TUNING,
  })
  return options.runner === undefined
    ? context
    : { ...context, runner: options.runner(context.runner) }
}

/** A runner that passes jobs to `real` and keeps each job it was given. */
function recordingRunner(jobs: EntryJob[]): (real: EntryJobRunner) => EntryJobRunner {
  return (real) => ({
    threads: real.threads,
    run: (job) => {
      jobs.push(job)
      return real.run(job)
    },
    close: () => real.close(),
  })
}

/** A runner whose every job ends with `result` (built from the job). */
function answeringRunner(result: (job: EntryJob) => EntryJobResult) {
  return (real: EntryJobRunner): EntryJobRunner => ({
    threads: real.threads,
    run: (job) => Promise.resolve(result(job)),
    close: () => real.close(),
  })
}

/** The reader of `files`, with `readBytes` refused for the paths in `unreadable`. */
function readerRefusing(
  files: Readonly<Record<string, MemoryFile>>,
  unreadable: readonly string[],
): SourceReader {
  const inner = createMemorySourceReader(files)
  return {
    ...inner,
    readBytes: (path, options) =>
      unreadable.includes(path)
        ? Promise.reject(new Error(`${path} must not be read through readBytes`))
        : inner.readBytes(path, options),
  }
}

const sizeOf = (items: readonly ZipLayoutItem[]) =>
  items.reduce((sum, item) => sum + (item.kind === 'directory' ? 0 : item.size), 0)

const folder = (zipPath: string): ZipLayoutItem => ({ kind: 'directory', zipPath })

/** Each entry's content as written: stored bytes as they are, deflated bytes inflated. */
function writtenContents(piece: WriterPiece): Record<string, string> {
  const out: Record<string, string> = {}
  const segments = piece.segments
  for (let at = 0; at < segments.length; at++) {
    const header = segments[at]
    if (header?.kind !== 'header' || header.record.isDirectory) continue
    const data = segments[at + 1]
    if (data?.kind !== 'data') throw new Error('a file header without its data')
    const bytes =
      header.record.method === METHOD_DEFLATE ? inflateRawSync(data.bytes) : Buffer.from(data.bytes)
    out[header.record.name.toString('utf8')] = bytes.toString('utf8')
  }
  return out
}

const NOTES = 'notes that shrink, notes that shrink, notes that shrink\n'.repeat(8)
const IMAGE = 'p'.repeat(400)
const OTHER = 'other text that shrinks too, other text that shrinks too\n'.repeat(4)
// A target long and repetitive enough that deflate would shrink it.
const TARGET = `${'deep/'.repeat(40)}target.txt`

const MIXED: Record<string, MemoryFile> = {
  'a/image.png': IMAGE,
  'a/notes.txt': NOTES,
  'b.txt': OTHER,
  link: { symlink: TARGET },
}

describe('prepareEntryBatch', () => {
  it('deflates text, stores a .png and a symlink however well they would shrink, folders as headers', async () => {
    const asked: string[] = []
    const reader: SourceReader = {
      ...readerRefusing(MIXED, ['link']),
      localFilePath: (path) => {
        asked.push(path)
        return undefined
      },
    }
    const jobs: EntryJob[] = []
    const context = batchContext(reader, { runner: recordingRunner(jobs) })
    const items = [folder('a/'), ...planMemoryFiles(MIXED)]
    const size = sizeOf(items)
    const piece = await prepareEntryBatch(context, items, size)

    expect(asked).toEqual(['a/image.png', 'a/notes.txt', 'b.txt'])
    expect(jobs).toHaveLength(1)
    const job = jobs[0]
    expect(job?.kind).toBe('files')
    if (job?.kind !== 'files') return
    expect(job.lengths).toEqual([IMAGE.length, NOTES.length, OTHER.length, TARGET.length])
    expect(job.deflate).toEqual([false, true, true, false])
    // Nothing is local: the job reads nothing itself.
    expect('readFrom' in job).toBe(false)
    expect(job.output?.length).toBe(size)

    expect(piece.segments.map((segment) => segment.kind)).toEqual([
      'header',
      ...['header', 'data', 'header', 'data', 'header', 'data', 'header', 'data'],
    ])
    const records = piece.segments.flatMap((segment) =>
      segment.kind === 'header' ? [segment.record] : [],
    )
    expect(
      records.map((record) => [record.name.toString(), record.method, record.uncompressedSize]),
    ).toEqual([
      ['a/', METHOD_STORE, 0],
      ['a/image.png', METHOD_STORE, IMAGE.length],
      ['a/notes.txt', METHOD_DEFLATE, NOTES.length],
      ['b.txt', METHOD_DEFLATE, OTHER.length],
      ['link', METHOD_STORE, TARGET.length],
    ])
    // Whole entries: sizes in the local header, no data descriptor, no ZIP64 fields.
    expect(records.filter((record) => record.dataDescriptor || record.zip64Local)).toEqual([])
    const texts = [IMAGE, NOTES, OTHER, TARGET]
    expect(records.slice(1).map((record) => record.crc32)).toEqual(texts.map((text) => crc32(text)))
    for (let at = 1; at < piece.segments.length; at += 2) {
      const [header, data] = [piece.segments[at], piece.segments[at + 1]]
      if (header?.kind !== 'header' || data?.kind !== 'data') throw new Error('out of order')
      expect(header.record.compressedSize).toBe(data.bytes.length)
    }
    expect(writtenContents(piece)).toEqual({
      'a/image.png': IMAGE,
      'a/notes.txt': NOTES,
      'b.txt': OTHER,
      link: TARGET,
    })

    expect(piece).toMatchObject({
      budgetBytes: size,
      batchSlot: true,
      filesDone: 4,
      bytesDone: size,
    })
    expect(piece.resources?.entries.map((entry) => entry.zipPath)).toEqual([
      'a/image.png',
      'a/notes.txt',
      'b.txt',
      'link',
    ])
    expect(piece.resources?.linkTargets).toEqual([undefined, undefined, undefined, TARGET])
    const digests = piece.resources?.digests ?? new Uint8Array(0)
    expect(digests.length).toBe(4 * DIGESTS_BYTES)
    texts.forEach((text, index) => {
      const sha256 = createHash('sha256').update(text).digest()
      const at = index * DIGESTS_BYTES + 20
      expect(Buffer.from(digests.subarray(at, at + 32))).toEqual(sha256)
    })
  })

  it('reads a symlink planned without its target through the reader, and keeps what it read', async () => {
    const files: Record<string, MemoryFile> = { 'a.txt': 'text', link: { symlink: 'a.txt' } }
    const items = planMemoryFiles(files).map(
      ({ linkTarget: _target, ...entry }): PlannedEntry => entry,
    )
    const piece = await prepareEntryBatch(
      batchContext(createMemorySourceReader(files)),
      items,
      sizeOf(items),
    )
    expect(writtenContents(piece)).toEqual({ 'a.txt': 'text', link: 'a.txt' })
    expect(piece.resources?.linkTargets).toEqual([undefined, 'a.txt'])
  })

  it('reads a file through the reader even when its plan carries a link target', async () => {
    const files: Record<string, MemoryFile> = { 'a.txt': 'file content' }
    const items = planMemoryFiles(files).map((entry): PlannedEntry => ({
      ...entry,
      linkTarget: 'a link target',
    }))
    const piece = await prepareEntryBatch(
      batchContext(createMemorySourceReader(files)),
      items,
      sizeOf(items),
    )
    expect(writtenContents(piece)).toEqual({ 'a.txt': 'file content' })
  })

  it('names local files to the job, which reads them itself, and reads the others here', async () => {
    const files: Record<string, MemoryFile> = {
      'local.txt': 'from disk',
      'memory.txt': 'from memory',
      link: { symlink: 'local.txt' },
    }
    await writeFile(join(work, 'local.txt'), 'from disk')
    const reader: SourceReader = {
      ...readerRefusing(files, ['local.txt', 'link']),
      localFilePath: (path) => (path === 'local.txt' ? join(work, path) : undefined),
    }
    const jobs: EntryJob[] = []
    const context = batchContext(reader, { runner: recordingRunner(jobs) })
    const items = planMemoryFiles(files)
    const piece = await prepareEntryBatch(context, items, sizeOf(items))
    const [job] = jobs
    expect(job?.kind === 'files' ? job.readFrom : 'no files job').toEqual([
      join(work, 'local.txt'),
      null,
      null,
    ])
    expect(writtenContents(piece)).toEqual({
      'local.txt': 'from disk',
      'memory.txt': 'from memory',
      link: 'local.txt',
    })
  })

  it('reports a local file that cannot be read with the system’s reason', async () => {
    const files: Record<string, MemoryFile> = { 'here.txt': 'here', 'gone.txt': 'gone' }
    const reader: SourceReader = {
      ...readerRefusing(files, ['here.txt', 'gone.txt']),
      localFilePath: (path) => join(work, path),
    }
    await writeFile(join(work, 'here.txt'), 'here')
    const items = planMemoryFiles(files)
    const failure = await prepareEntryBatch(batchContext(reader), items, sizeOf(items)).catch(
      (error: unknown) => error,
    )
    expect(isPackwrightError(failure, 'SOURCE_READ_FAILED')).toBe(true)
    expect((failure as Error).message).toMatch(
      /^Could not read "gone\.txt" from memory source: ENOENT: no such file or directory/,
    )
    expect((failure as { details?: unknown }).details).toEqual({
      path: 'gone.txt',
      sourcePath: 'gone.txt',
    })
  })

  it('reports a local file that is no longer its planned size with the size found', async () => {
    const files: Record<string, MemoryFile> = { 'grown.txt': 'short' }
    await writeFile(join(work, 'grown.txt'), 'short, then longer')
    const reader: SourceReader = {
      ...readerRefusing(files, ['grown.txt']),
      localFilePath: (path) => join(work, path),
    }
    const items = planMemoryFiles(files)
    const failure = await prepareEntryBatch(batchContext(reader), items, sizeOf(items)).catch(
      (error: unknown) => error,
    )
    expect(isPackwrightError(failure, 'ZIP_SOURCE_CHANGED')).toBe(true)
    expect((failure as Error).message).toContain('expected 5 bytes, read 18.')
  })

  it('reports a local read failure without a reason as an unknown error', async () => {
    const files: Record<string, MemoryFile> = { 'a.txt': 'a', 'b.txt': 'b' }
    const context = batchContext(createMemorySourceReader(files), {
      runner: answeringRunner((job) => ({
        kind: 'files',
        data: job.data,
        output: new Uint8Array(0),
        crc32: new Uint32Array(0),
        digests: new Uint8Array(0),
        deflatedLengths: [],
        readFailures: [{ index: 1 }],
      })),
    })
    const items = planMemoryFiles(files)
    const failure = await prepareEntryBatch(context, items, sizeOf(items)).catch(
      (error: unknown) => error,
    )
    expect(isPackwrightError(failure, 'SOURCE_READ_FAILED')).toBe(true)
    expect((failure as Error).message).toBe(
      'Could not read "b.txt" from memory source: unknown error',
    )
  })

  it('fails when the job answers with something other than a files result', async () => {
    const files: Record<string, MemoryFile> = { 'a.txt': 'a' }
    const context = batchContext(createMemorySourceReader(files), {
      runner: answeringRunner((job) => ({ kind: 'chunk', data: job.data, output: job.data })),
    })
    const items = planMemoryFiles(files)
    await expect(prepareEntryBatch(context, items, sizeOf(items))).rejects.toThrow(
      /^unexpected job result$/,
    )
  })

  it('gives every read the run’s own signal, so that aborting the run ends the reads', async () => {
    const files: Record<string, MemoryFile> = { 'a.txt': 'a', 'b.txt': 'b' }
    const seen: (AbortSignal | undefined)[] = []
    const reason = new Error('the caller gave up')
    const reader: SourceReader = {
      ...createMemorySourceReader(files),
      // Answers only when its signal aborts; without a signal it could wait forever.
      readBytes: (_path, options) => {
        const signal = options?.signal
        seen.push(signal)
        if (signal === undefined) return Promise.reject(new Error('read without a signal'))
        if (seen.length === 2) context.abortReads(reason)
        return new Promise((_resolve, reject) => {
          const abort = () => reject(signal.reason as Error)
          if (signal.aborted) abort()
          signal.addEventListener('abort', abort)
        })
      },
    }
    const context = batchContext(reader, { signal: new AbortController().signal })
    expect(context.signal).toBeDefined()
    const items = planMemoryFiles(files)
    await expect(prepareEntryBatch(context, items, sizeOf(items))).rejects.toBe(reason)
    expect(seen).toEqual([context.signal, context.signal])
  })

  it('runs no job when the run stopped while its entries were read', async () => {
    const files: Record<string, MemoryFile> = { 'a.txt': 'a' }
    const inner = createMemorySourceReader(files)
    const reader: SourceReader = {
      ...inner,
      readBytes: (path, options) => {
        context.stop(new Error('stopped elsewhere'))
        return inner.readBytes(path, options)
      },
    }
    const jobs: EntryJob[] = []
    const context = batchContext(reader, { runner: recordingRunner(jobs) })
    const items = planMemoryFiles(files)
    await expect(prepareEntryBatch(context, items, sizeOf(items))).rejects.toThrow(
      'stopped elsewhere',
    )
    expect(jobs).toEqual([])
  })

  it('lays out a batch of folders only without a job, memory or resources', async () => {
    const jobs: EntryJob[] = []
    const context = batchContext(createMemorySourceReader({}), { runner: recordingRunner(jobs) })
    const piece = await prepareEntryBatch(context, [folder('a/'), folder('a/b/')], 0)
    expect(jobs).toEqual([])
    expect(context.batchBuffers.created).toBe(0)
    expect(Object.keys(piece).sort()).toEqual([
      'batchSlot',
      'budgetBytes',
      'bytesDone',
      'filesDone',
      'segments',
    ])
    expect(piece).toMatchObject({ budgetBytes: 0, batchSlot: true, filesDone: 0, bytesDone: 0 })
    expect(
      piece.segments.map((segment) =>
        segment.kind === 'header' ? segment.record.name.toString() : segment.kind,
      ),
    ).toEqual(['a/', 'a/b/'])
  })

  it('gives back both the content and the output buffer once written', async () => {
    const context = batchContext(createMemorySourceReader(MIXED))
    const items = planMemoryFiles(MIXED)
    const size = sizeOf(items)
    const piece = await prepareEntryBatch(context, items, size)
    expect(context.batchBuffers.created).toBe(2)
    piece.afterWrite?.()
    context.batchBuffers.take(size)
    context.batchBuffers.take(size)
    expect(context.batchBuffers.created).toBe(2)
  })

  it('gives back a buffer the job’s output shares with its content only once', async () => {
    const context = batchContext(createMemorySourceReader(MIXED), {
      level: 0,
      runner: (real) => ({
        threads: real.threads,
        run: async (job) => {
          const result = await real.run(job)
          return result.kind === 'files'
            ? { ...result, output: result.data.subarray(0, 0) }
            : result
        },
        close: () => real.close(),
      }),
    })
    const items = planMemoryFiles(MIXED)
    const size = sizeOf(items)
    const piece = await prepareEntryBatch(context, items, size)
    expect(context.batchBuffers.created).toBe(1)
    piece.afterWrite?.()
    const first = context.batchBuffers.take(size)
    const second = context.batchBuffers.take(size)
    expect(first.buffer).not.toBe(second.buffer)
    expect(context.batchBuffers.created).toBe(2)
  })
})
