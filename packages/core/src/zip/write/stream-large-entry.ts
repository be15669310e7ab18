import { createHash } from 'node:crypto'
import { crc32 } from 'node:zlib'
import { type PlannedEntry } from '../../plan/planned-entry.js'
import { METHOD_DEFLATE, METHOD_STORE } from '../zip-constants.js'
import { chooseCompression } from './choose-compression.js'
import { createContentRecord } from './create-zip-entry-record.js'
import { DIGESTS_BYTES, SHA256_OFFSET } from './entry-job-processor.js'
import { readSourcePieces } from './read-source-pieces.js'
import { sourceChangedError } from './source-changed-error.js'
import { type WriterPiece } from './writer-piece.js'
import { type ZipEntryRecord } from './zip-records.js'
import { type ZipWriterContext } from './zip-writer-context.js'
import { DEFLATE_PIECES, STREAMED_ZIP64_THRESHOLD } from './zip-writer-tuning.js'

/** A piece of a streamed entry whose memory goes back to the piece pool once it is on disk. */
function contentPiece(
  context: ZipWriterContext,
  segments: WriterPiece['segments'],
  pooled: Uint8Array,
  budgetBytes: number,
): WriterPiece {
  return {
    segments,
    budgetBytes,
    batchSlot: false,
    afterWrite: () => context.pieceBuffers.give(pooled.buffer),
    filesDone: 0,
    bytesDone: budgetBytes,
  }
}

/**
 * Streams one large entry in fixed pieces (with a data descriptor): hashes
 * each piece here as it is read, and queues it for the workers to deflate,
 * primed with the content before it. The first piece is a probe: when it
 * does not shrink, the whole entry is stored.
 */
export async function streamLargeEntry(
  context: ZipWriterContext,
  entry: PlannedEntry,
): Promise<void> {
  const { reader, signal, runner, budget, pieceBuffers, queue } = context
  const { probeSize, chunkSize, dictionarySize } = DEFLATE_PIECES
  const tryDeflate =
    entry.kind === 'file' &&
    chooseCompression(entry.zipPath, entry.size, context.level) === 'deflate'
  const sha1 = createHash('sha1')
  const sha256 = createHash('sha256')
  let crc = 0
  let position = 0
  let record: ZipEntryRecord | undefined
  let dictionary: Uint8Array | undefined

  /** Queues the first piece with the entry's header: deflated if the probe shrinks it, else stored. */
  const startEntry = async (chunk: Uint8Array, final: boolean): Promise<ZipEntryRecord> => {
    // Read before the job moves the chunk's memory to a worker.
    const length = chunk.length
    let method: typeof METHOD_STORE | typeof METHOD_DEFLATE = METHOD_STORE
    let content = chunk
    let deflated: Uint8Array | undefined
    if (tryDeflate) {
      // The probe: the job hands the content back, to be stored if it does not shrink.
      const probe = await runner.run({
        kind: 'chunk',
        data: chunk,
        dictionary: undefined,
        final,
        output: pieceBuffers.take(length),
      })
      if (probe.kind !== 'chunk') throw new Error('unexpected job result')
      content = probe.data
      if (probe.output.length < length) {
        method = METHOD_DEFLATE
        deflated = probe.output
      } else {
        pieceBuffers.give(probe.output.buffer)
      }
    }
    const created = createContentRecord(entry.zipPath, entry.kind, entry.executable, entry.size, {
      method,
      dataDescriptor: true,
      zip64Local: entry.size >= STREAMED_ZIP64_THRESHOLD,
      crc32: 0,
      compressedSize: 0,
    })
    const written = deflated ?? content
    if (deflated !== undefined) pieceBuffers.give(content.buffer)
    queue.push(
      Promise.resolve(
        contentPiece(
          context,
          [
            { kind: 'header', record: created },
            { kind: 'data', bytes: written, record: created },
          ],
          written,
          length,
        ),
      ),
    )
    return created
  }

  /** Queues a later piece: stored as read, or deflated on a worker. */
  const continueEntry = (owner: ZipEntryRecord, chunk: Uint8Array, final: boolean): void => {
    const length = chunk.length
    if (owner.method === METHOD_STORE) {
      queue.push(
        Promise.resolve(
          contentPiece(context, [{ kind: 'data', bytes: chunk, record: owner }], chunk, length),
        ),
      )
      return
    }
    queue.push(
      runner
        .run({ kind: 'chunk', data: chunk, dictionary, final, output: pieceBuffers.take(length) })
        .then((done) => {
          if (done.kind !== 'chunk') throw new Error('unexpected job result')
          pieceBuffers.give(done.data.buffer)
          return contentPiece(
            context,
            [{ kind: 'data', bytes: done.output, record: owner }],
            done.output,
            length,
          )
        }),
    )
  }

  const take = async (chunk: Uint8Array): Promise<void> => {
    crc = crc32(chunk, crc)
    sha1.update(chunk)
    sha256.update(chunk)
    position += chunk.length
    const final = position === entry.size
    const tail = chunk.slice(Math.max(0, chunk.length - dictionarySize))
    await budget.acquire(chunk.length)
    if (record === undefined) record = await startEntry(chunk, final)
    else continueEntry(record, chunk, final)
    dictionary = tail
    context.checkStopped()
  }

  try {
    const localFile = entry.kind === 'file' ? reader.localFilePath?.(entry.sourcePath) : undefined
    await readSourcePieces(
      { reader, entry, localFile, ...(signal === undefined ? {} : { signal }) },
      { firstSize: probeSize, pieceSize: chunkSize },
      pieceBuffers,
      take,
    )
  } catch (error) {
    throw context.readFailed(entry, error)
  }
  if (position !== entry.size || record === undefined) {
    throw sourceChangedError(entry, `${position}`)
  }
  const finished = record
  finished.crc32 = crc >>> 0
  const digests = new Uint8Array(DIGESTS_BYTES)
  digests.set(sha1.digest(), 0)
  digests.set(sha256.digest(), SHA256_OFFSET)
  queue.push(
    Promise.resolve({
      segments: [{ kind: 'descriptor', record: finished }],
      resources: { entries: [entry], digests },
      budgetBytes: 0,
      batchSlot: false,
      filesDone: 1,
      bytesDone: 0,
    }),
  )
}
