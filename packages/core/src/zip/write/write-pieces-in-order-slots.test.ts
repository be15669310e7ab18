import { mkdtemp, open, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createMemorySourceReader } from '../../../test/helpers/memory-source-reader.js'
import { dosDateTime } from './dos-date-time.js'
import { writePiecesInOrder } from './write-pieces-in-order.js'
import { type WriterPiece } from './writer-piece.js'
import { type ZipWriterContext, createZipWriterContext } from './zip-writer-context.js'
import { ZipFileSink } from './zip-file-sink.js'
import { AUTO_ZIP_WRITER_TUNING } from './zip-writer-tuning.js'

let work: string
beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'packwright-pieces-slots-'))
})
afterEach(async () => {
  await rm(work, { recursive: true, force: true })
})

const DOS_TIME = 1_700_000_000

/** A piece with nothing to write, holding a job slot or not. */
const emptyPiece = (batchSlot: boolean): WriterPiece => ({
  segments: [],
  budgetBytes: 0,
  batchSlot,
  filesDone: 0,
  bytesDone: 0,
})

/**
 * Writes `piece` while the context's only job slot is held and another job
 * waits for it; tells whether that job got the slot once the piece was written.
 */
async function waiterWokenBy(piece: WriterPiece): Promise<boolean> {
  const context: ZipWriterContext = createZipWriterContext({
    reader: createMemorySourceReader({}),
    signal: undefined,
    level: 6,
    threads: 0,
    tuning: { ...AUTO_ZIP_WRITER_TUNING, threads: 0, batchesInFlight: 1 },
  })
  await context.batchSlots.acquire(1)
  let woken = false
  const waiting = context.batchSlots.acquire(1).then(() => {
    woken = true
  })
  context.queue.push(Promise.resolve(piece))
  context.queue.close()
  const handle = await open(join(work, 'out.zip'), 'w')
  try {
    await writePiecesInOrder(
      context,
      new ZipFileSink(handle),
      [],
      dosDateTime(DOS_TIME),
      { filesTotal: 0, bytesTotal: 0 },
      {},
    )
  } finally {
    await handle.close()
  }
  // Let a woken waiter run.
  await new Promise((resolve) => setImmediate(resolve))
  const wokenByPiece = woken
  context.batchSlots.release(1)
  await waiting
  await context.runner.close()
  return wokenByPiece
}

describe('writePiecesInOrder job slots', () => {
  it('frees a job slot once a piece that holds one is written', async () => {
    expect(await waiterWokenBy(emptyPiece(true))).toBe(true)
  })

  it('frees no job slot for a piece that holds none, such as a piece of a streamed entry', async () => {
    expect(await waiterWokenBy(emptyPiece(false))).toBe(false)
  })
})
