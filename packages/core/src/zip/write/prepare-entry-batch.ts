import { type PlannedEntry } from '../../plan/planned-entry.js'
import { METHOD_DEFLATE, METHOD_STORE } from '../zip-constants.js'
import { chooseCompression } from './choose-compression.js'
import { createContentRecord, createDirectoryRecord } from './create-zip-entry-record.js'
import { type FilesJobReadFailure, type FilesJobResult } from './entry-job-processor.js'
import { type ZipLayoutItem } from './plan-zip-layout.js'
import { sourceChangedError } from './source-changed-error.js'
import { type WriterPiece, type WriterSegment } from './writer-piece.js'
import { type ZipWriterContext } from './zip-writer-context.js'

/** The content of a symlink entry: its target, which must be the planned size. */
function linkTargetBytes(entry: PlannedEntry): Uint8Array {
  const target = Buffer.from(entry.linkTarget ?? '', 'utf8')
  if (target.length !== entry.size) throw sourceChangedError(entry, `${target.length}`)
  return target
}

/** The error for an entry a worker could not read from its local file. */
function localReadFailed(
  context: ZipWriterContext,
  entry: PlannedEntry,
  failure: FilesJobReadFailure,
): unknown {
  return failure.actualSize === undefined
    ? context.readFailed(entry, new Error(failure.message ?? 'unknown error'))
    : sourceChangedError(entry, `${failure.actualSize}`)
}

/** Reads `entry` whole through the reader and puts it at `at` in `data`. */
async function readInto(
  context: ZipWriterContext,
  entry: PlannedEntry,
  data: Uint8Array,
  at: number,
): Promise<void> {
  let bytes: Uint8Array
  try {
    bytes = await context.reader.readBytes(
      entry.sourcePath,
      context.signal === undefined ? {} : { signal: context.signal },
    )
  } catch (error) {
    throw context.readFailed(entry, error)
  }
  if (bytes.length !== entry.size) throw sourceChangedError(entry, `${bytes.length}`)
  data.set(bytes, at)
}

/**
 * Reads a group of whole entries (files and symlinks of at most `size` bytes
 * in all, and folders) into one buffer, hashes and compresses them in one
 * job, and lays out their headers and data.
 *
 * Local files are named to the job, which reads them on its own thread;
 * other sources are read here, all entries of the group at once.
 */
export async function prepareEntryBatch(
  context: ZipWriterContext,
  items: readonly ZipLayoutItem[],
  size: number,
): Promise<WriterPiece> {
  const { reader, level, batchBuffers } = context
  const entries: PlannedEntry[] = []
  for (const item of items) if (item.kind !== 'directory') entries.push(item)
  let result: FilesJobResult | undefined
  if (entries.length > 0) {
    const data = batchBuffers.take(size)
    const lengths: number[] = []
    const deflate: boolean[] = []
    const readFrom: (string | null)[] = []
    const reads: Promise<void>[] = []
    let local = false
    let at = 0
    for (const entry of entries) {
      lengths.push(entry.size)
      deflate.push(
        entry.kind === 'file' && chooseCompression(entry.zipPath, entry.size, level) === 'deflate',
      )
      const localFile = entry.kind === 'file' ? reader.localFilePath?.(entry.sourcePath) : undefined
      readFrom.push(localFile ?? null)
      if (localFile !== undefined) local = true
      else if (entry.kind === 'symlink' && entry.linkTarget !== undefined) {
        // As a promise, so that reads already started are awaited whatever it throws.
        const target = at
        reads.push(Promise.resolve(entry).then((link) => data.set(linkTargetBytes(link), target)))
      } else reads.push(readInto(context, entry, data, at))
      at += entry.size
    }
    if (reads.length > 0) await Promise.all(reads)
    context.checkStopped()
    const done = await context.runner.run({
      kind: 'files',
      data,
      lengths,
      deflate,
      ...(local ? { readFrom } : {}),
      ...(deflate.includes(true) ? { output: batchBuffers.take(size) } : {}),
    })
    if (done.kind !== 'files') throw new Error('unexpected job result')
    const [failure] = done.readFailures
    if (failure !== undefined) {
      throw localReadFailed(context, entries[failure.index] as PlannedEntry, failure)
    }
    result = done
  }
  const segments: WriterSegment[] = []
  const linkTargets: (string | undefined)[] = []
  let index = 0
  let dataAt = 0
  let outputAt = 0
  for (const item of items) {
    if (item.kind === 'directory') {
      segments.push({ kind: 'header', record: createDirectoryRecord(item.zipPath) })
      continue
    }
    const done = result as FilesJobResult
    const length = item.size
    const deflatedLength = done.deflatedLengths[index] as number
    const bytes =
      deflatedLength < 0
        ? done.data.subarray(dataAt, dataAt + length)
        : done.output.subarray(outputAt, outputAt + deflatedLength)
    if (item.kind === 'symlink') {
      const { buffer, byteOffset } = done.data
      linkTargets[index] = Buffer.from(buffer, byteOffset + dataAt, length).toString('utf8')
    }
    dataAt += length
    if (deflatedLength >= 0) outputAt += deflatedLength
    const record = createContentRecord(item.zipPath, item.kind, item.executable, length, {
      method: deflatedLength < 0 ? METHOD_STORE : METHOD_DEFLATE,
      dataDescriptor: false,
      zip64Local: false,
      crc32: done.crc32[index] as number,
      compressedSize: bytes.length,
    })
    segments.push({ kind: 'header', record }, { kind: 'data', bytes })
    index++
  }
  return {
    segments,
    ...(result === undefined
      ? {}
      : { resources: { entries, digests: result.digests, linkTargets } }),
    budgetBytes: size,
    batchSlot: true,
    ...(result === undefined
      ? {}
      : {
          afterWrite: () => {
            const { data, output } = result
            batchBuffers.give(data.buffer)
            if (output.buffer !== data.buffer) batchBuffers.give(output.buffer)
          },
        }),
    filesDone: entries.length,
    bytesDone: size,
  }
}
