import { createHash, randomBytes } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { deflateRawSync } from 'node:zlib'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { type RawZipEntry, buildRawZip, symlinkEntry } from '../../../test/helpers/build-raw-zip.js'
import {
  SMALL_ENTRY_BATCH_BYTES,
  SMALL_ENTRY_COMPRESSED_BYTES,
  SMALL_ENTRY_UNCOMPRESSED_BYTES,
  isSmallEntry,
  smallEntryRunBytes,
} from './read-small-entry.js'
import { validateZip } from './validate-zip.js'
import { type ZipEntryInfo } from './zip-entry-info.js'
import { DEFAULT_ZIP_LIMITS, resolveZipLimits } from './zip-limits.js'
import { type ZipValidationReport } from './validate-zip-report.js'

let work: string
let written = 0
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'packwright-small-entries-'))
})
afterAll(async () => {
  await rm(work, { recursive: true, force: true })
})

async function writeZip(entries: readonly RawZipEntry[]): Promise<string> {
  const path = join(work, `${written++}.zip`)
  await writeFile(path, buildRawZip(entries))
  return path
}

/**
 * Validates twice: at the default limits, where small entries are judged from
 * shared reads in one synchronous inflate each, and with the ratio checked from
 * the first byte, which sends every entry down the streaming path instead.
 */
async function validateBothWays(
  path: string,
): Promise<{ small: ZipValidationReport; streamed: ZipValidationReport }> {
  return {
    small: await validateZip(path),
    streamed: await validateZip(path, { limits: { ratioCheckMinBytes: 1 } }),
  }
}

const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex')

