import { crc32, deflateRawSync } from 'node:zlib'

import { describe, expect, it } from 'vitest'

import { type RawZipEntry, buildRawZip } from '../../../test/helpers/build-raw-zip.js'
import { rejection } from '../../../test/helpers/rejection.js'
import { useScratchZipFiles } from '../../../test/helpers/scratch-zip-files.js'
import { incompressibleBytes } from '../../../test/helpers/incompressible-bytes.js'
import { type UncompressedBudget, readEntryChunks } from './read-entry-chunks.js'
import { readZipLayout } from './read-zip-layout.js'
import { type ZipEntryInfo } from './zip-entry-info.js'
import { type ZipLimits, resolveZipLimits } from './zip-limits.js'
import { ZipReaderFile } from './zip-reader-file.js'

const scratch = useScratchZipFiles('packwright-entry-chunks-')

interface ReadOptions {
  limits?: Partial<ZipLimits>
  budget?: UncompressedBudget
  signal?: AbortSignal
  /** Changes the entry as listed before it is read. */
  entry?: Partial<ZipEntryInfo>
  /** Called with each chunk as it arrives. */
  onChunk?: (chunk: Buffer) => void
}

/** Reads the first entry of a zip holding `entry`, returning its chunks. */
async function readChunks(entry: RawZipEntry, options: ReadOptions = {}): Promise<Buffer[]> {
  const limits = resolveZipLimits(options.limits)
  const file = await ZipReaderFile.open(await scratch.write(buildRawZip([entry])))
  try {
    const layout = await readZipLayout(file, resolveZipLimits())
    const [listed] = layout.entries
    if (listed === undefined) throw new Error('no entry')
    const chunks: Buffer[] = []
    const read = readEntryChunks(
      file,
      { ...listed, ...options.entry },
      {
        limits,
        ...(options.budget === undefined ? {} : { budget: options.budget }),
        ...(options.signal === undefined ? {} : { signal: options.signal }),
      },
    )
    for await (const chunk of read) {
      chunks.push(chunk)
      options.onChunk?.(chunk)
    }
    return chunks
  } finally {
    await file.close()
  }
}

const MIB = 1024 * 1024

describe('readEntryChunks yields the bytes of an entry', () => {
  it('reads a stored entry in reads of at most 1 MiB', async () => {
    const data = incompressibleBytes(2 * MIB + 5)
    const chunks = await readChunks({ name: 'a', data })
    expect(chunks.map((chunk) => chunk.length)).toEqual([MIB, MIB, 5])
    expect(Buffer.concat(chunks).equals(data)).toBe(true)
  })

  it('reads an empty stored entry as no chunk', async () => {
    expect(await readChunks({ name: 'a' })).toEqual([])
  })

  it('inflates a deflated entry', async () => {
    const data = Buffer.from('hello '.repeat(1000))
    const chunks = await readChunks({ name: 'a', data, deflate: true })
    expect(Buffer.concat(chunks).toString()).toBe(data.toString())
  })
})

describe('readEntryChunks checks the bytes against the declarations', () => {
  it('refuses a stored entry holding more or fewer bytes than declared', async () => {
    const more = await rejection(
      readChunks({ name: 'a', data: 'xy' }, { entry: { uncompressedSize: 1 } }),
    )
    expect(more.code).toBe('ZIP_ENTRY_SIZE_MISMATCH')
    expect(more.message).toBe('Entry "a" inflates to more than its declared 1 bytes.')
    expect(more.details).toEqual({ entry: 'a', declared: 1, compressedSize: 2 })
    const fewer = await rejection(
      readChunks({ name: 'a', data: 'xy' }, { entry: { uncompressedSize: 3 } }),
    )
    expect(fewer.code).toBe('ZIP_ENTRY_SIZE_MISMATCH')
    expect(fewer.message).toBe('Entry "a" holds 2 uncompressed bytes, but 3 are declared.')
  })

  it('refuses a wrong CRC-32, giving both values', async () => {
    const error = await rejection(
      readChunks({ name: 'a', data: 'xy' }, { entry: { crc32: 0x1234 } }),
    )
    const actual = crc32(Buffer.from('xy')).toString(16).padStart(8, '0')
    expect(error.code).toBe('ZIP_ENTRY_CRC_MISMATCH')
    expect(error.message).toBe(`Entry "a" has CRC-32 0x${actual}, but 0x00001234 is declared.`)
    expect(error.details).toEqual({ entry: 'a', expected: '0x00001234', actual: `0x${actual}` })
  })

  it('refuses a deflate stream that ends before its declared compressed bytes', async () => {
    const stream = deflateRawSync(Buffer.from('hello'))
    const error = await rejection(
      readChunks({
        name: 'a',
        compressed: Buffer.concat([stream, Buffer.from('junk')]),
        method: 8,
        uncompressedSize: 5,
        crc32: crc32(Buffer.from('hello')),
      }),
    )
    expect(error.code).toBe('ZIP_ENTRY_SIZE_MISMATCH')
    expect(error.message).toBe(
      `Entry "a" has a deflate stream that ends after ${stream.length} of its declared ${stream.length + 4} compressed bytes.`,
    )
  })

  it('refuses a deflate stream that needs more than its declared compressed bytes', async () => {
    const stream = deflateRawSync(incompressibleBytes(1000))
    const error = await rejection(
      readChunks({
        name: 'a',
        compressed: stream.subarray(0, 500),
        method: 8,
        uncompressedSize: 1000,
      }),
    )
    expect(error.code).toBe('ZIP_ENTRY_SIZE_MISMATCH')
    expect(error.message).toBe(
      'Entry "a" has a deflate stream that needs more than its declared 500 compressed bytes.',
    )
  })

  it('refuses invalid deflate data, keeping zlib error as the cause', async () => {
    const error = await rejection(
      readChunks({
        name: 'a',
        compressed: Buffer.from([0xff, 0xff, 0xff]),
        method: 8,
        uncompressedSize: 3,
      }),
    )
    expect(error.code).toBe('ZIP_ENTRY_CORRUPT')
    expect(error.message).toMatch(
      /^Entry "a" holds invalid deflate data \(.+\); expected a complete deflate stream\.$/,
    )
    expect(error.details).toEqual({ entry: 'a' })
    expect(error.cause).toBeInstanceOf(Error)
  })
})

