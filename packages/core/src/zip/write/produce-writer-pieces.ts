import { prepareEntryBatch } from './prepare-entry-batch.js'
import { type ZipLayoutItem } from './plan-zip-layout.js'
import { streamLargeEntry } from './stream-large-entry.js'
import { type ZipWriterContext } from './zip-writer-context.js'
import { STREAMED_ENTRY_THRESHOLD } from './zip-writer-tuning.js'

/**
 * Walks the layout in order and queues its pieces, ahead of the consumer
 * within the budget: small entries (and folders) grouped into jobs of at most
 * `batchEntries` entries or about `batchBytes` bytes, large entries streamed
 * in pieces.
 */
export async function produceWriterPieces(
  context: ZipWriterContext,
  layout: readonly ZipLayoutItem[],
): Promise<void> {
  const { tuning, budget, batchSlots, queue } = context
  let batch: ZipLayoutItem[] = []
  let batchSize = 0
  const flushBatch = async () => {
    if (batch.length === 0) return
    const items = batch
    const size = batchSize
    batch = []
    batchSize = 0
    await batchSlots.acquire(1)
    await budget.acquire(size)
    queue.push(prepareEntryBatch(context, items, size))
  }
  for (const item of layout) {
    context.checkStopped()
    if (item.kind !== 'directory' && item.size > STREAMED_ENTRY_THRESHOLD) {
      await flushBatch()
      await streamLargeEntry(context, item)
      continue
    }
    batch.push(item)
    if (item.kind !== 'directory') batchSize += item.size
    if (batch.length >= tuning.batchEntries || batchSize >= tuning.batchBytes) await flushBatch()
  }
  await flushBatch()
}
