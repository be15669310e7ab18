import { modeFor } from '../../manifest/resource-manifest.js'
import { ResourceList } from '../../manifest/resource-list.js'
import { type PlannedEntry } from '../../plan/planned-entry.js'
import { assertCompressionRatio } from './assert-compression-ratio.js'
import { CentralDirectoryBuffer } from './central-directory-buffer.js'
import { type DosDateTime } from './dos-date-time.js'
import { DIGESTS_BYTES } from './entry-job-processor.js'
import { type ZipLayoutItem } from './plan-zip-layout.js'
import { type WriteZipOptions, type WriteZipProgress } from './write-zip-options.js'
import { type ZipFileSink } from './zip-file-sink.js'
import { encodeDataDescriptor, encodeLocalFileHeader } from './zip-records.js'
import { type ZipWriterContext } from './zip-writer-context.js'

const PROGRESS_INTERVAL_MS = 100

/** What the consumer gathered while writing the entries. */
export interface WrittenEntries {
  readonly centralDirectory: CentralDirectoryBuffer
  readonly resources: ResourceList
  /** Reports progress now, whenever it last did. */
  reportDone(): void
}

/**
 * The single consumer: takes the queued pieces in archive order and writes
 * them through the sink, assigning each entry its offset, encoding its
 * central directory header once its sizes are known, collecting its
 * resource entry, and giving back budget and memory as bytes reach the disk.
 */
export async function writePiecesInOrder(
  context: ZipWriterContext,
  sink: ZipFileSink,
  layout: readonly ZipLayoutItem[],
  when: DosDateTime,
  totals: Pick<WriteZipProgress, 'filesTotal' | 'bytesTotal'>,
  options: Pick<WriteZipOptions, 'compressionRatioLimit' | 'onProgress'>,
): Promise<WrittenEntries> {
  const { budget, batchSlots, queue } = context
  const centralDirectory = new CentralDirectoryBuffer(layout, when)
  const resources = new ResourceList(totals.filesTotal)
  let filesDone = 0
  let bytesDone = 0
  let reportedAt = 0
  const report = (force: boolean) => {
    if (options.onProgress === undefined) return
    const now = performance.now()
    if (!force && now - reportedAt < PROGRESS_INTERVAL_MS) return
    reportedAt = now
    options.onProgress({ filesDone, bytesDone, ...totals })
  }
  for (;;) {
    const piece = await queue.shift()
    if (piece === undefined) break
    context.checkStopped()
    for (const segment of piece.segments) {
      let bytes: Uint8Array
      if (segment.kind === 'header') {
        segment.record.localHeaderOffset = sink.offset
        bytes = encodeLocalFileHeader(segment.record, when)
        if (!segment.record.dataDescriptor) {
          assertCompressionRatio(segment.record, options.compressionRatioLimit)
          centralDirectory.add(segment.record)
        }
      } else if (segment.kind === 'data') {
        bytes = segment.bytes
        if (segment.record !== undefined) segment.record.compressedSize += bytes.length
      } else {
        assertCompressionRatio(segment.record, options.compressionRatioLimit)
        bytes = encodeDataDescriptor(segment.record)
        centralDirectory.add(segment.record)
      }
      if (sink.append(bytes)) await sink.flush()
    }
    if (piece.afterWrite !== undefined) sink.afterFlush(piece.afterWrite)
    if (piece.resources !== undefined) {
      const { entries, digests, linkTargets } = piece.resources
      for (let index = 0; index < entries.length; index++) {
        const entry = entries[index] as PlannedEntry
        const target =
          entry.kind === 'symlink' ? (linkTargets?.[index] ?? entry.linkTarget) : undefined
        resources.add(
          entry.zipPath,
          modeFor(entry),
          entry.size,
          digests,
          index * DIGESTS_BYTES,
          target,
        )
      }
    }
    budget.release(piece.budgetBytes)
    if (piece.batchSlot) batchSlots.release(1)
    filesDone += piece.filesDone
    bytesDone += piece.bytesDone
    report(false)
  }
  return { centralDirectory, resources, reportDone: () => report(true) }
}