describe('readEntryChunks refuses entries it cannot read', () => {
  it('refuses encrypted entries, unknown methods and entries without readable data', async () => {
    const encrypted = await rejection(
      readChunks({ name: 'a', data: 'x' }, { entry: { encrypted: true } }),
    )
    expect(encrypted.code).toBe('ZIP_UNSUPPORTED')
    expect(encrypted.message).toBe('Entry "a" is encrypted; encrypted entries cannot be read.')
    expect(encrypted.details).toEqual({ entry: 'a' })
    const method = await rejection(readChunks({ name: 'a', data: 'x', method: 12 }))
    expect(method.code).toBe('ZIP_UNSUPPORTED')
    expect(method.message).toBe(
      'Entry "a" uses compression method 12; only store (0) and deflate (8) are supported.',
    )
    expect(method.details).toEqual({ entry: 'a', method: 12 })
    const broken = await rejection(
      readChunks({ name: 'a', data: 'x' }, { entry: { dataOffset: -1 } }),
    )
    expect(broken.code).toBe('ZIP_HEADER_MISMATCH')
    expect(broken.message).toBe('Entry "a" has no readable data (its headers are broken).')
    expect(broken.details).toEqual({ entry: 'a' })
  })

  it('names the entry whose data runs past the end of the file', async () => {
    const error = await rejection(
      readChunks({ name: 'a', data: 'xyz' }, { entry: { compressedSize: 1000 } }),
    )
    expect(error.code).toBe('ZIP_TRUNCATED')
    expect(error.message).toMatch(
      /^The data of entry "a" needs bytes \d+\.\.\d+ but the file ends at \d+\.$/,
    )
  })
})

describe('readEntryChunks enforces the limits while reading', () => {
  it('draws the budget down, allowing exactly what remains', async () => {
    const budget = { remaining: 10 }
    await readChunks({ name: 'a', data: 'x'.repeat(4) }, { budget })
    expect(budget.remaining).toBe(6)
    await readChunks({ name: 'a', data: 'x'.repeat(6) }, { budget })
    expect(budget.remaining).toBe(0)
    const error = await rejection(
      readChunks({ name: 'a', data: 'x' }, { budget, limits: { maxTotalUncompressedBytes: 10 } }),
    )
    expect(error.code).toBe('ZIP_TOO_LARGE')
    expect(error.message).toBe('Entry "a" takes the zip past 10 uncompressed bytes, the limit.')
    expect(error.details).toEqual({ entry: 'a', limit: 10 })
  })

  it('checks the ratio of what was inflated from ratioCheckMinBytes on', async () => {
    const data = Buffer.alloc(1000)
    const entry: RawZipEntry = { name: 'a', data, deflate: true }
    const compressed = deflateRawSync(data).length
    const ratio = 1000 / compressed
    // At the limit, or under the checked size, the entry reads.
    await readChunks(entry, { limits: { maxCompressionRatio: ratio, ratioCheckMinBytes: 1000 } })
    await readChunks(entry, { limits: { maxCompressionRatio: 1, ratioCheckMinBytes: 1001 } })
    const error = await rejection(
      readChunks(entry, { limits: { maxCompressionRatio: 2, ratioCheckMinBytes: 1000 } }),
    )
    expect(error.code).toBe('ZIP_COMPRESSION_RATIO_EXCEEDED')
    expect(error.message).toBe(
      `Entry "a" inflates ${compressed} compressed bytes to more than 1000; the limit is a ratio of 2.`,
    )
    expect(error.details).toEqual({ entry: 'a', limit: 2 })
  })

  it('stops between reads when the signal aborts', async () => {
    const controller = new AbortController()
    const seen: number[] = []
    const error = await rejection(
      readChunks(
        { name: 'a', data: incompressibleBytes(3 * MIB) },
        {
          signal: controller.signal,
          onChunk: (chunk) => {
            seen.push(chunk.length)
            controller.abort()
          },
        },
      ),
    )
    expect(error.code).toBe('ABORTED')
    expect(seen).toEqual([MIB])
  })

  it('stops inflating when the signal aborts', async () => {
    const controller = new AbortController()
    const error = await rejection(
      readChunks(
        { name: 'a', data: incompressibleBytes(3 * MIB), deflate: true },
        { signal: controller.signal, onChunk: () => controller.abort() },
      ),
    )
    expect(error.code).toBe('ABORTED')
  })
})
