import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { writeDeterministicZip } from '../src/zip/write/write-deterministic-zip.js'
import { openZip } from '../src/zip/read/open-zip.js'
import { createMemorySourceReader } from './helpers/memory-source-reader.js'
import { rejection } from './helpers/rejection.js'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'packwright-zip-ratio-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

const zeros = (size: number) => createMemorySourceReader({ 'zeros.bin': new Uint8Array(size) })
const entriesOf = (size: number) => [
  { zipPath: 'zeros.bin', sourcePath: 'zeros.bin', kind: 'file' as const, size, executable: false },
]

/** What deflate at level 6 makes of `size` zeros, read back from a zip written without a limit. */
async function deflatedSize(size: number): Promise<number> {
  const outFile = join(dir, 'probe.zip')
  await writeDeterministicZip({ entries: entriesOf(size), reader: zeros(size), outFile })
  const archive = await openZip(outFile)
  try {
    const entry = archive.entries.find((candidate) => candidate.name === 'zeros.bin')
    return entry?.compressedSize ?? Number.NaN
  } finally {
    await archive.close()
  }
}

// 1 MiB is written whole; 4 MiB is streamed in pieces with a data descriptor.
describe.each([1024 * 1024, 4 * 1024 * 1024])(
  'the writer’s compression-ratio limit (%i bytes)',
  (SIZE) => {
    const entries = entriesOf(SIZE)
    it('refuses an entry past the ratio and leaves no file behind', async () => {
      const compressed = await deflatedSize(SIZE)
      const ratio = Math.floor(SIZE / compressed) - 1
      const outFile = join(dir, 'out.zip')
      const failure = await rejection(
        writeDeterministicZip({
          entries,
          reader: zeros(SIZE),
          outFile,
          compressionRatioLimit: { ratio, minBytes: SIZE },
        }),
      )
      expect(failure.code).toBe('PACKAGE_LIMIT_EXCEEDED')
      expect(failure.details).toMatchObject({
        limit: 'maxCompressionRatio',
        max: ratio,
        path: 'zeros.bin',
        uncompressedSize: SIZE,
        compressedSize: compressed,
      })
      expect(await readdir(dir)).toEqual(['probe.zip'])
    })

    it('writes an entry exactly at the ratio, and entries smaller than minBytes whatever their ratio', async () => {
      const compressed = await deflatedSize(SIZE)
      const atLimit = await writeDeterministicZip({
        entries,
        reader: zeros(SIZE),
        outFile: join(dir, 'at-limit.zip'),
        compressionRatioLimit: { ratio: SIZE / compressed, minBytes: SIZE },
      })
      expect(atLimit.fileCount).toBe(1)
      const small = await writeDeterministicZip({
        entries,
        reader: zeros(SIZE),
        outFile: join(dir, 'small.zip'),
        compressionRatioLimit: { ratio: 1, minBytes: SIZE + 1 },
      })
      expect(small.fileCount).toBe(1)
    })
  },
)