describe('validateZip on small entries', () => {
  it('reads entries that span several shared reads with the bytes and checksums of each', async () => {
    // Random (incompressible) contents of varied sizes, over three batches' worth of bytes.
    const contents = Array.from({ length: 120 }, (_, i) => randomBytes(1 + ((i * 7919) % 40_000)))
    expect(contents.reduce((sum, data) => sum + data.length, 0)).toBeGreaterThan(
      2 * SMALL_ENTRY_BATCH_BYTES,
    )
    const path = await writeZip(
      contents.map((data, i) => ({ name: `f${i}`, data, deflate: i % 2 === 0 })),
    )
    const { small, streamed } = await validateBothWays(path)
    expect(small.problems).toEqual([])
    expect(small.entries.map((entry) => entry.sha256)).toEqual(contents.map(sha256))
    expect(small.entries.map((entry) => entry.size)).toEqual(contents.map((data) => data.length))
    expect(small).toEqual(streamed)
  })

  it('reports the same problems as the streaming path for lying small entries', async () => {
    const text = Buffer.from('small entry contents, small entry contents\n')
    const deflated = deflateRawSync(text)
    const filler = randomBytes(SMALL_ENTRY_BATCH_BYTES / 2)
    const path = await writeZip([
      { name: 'filler-1', data: filler },
      { name: 'bad-crc', data: text, deflate: true, crc32: 1 },
      { name: 'filler-2', data: filler },
      { name: 'stored-bad-crc', data: text, crc32: 2 },
      { name: 'declares-less', data: text, deflate: true, uncompressedSize: text.length - 1 },
      { name: 'declares-more', data: text, deflate: true, uncompressedSize: text.length + 1 },
      { name: 'stored-declares-less', data: text, uncompressedSize: text.length - 1 },
      {
        name: 'trailing-bytes',
        compressed: Buffer.concat([deflated, Buffer.from('junk')]),
        method: 8,
        uncompressedSize: text.length,
        crc32: 0,
      },
      {
        name: 'cut-short',
        compressed: deflated.subarray(0, deflated.length - 3),
        method: 8,
        uncompressedSize: text.length,
      },
      { name: 'not-deflate', compressed: Buffer.from([0xff, 1, 2, 3]), method: 8 },
      symlinkEntry('link', 'filler-1'),
      { name: 'good', data: text, deflate: true },
    ])
    const { small, streamed } = await validateBothWays(path)
    expect(small.problems.map((problem) => [problem.entry, problem.code])).toEqual([
      ['bad-crc', 'ZIP_ENTRY_CRC_MISMATCH'],
      ['stored-bad-crc', 'ZIP_ENTRY_CRC_MISMATCH'],
      ['declares-less', 'ZIP_ENTRY_SIZE_MISMATCH'],
      ['declares-more', 'ZIP_ENTRY_SIZE_MISMATCH'],
      ['stored-declares-less', 'ZIP_ENTRY_SIZE_MISMATCH'],
      ['trailing-bytes', 'ZIP_ENTRY_SIZE_MISMATCH'],
      ['cut-short', 'ZIP_ENTRY_SIZE_MISMATCH'],
      ['not-deflate', 'ZIP_ENTRY_CORRUPT'],
    ])
    expect(small).toEqual(streamed)
    expect(small.entries.find((entry) => entry.path === 'link')?.linkTarget).toBe('filler-1')
    expect(small.entries.find((entry) => entry.path === 'good')?.sha256).toBe(sha256(text))
  })

  it('refuses a small entry that inflates far past its declared size, as the streaming path does', async () => {
    // 40 MiB of zeros deflate to about 40 KiB: small, but a bomb for its declared 16 bytes.
    const bomb = deflateRawSync(Buffer.alloc(40 * 1024 * 1024))
    const path = await writeZip([
      { name: 'bomb', compressed: bomb, method: 8, uncompressedSize: 16, crc32: 0 },
    ])
    const { small, streamed } = await validateBothWays(path)
    expect(small.problems.map((problem) => [problem.entry, problem.code])).toEqual([
      ['bomb', 'ZIP_ENTRY_SIZE_MISMATCH'],
    ])
    expect(small.problems[0]?.message).toContain('more than its declared 16 bytes')
    expect(small).toEqual(streamed)
  })

  it('refuses small entries past the uncompressed budget as the streaming path does', async () => {
    const data = randomBytes(1000)
    const path = await writeZip(
      Array.from({ length: 5 }, (_, i) => ({ name: `f${i}`, data, deflate: true })),
    )
    const small = await validateZip(path, { limits: { maxTotalUncompressedBytes: 2500 } })
    const streamed = await validateZip(path, {
      limits: { maxTotalUncompressedBytes: 2500, ratioCheckMinBytes: 1 },
    })
    expect(small.problems.map((problem) => problem.code)).toEqual(['ZIP_TOO_LARGE'])
    expect(small).toEqual(streamed)
  })

  it('accepts small entries whose sizes add up to exactly the uncompressed budget', async () => {
    const contents = [randomBytes(1000), randomBytes(700), Buffer.from('x'.repeat(300))]
    const path = await writeZip([
      { name: 'a', data: contents[0], deflate: true },
      { name: 'b', data: contents[1] },
      { name: 'c', data: contents[2], deflate: true },
    ])
    const limits = { maxTotalUncompressedBytes: 2000 }
    const small = await validateZip(path, { limits })
    const streamed = await validateZip(path, { limits: { ...limits, ratioCheckMinBytes: 1 } })
    expect(small.problems).toEqual([])
    expect(small.totalUncompressedBytes).toBe(2000)
    expect(small.entries.map((entry) => entry.sha256)).toEqual(contents.map(sha256))
    expect(small).toEqual(streamed)
  })

  it('reports a small entry that inflates past a declared size spending the last of the budget as a size mismatch', async () => {
    const text = Buffer.from('0123456789'.repeat(10))
    const path = await writeZip([
      { name: 'fits', data: randomBytes(990), deflate: true },
      // Declares 10 bytes, the last 10 of the budget, but inflates to 100.
      { name: 'overflows', data: text, deflate: true, uncompressedSize: 10, crc32: 0 },
    ])
    const limits = { maxTotalUncompressedBytes: 1000 }
    const small = await validateZip(path, { limits })
    const streamed = await validateZip(path, { limits: { ...limits, ratioCheckMinBytes: 1 } })
    expect(small.problems.map((problem) => [problem.entry, problem.code])).toEqual([
      ['overflows', 'ZIP_ENTRY_SIZE_MISMATCH'],
    ])
    expect(small.problems[0]?.message).toContain('more than its declared 10 bytes')
    expect(small).toEqual(streamed)
  })
})

