import { describe, expect, it } from 'vitest'

import { type RawZipEntry, buildRawZip } from '../../../test/helpers/build-raw-zip.js'
import { useScratchZipFiles } from '../../../test/helpers/scratch-zip-files.js'
import { openZip } from './open-zip.js'

const scratch = useScratchZipFiles('packwright-open-zip-concurrent-')

describe('openZip entry streams read at once', () => {
  it('allocate about the bytes of their stored entries, not a read window each', async () => {
    const entries: RawZipEntry[] = Array.from({ length: 200 }, (_, index) => ({
      name: `files/file-${String(index).padStart(3, '0')}.txt`,
      data: `content of file ${index} `.repeat(40),
    }))
    const archive = await openZip(await scratch.write(buildRawZip(entries)))
    try {
      const read = await Promise.all(
        archive.entries.map(async (entry) => {
          const chunks: Buffer[] = []
          for await (const chunk of archive.openEntry(entry)) chunks.push(chunk as Buffer)
          return chunks
        }),
      )
      expect(read.map((chunks) => Buffer.concat(chunks).toString())).toEqual(
        entries.map((entry) => entry.data),
      )
      // What the kept chunks hold on to: their backing stores, each counted once.
      const backing = new Set(read.flat().map((chunk) => chunk.buffer))
      const pinned = [...backing].reduce((sum, buffer) => sum + buffer.byteLength, 0)
      const contentBytes = entries.reduce((sum, entry) => sum + String(entry.data).length, 0)
      expect(pinned).toBeLessThan(8 * contentBytes)
    } finally {
      await archive.close()
    }
  })
})
