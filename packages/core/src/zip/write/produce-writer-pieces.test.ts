import { describe, expect, it } from 'vitest'
import {
  type MemoryFile,
  createMemorySourceReader,
  planMemoryFiles,
} from '../../../test/helpers/memory-source-reader.js'
import { produceWriterPieces } from './produce-writer-pieces.js'
import { type WriterPiece } from './writer-piece.js'
import { createZipWriterContext } from './zip-writer-context.js'
import { AUTO_ZIP_WRITER_TUNING, type ZipWriterTuning } from './zip-writer-tuning.js'

/** Ten-byte files named a.txt, b.txt, … */
function tenByteFiles(count: number): Record<string, MemoryFile> {
  const files: Record<string, MemoryFile> = {}
  for (let index = 0; index < count; index++) {
    files[`${String.fromCharCode(97 + index)}.txt`] = `${index}`.repeat(10)
  }
  return files
}

/** The entries each queued piece holds, produced from `files` with `tuning` (on the calling thread). */
async function entriesPerPiece(
  files: Record<string, MemoryFile>,
  tuning: Partial<ZipWriterTuning>,
): Promise<number[]> {
  const context = createZipWriterContext({
    reader: createMemorySourceReader(files),
    signal: undefined,
    level: 6,
    threads: 0,
    tuning: { ...AUTO_ZIP_WRITER_TUNING, threads: 0, batchesInFlight: 100, ...tuning },
  })
  try {
    await produceWriterPieces(context, planMemoryFiles(files))
    context.queue.close()
    const pieces: WriterPiece[] = []
    let piece = await context.queue.shift()
    while (piece !== undefined) {
      pieces.push(piece)
      piece = await context.queue.shift()
    }
    return pieces.map((piece) => piece.filesDone)
  } finally {
    await context.runner.close()
  }
}

describe('produceWriterPieces', () => {
  it('ends a job once it holds batchEntries entries', async () => {
    expect(await entriesPerPiece(tenByteFiles(5), { batchEntries: 2 })).toEqual([2, 2, 1])
  })

  it('ends a job once its content reaches batchBytes', async () => {
    expect(await entriesPerPiece(tenByteFiles(3), { batchBytes: 10 })).toEqual([1, 1, 1])
    expect(await entriesPerPiece(tenByteFiles(3), { batchBytes: 20 })).toEqual([2, 1])
  })

  it('queues no empty job when the last one was just full', async () => {
    expect(await entriesPerPiece(tenByteFiles(4), { batchEntries: 2 })).toEqual([2, 2])
  })
})