describe('isSmallEntry', () => {
  function entryOf(fields: Partial<ZipEntryInfo>): ZipEntryInfo {
    return {
      index: 0,
      name: 'f',
      kind: 'file',
      method: 8,
      flags: 0,
      versionMadeBy: 0x0314,
      externalAttributes: 0,
      compressedSize: 100,
      uncompressedSize: 100,
      crc32: 0,
      mode: 0o644,
      localHeaderOffset: 0,
      dataOffset: 31,
      endOffset: 131,
      zip64: false,
      encrypted: false,
      ...fields,
    }
  }

  it('takes stored and deflated entries with readable data', () => {
    expect(isSmallEntry(entryOf({ method: 0 }), DEFAULT_ZIP_LIMITS)).toBe(true)
    expect(isSmallEntry(entryOf({ method: 8 }), DEFAULT_ZIP_LIMITS)).toBe(true)
    expect(isSmallEntry(entryOf({ method: 12 }), DEFAULT_ZIP_LIMITS)).toBe(false)
    expect(isSmallEntry(entryOf({ encrypted: true }), DEFAULT_ZIP_LIMITS)).toBe(false)
    // Entries whose headers are broken have no data offset.
    expect(isSmallEntry(entryOf({ dataOffset: -1, endOffset: -1 }), DEFAULT_ZIP_LIMITS)).toBe(false)
  })

  it('takes entries up to the compressed and uncompressed bounds, inclusive', () => {
    const atBounds = {
      compressedSize: SMALL_ENTRY_COMPRESSED_BYTES,
      uncompressedSize: SMALL_ENTRY_UNCOMPRESSED_BYTES,
    }
    expect(isSmallEntry(entryOf(atBounds), DEFAULT_ZIP_LIMITS)).toBe(true)
    expect(
      isSmallEntry(
        entryOf({ ...atBounds, compressedSize: SMALL_ENTRY_COMPRESSED_BYTES + 1 }),
        DEFAULT_ZIP_LIMITS,
      ),
    ).toBe(false)
    expect(
      isSmallEntry(
        entryOf({ ...atBounds, uncompressedSize: SMALL_ENTRY_UNCOMPRESSED_BYTES + 1 }),
        DEFAULT_ZIP_LIMITS,
      ),
    ).toBe(false)
  })

  it('leaves entries that one more byte would take to the ratio check threshold to the streaming path', () => {
    const limits = resolveZipLimits({ ratioCheckMinBytes: 1000 })
    expect(isSmallEntry(entryOf({ uncompressedSize: 998 }), limits)).toBe(true)
    expect(isSmallEntry(entryOf({ uncompressedSize: 999 }), limits)).toBe(false)
    expect(isSmallEntry(entryOf({ uncompressedSize: 1000 }), limits)).toBe(false)
  })
})

describe('smallEntryRunBytes', () => {
  /** Entries laid out back to back from offset 0, each with a 40-byte local header. */
  function layOut(compressedSizes: readonly number[]): ZipEntryInfo[] {
    let offset = 0
    return compressedSizes.map((compressedSize, index) => {
      const entry: ZipEntryInfo = {
        index,
        name: `f${index}`,
        kind: 'file',
        method: 0,
        flags: 0,
        versionMadeBy: 0x0314,
        externalAttributes: 0,
        compressedSize,
        uncompressedSize: compressedSize,
        crc32: 0,
        mode: 0o644,
        localHeaderOffset: offset,
        dataOffset: offset + 40,
        endOffset: offset + 40 + compressedSize,
        zip64: false,
        encrypted: false,
      }
      offset = entry.endOffset
      return entry
    })
  }

  it('covers the run of small entries up to the first large one', () => {
    const entries = layOut([100, 200, 300, 70_000, 50])
    expect(smallEntryRunBytes(entries, 0, DEFAULT_ZIP_LIMITS)).toBe(100 + 40 + 200 + 40 + 300)
    expect(smallEntryRunBytes(entries, 2, DEFAULT_ZIP_LIMITS)).toBe(300)
    expect(smallEntryRunBytes(entries, 4, DEFAULT_ZIP_LIMITS)).toBe(50)
  })

  it('stops before the entry that would take the read past the batch size', () => {
    const entries = layOut(Array.from({ length: 40 }, () => 60_000))
    const bytes = smallEntryRunBytes(entries, 0, DEFAULT_ZIP_LIMITS)
    expect(bytes).toBeLessThanOrEqual(SMALL_ENTRY_BATCH_BYTES)
    expect(bytes).toBe(17 * 60_000 + 16 * 40)
  })

  it('takes the entry that ends the read exactly at the batch size', () => {
    // 17 entries and the 16 local headers between them fill the batch to the byte.
    const sizes = [...Array.from({ length: 16 }, () => 61_643), 61_648]
    const entries = layOut([...sizes, 100])
    expect(smallEntryRunBytes(entries, 0, DEFAULT_ZIP_LIMITS)).toBe(SMALL_ENTRY_BATCH_BYTES)
  })
})
