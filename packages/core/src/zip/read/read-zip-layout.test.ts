import { describe, expect, it } from 'vitest'

import { PackwrightError } from '../../errors.js'

import {
  type RawZipEntry,
  buildRawZip,
  extraField,
  unicodePathExtra,
} from '../../../test/helpers/build-raw-zip.js'
import { useScratchZipFiles } from '../../../test/helpers/scratch-zip-files.js'
import { type ZipLayout, readZipLayout } from './read-zip-layout.js'
import { resolveZipLimits } from './zip-limits.js'
import { ZipReaderFile } from './zip-reader-file.js'

const scratch = useScratchZipFiles('packwright-zip-layout-')

async function layoutOf(bytes: Uint8Array): Promise<ZipLayout> {
  const file = await ZipReaderFile.open(await scratch.write(bytes))
  try {
    return await readZipLayout(file, resolveZipLimits())
  } finally {
    await file.close()
  }
}

async function layoutOfEntries(entries: RawZipEntry[]): Promise<ZipLayout> {
  return layoutOf(buildRawZip(entries))
}

/** Offset of the first central directory record of a zip `buildRawZip` wrote without a comment. */
function centralStart(bytes: Buffer): number {
  return bytes.readUInt32LE(bytes.length - 6)
}

const agree = '; the local header and the central directory must agree.'

/** The one problem of a layout, which must name `entry` and make it unreadable. */
function onlyProblem(layout: ZipLayout, entry: string): { code: string; message: string } {
  expect(layout.problems).toHaveLength(1)
  const [problem] = layout.problems
  expect(problem?.entry).toBe(entry)
  const index = layout.entries.findIndex((info) => info.name === entry)
  expect([...layout.unreadable]).toEqual([index])
  expect(layout.entries[index]).toMatchObject({ dataOffset: -1, endOffset: -1 })
  return { code: problem?.code ?? '', message: problem?.message ?? '' }
}

describe('readZipLayout places every entry', () => {
  it('gives each entry its data and end offsets, with and without a data descriptor', async () => {
    const layout = await layoutOfEntries([
      { name: 'a', data: 'xy' },
      { name: 'bb', data: 'z', dataDescriptor: true },
      { name: 'c', data: 'w', dataDescriptor: { signature: false } },
      { name: 'd', data: 'v', zip64: true, dataDescriptor: true },
    ])
    expect(layout.problems).toEqual([])
    expect(layout.unreadable.size).toBe(0)
    const spans = layout.entries.map((entry) => [
      entry.localHeaderOffset,
      entry.dataOffset,
      entry.endOffset,
    ])
    // a: 30 + 1 + 2; bb: 30 + 2 + 1 + 16; c: 30 + 1 + 1 + 12; d: 30 + 1 + 20 (ZIP64 extra) + 1 + 24.
    expect(spans).toEqual([
      [0, 31, 33],
      [33, 65, 82],
      [82, 113, 126],
      [126, 177, 202],
    ])
    expect(layout.entries[3]).toMatchObject({ zip64: true, uncompressedSize: 1 })
    expect(layout.declaredTotalUncompressedBytes).toBe(5)
  })

  it('accepts a local header that ends exactly where the central directory starts', async () => {
    const layout = await layoutOfEntries([{ name: '' }])
    expect(layout.problems).toEqual([])
    expect(layout.entries[0]).toMatchObject({ dataOffset: 30, endOffset: 30 })
  })

  it('reads sizes the local header marks as ZIP64 from its extra field', async () => {
    const values = Buffer.alloc(16)
    values.writeBigUInt64LE(1n, 0)
    values.writeBigUInt64LE(1n, 8)
    const layout = await layoutOfEntries([
      {
        name: 'a',
        data: 'x',
        local: {
          compressedSize: 0xffffffff,
          uncompressedSize: 0xffffffff,
          extra: extraField(0x0001, values),
        },
      },
      {
        name: 'b',
        data: 'y',
        local: { compressedSize: 0xffffffff, extra: extraField(0x0001, values.subarray(8)) },
      },
    ])
    expect(layout.problems).toEqual([])
  })
})

describe('readZipLayout compares each local header with its central record', () => {
  it('refuses a local header inside the central directory, or cut off by the end of the file', async () => {
    const bytes = buildRawZip([{ name: 'a', data: 'x' }])
    const start = centralStart(bytes)
    const inside = buildRawZip([{ name: 'a', data: 'x', central: { localHeaderOffset: start } }])
    const problem = onlyProblem(await layoutOf(inside), 'a')
    expect(problem).toEqual({
      code: 'ZIP_ENTRY_OVERLAP',
      message: `Entry "a" has its local header at offset ${start}, inside the central directory (which starts at ${start}).`,
    })
    // A header that would end exactly at the end of the file is still inside the directory.
    const last = buildRawZip([
      { name: 'a', data: 'x', central: { localHeaderOffset: bytes.length - 30 } },
    ])
    expect(onlyProblem(await layoutOf(last), 'a').code).toBe('ZIP_ENTRY_OVERLAP')
    const past = buildRawZip([
      { name: 'a', data: 'x', central: { localHeaderOffset: bytes.length - 29 } },
    ])
    expect(onlyProblem(await layoutOf(past), 'a').code).toBe('ZIP_TRUNCATED')
  })

  it('refuses a missing local header signature', async () => {
    const bytes = buildRawZip([{ name: 'a', data: 'x' }])
    bytes.writeUInt32LE(0x11223344, 0)
    expect(onlyProblem(await layoutOf(bytes), 'a')).toEqual({
      code: 'ZIP_HEADER_MISMATCH',
      message: `Entry "a": expected a local file header at offset 0, found 0x11223344${agree}`,
    })
  })

  it('compares the encryption, descriptor and UTF-8 flags, and only those', async () => {
    for (const flag of [0x0001, 0x0008, 0x0800]) {
      const layout = await layoutOfEntries([{ name: 'a', data: 'x', local: { flags: flag } }])
      const hex = flag.toString(16).padStart(4, '0')
      expect(onlyProblem(layout, 'a')).toEqual({
        code: 'ZIP_HEADER_MISMATCH',
        message: `Entry "a": local header flags are 0x${hex}, central directory flags are 0x0000${agree}`,
      })
    }
    const layout = await layoutOfEntries([{ name: 'a', data: 'x', local: { flags: 0x0006 } }])
    expect(layout.problems).toEqual([])
  })

  it('refuses a local header that gives another method, name or malformed extra fields', async () => {
    const method = await layoutOfEntries([{ name: 'a', data: 'x', local: { method: 8 } }])
    expect(onlyProblem(method, 'a').message).toBe(
      `Entry "a": local header gives compression method 8, central directory gives 0${agree}`,
    )
    const name = await layoutOfEntries([{ name: 'a', data: 'x', local: { name: 'b' } }])
    expect(onlyProblem(name, 'a').message).toBe(`Entry "a": local header names it "b"${agree}`)
    const extra = await layoutOfEntries([
      { name: 'a', data: 'x', local: { extra: Buffer.from([1, 2, 3]) } },
    ])
    expect(onlyProblem(extra, 'a').message).toBe(
      `Entry "a": its local header has a malformed extra-field block (3 stray bytes follow its last extra field)${agree}`,
    )
  })

  it('names the field that differs and prints CRC-32 values in hex', async () => {
    const crc = await layoutOfEntries([{ name: 'a', data: 'x', local: { crc32: 0xabc } }])
    expect(onlyProblem(crc, 'a').message).toMatch(
      /^Entry "a": local header gives CRC-32 0x00000abc, central directory gives 0x[0-9a-f]{8};/,
    )
    const compressed = await layoutOfEntries([
      { name: 'a', data: 'x', local: { compressedSize: 2 } },
    ])
    expect(onlyProblem(compressed, 'a').message).toBe(
      `Entry "a": local header gives compressed size 2, central directory gives 1${agree}`,
    )
    const uncompressed = await layoutOfEntries([
      { name: 'a', data: 'x', local: { uncompressedSize: 0 } },
    ])
    expect(onlyProblem(uncompressed, 'a').message).toBe(
      `Entry "a": local header gives uncompressed size 0, central directory gives 1${agree}`,
    )
  })

  it('lets a local header with a data descriptor give zeros, but not other values', async () => {
    const zeros = await layoutOfEntries([{ name: 'a', data: 'x', dataDescriptor: true }])
    expect(zeros.problems).toEqual([])
    const other = await layoutOfEntries([
      { name: 'a', data: 'x', dataDescriptor: true, local: { compressedSize: 2 } },
    ])
    expect(onlyProblem(other, 'a').message).toBe(
      `Entry "a": local header gives compressed size 2, central directory gives 1${agree}`,
    )
  })

  it('reports a version needed only the local header gives, once', async () => {
    const local = await layoutOfEntries([{ name: 'a', data: 'x', local: { versionNeeded: 47 } }])
    expect(local.problems).toHaveLength(1)
    expect(local.problems[0]).toMatchObject({ code: 'ZIP_UNSUPPORTED', entry: 'a' })
    expect(local.problems[0]?.message).toMatch(/^Entry "a" .*local header/)
    expect(local.unreadable.size).toBe(0)
    const both = await layoutOfEntries([
      { name: 'a', data: 'x', local: { versionNeeded: 47 }, central: { versionNeeded: 47 } },
    ])
    expect(both.problems).toHaveLength(1)
    expect(both.problems[0]?.message).toMatch(/central directory/)
  })
})

describe('readZipLayout checks where each entry ends', () => {
  it('refuses data past the end of the file, or running into the central directory', async () => {
    const past = buildRawZip([{ name: 'a', data: 'x', compressedSize: 1000 }])
    expect(onlyProblem(await layoutOf(past), 'a')).toEqual({
      code: 'ZIP_TRUNCATED',
      message: `Entry "a" needs data bytes 31..1031, but the file ends at ${past.length}.`,
    })
    const into = buildRawZip([{ name: 'a', data: 'x', compressedSize: 2 }])
    expect(onlyProblem(await layoutOf(into), 'a')).toEqual({
      code: 'ZIP_ENTRY_OVERLAP',
      message: 'Entry "a" occupies bytes 0..33, running into the central directory at 32.',
    })
    // Data that ends exactly at the end of the file is not truncated.
    const exact = buildRawZip([{ name: 'a', data: 'x', compressedSize: past.length - 31 }])
    expect(onlyProblem(await layoutOf(exact), 'a').code).toBe('ZIP_ENTRY_OVERLAP')
  })

  it('refuses a data descriptor cut off by the end of the file', async () => {
    const bytes = buildRawZip([{ name: 'a', data: 'x', dataDescriptor: true }])
    // Claim data running to 11 bytes before the end of the file.
    const claimed = bytes.length - 11 - 31
    const cut = buildRawZip([
      { name: 'a', data: 'x', dataDescriptor: true, compressedSize: claimed },
    ])
    expect(onlyProblem(await layoutOf(cut), 'a')).toEqual({
      code: 'ZIP_TRUNCATED',
      message: `Entry "a" needs a data descriptor at offset ${cut.length - 11}, but the file ends at ${cut.length}.`,
    })
    // With 12 bytes left the descriptor is read (and then disagrees).
    const twelve = buildRawZip([
      { name: 'a', data: 'x', dataDescriptor: true, compressedSize: claimed - 1 },
    ])
    expect(onlyProblem(await layoutOf(twelve), 'a').code).toBe('ZIP_HEADER_MISMATCH')
  })

  it('refuses a data descriptor that disagrees with the central record, quoting it', async () => {
    const signed = await layoutOfEntries([
      { name: 'a', data: 'x', dataDescriptor: { crc32: 0x12, compressedSize: 7 } },
    ])
    expect(onlyProblem(signed, 'a').message).toMatch(
      /^Entry "a": data descriptor at offset 32 gives CRC-32 0x00000012 and compressed size 7, central directory gives 0x[0-9a-f]{8} and 1;/,
    )
    const unsigned = await layoutOfEntries([
      {
        name: 'a',
        data: 'x',
        dataDescriptor: { signature: false, crc32: 0x34, compressedSize: 9 },
      },
    ])
    expect(onlyProblem(unsigned, 'a').message).toMatch(
      /^Entry "a": data descriptor at offset 32 gives CRC-32 0x00000034 and compressed size 9,/,
    )
  })

  it('refuses a descriptor whose uncompressed size alone disagrees', async () => {
    const layout = await layoutOfEntries([
      { name: 'a', data: 'x', dataDescriptor: { uncompressedSize: 2 } },
    ])
    expect(onlyProblem(layout, 'a').code).toBe('ZIP_HEADER_MISMATCH')
  })

  it('ends an entry with the descriptor layout that meets the next entry', async () => {
    // A signed 8-byte descriptor for "a" whose bytes also read as a 4-byte one; then "b".
    const layout = await layoutOfEntries([
      { name: 'a', data: 'x', dataDescriptor: { zip64: true } },
      { name: 'b', data: 'y' },
    ])
    expect(layout.problems).toEqual([])
    expect(layout.entries.map((entry) => entry.endOffset)).toEqual([56, 88])
  })
})

describe('readZipLayout finds entries sharing bytes and bytes no entry holds', () => {
  it('refuses an entry starting inside another, making both unreadable', async () => {
    const bytes = buildRawZip([
      { name: 'a', data: 'xxxx' },
      { name: 'b', data: 'y' },
    ])
    // Point "b" one byte into the data of "a", where another copy of its header is.
    const copy = buildRawZip([
      { name: 'a', data: 'xxxx' },
      { name: 'b', data: 'y', central: { localHeaderOffset: 33 } },
    ])
    const header = bytes.subarray(35, 35 + 32)
    const patched = Buffer.concat([copy.subarray(0, 33), header, copy.subarray(33 + 32)])
    const layout = await layoutOf(patched)
    expect(layout.problems.map((problem) => problem.code)).toContain('ZIP_ENTRY_OVERLAP')
    const overlap = layout.problems.find((problem) => problem.code === 'ZIP_ENTRY_OVERLAP')
    expect(overlap).toEqual({
      code: 'ZIP_ENTRY_OVERLAP',
      message:
        'Entry "b" starts at offset 33, inside entry "a" (bytes 0..35); entries must not share bytes.',
      entry: 'b',
    })
    expect([...layout.unreadable].sort()).toEqual([0, 1])
  })

  it('gives neither of two overlapping entries a data or end offset', async () => {
    const bytes = buildRawZip([
      { name: 'a', data: 'xxxx' },
      { name: 'b', data: 'y' },
    ])
    const copy = buildRawZip([
      { name: 'a', data: 'xxxx' },
      { name: 'b', data: 'y', central: { localHeaderOffset: 33 } },
    ])
    // Both local headers read well; only their bytes overlap.
    const header = bytes.subarray(35, 35 + 32)
    const layout = await layoutOf(
      Buffer.concat([copy.subarray(0, 33), header, copy.subarray(33 + 32)]),
    )
    expect(layout.problems.map((problem) => problem.code)).toContain('ZIP_ENTRY_OVERLAP')
    expect(layout.entries.map((entry) => [entry.name, entry.dataOffset, entry.endOffset])).toEqual([
      ['a', -1, -1],
      ['b', -1, -1],
    ])
  })

  it('reports bytes before an entry or before the central directory, and a hidden local header', async () => {
    const layout = await layoutOf(
      buildRawZip([{ name: 'a', data: 'x', before: Buffer.from('junk!') }], {
        gapBeforeCentralDirectory: Buffer.from([0x50, 0x4b, 0x03, 0x04]),
      }),
    )
    expect(layout.problems).toEqual([
      {
        code: 'ZIP_UNACCOUNTED_BYTES',
        message:
          'Bytes 0..5 (5 bytes, before entry "a") belong to no entry listed in the central directory; expected every byte up to the central directory to belong to a listed entry.',
      },
      {
        code: 'ZIP_UNACCOUNTED_BYTES',
        message:
          'Bytes 37..41 (4 bytes, before the central directory) belong to no entry listed in the central directory; expected every byte up to the central directory to belong to a listed entry. They start with a local file header: streaming readers would extract an entry the central directory does not list.',
      },
    ])
    expect(layout.unreadable.size).toBe(0)
    const short = await layoutOf(
      buildRawZip([{ name: 'a', data: 'x' }], {
        gapBeforeCentralDirectory: Buffer.from('PK\u0003'),
      }),
    )
    expect(short.problems.map((problem) => problem.message)).toEqual([
      expect.stringMatching(/^Bytes 32\.\.35 \(3 bytes, before the central directory\).*entry\.$/),
    ])
  })
})

describe('readZipLayout judges the extra fields of local headers', () => {
  const unicodePath = (name: string): Buffer => {
    const header = Buffer.alloc(5)
    header.writeUInt8(1, 0)
    return extraField(0x7075, Buffer.concat([header, Buffer.from(name)]))
  }

  it('refuses a local Unicode Path field naming another name, once per entry', async () => {
    const layout = await layoutOfEntries([
      { name: 'a', data: 'x', local: { extra: unicodePath('b') } },
    ])
    expect(layout.problems).toHaveLength(1)
    expect(layout.problems[0]).toMatchObject({ code: 'ZIP_ENTRY_NAME_AMBIGUOUS', entry: 'a' })
    expect(layout.problems[0]?.message).toMatch(
      /^Entry "a" has an Info-ZIP Unicode Path extra field \(0x7075\) in the local header naming it "b";/,
    )
    const both = await layoutOfEntries([
      {
        name: 'a',
        data: 'x',
        local: { extra: unicodePath('b') },
        central: { extra: unicodePath('c') },
      },
    ])
    expect(both.problems).toHaveLength(1)
    expect(both.problems[0]?.message).toMatch(/central directory/)
  })

  it('accepts a local Unicode Path field repeating the name', async () => {
    const layout = await layoutOfEntries([
      { name: 'a', data: 'x', local: { extra: unicodePath('a') } },
    ])
    expect(layout.problems).toEqual([])
  })

  it('reports a host metadata field of the local header only when the central record has none', async () => {
    const os2 = extraField(0x0009, Buffer.alloc(4))
    const local = await layoutOfEntries([{ name: 'a', data: 'x', local: { extra: os2 } }])
    expect(local.problems).toHaveLength(1)
    expect(local.problems[0]).toMatchObject({ code: 'ZIP_UNSUPPORTED', entry: 'a' })
    expect(local.problems[0]?.message).toMatch(
      /^Entry "a" has a OS\/2 extended attributes extra field \(0x0009\) in the local header,/,
    )
    const both = await layoutOfEntries([
      { name: 'a', data: 'x', local: { extra: os2 }, central: { extra: os2 } },
    ])
    expect(both.problems).toHaveLength(1)
    expect(both.problems[0]?.message).toMatch(/in the central directory/)
  })
})

describe('readZipLayout walks local headers in offset order', () => {
  /** Local header and data of a lone stored entry. */
  const localBytes = (name: string, data: string | Uint8Array): Buffer =>
    buildRawZip([{ name, data }]).subarray(0, 30 + name.length + Buffer.from(data).length)

  it('sorts entries listed out of order by where their local headers are', async () => {
    const layout = await layoutOfEntries([
      { name: 'b', data: 'y', local: { omit: true }, central: { localHeaderOffset: 32 } },
      { name: 'a', data: 'x' },
      { name: 'c', data: 'z', before: localBytes('b', 'y') },
    ])
    expect(layout.problems).toEqual([])
    expect(layout.entries.map((entry) => [entry.name, entry.endOffset])).toEqual([
      ['b', 64],
      ['a', 32],
      ['c', 96],
    ])
  })

  it('measures later entries against the entry reaching furthest, not the last one', async () => {
    // "b" and then "c" sit inside the data of "a"; "c" starts where "b" ends.
    const layout = await layoutOfEntries([
      { name: 'a', data: Buffer.concat([localBytes('b', 'y'), localBytes('c', 'z')]) },
      { name: 'b', data: 'y', local: { omit: true }, central: { localHeaderOffset: 31 } },
      { name: 'c', data: 'z', local: { omit: true }, central: { localHeaderOffset: 63 } },
    ])
    expect(layout.problems.map((problem) => problem.message)).toEqual([
      'Entry "b" starts at offset 31, inside entry "a" (bytes 0..95); entries must not share bytes.',
      'Entry "c" starts at offset 63, inside entry "a" (bytes 0..95); entries must not share bytes.',
    ])
  })

  it('keeps the first of entries ending at the same byte as the one others start inside', async () => {
    // "c" inside "b" inside "a", all three ending at the same byte.
    const layout = await layoutOfEntries([
      { name: 'a', data: localBytes('b', localBytes('c', 'z')) },
      {
        name: 'b',
        data: localBytes('c', 'z'),
        local: { omit: true },
        central: { localHeaderOffset: 31 },
      },
      { name: 'c', data: 'z', local: { omit: true }, central: { localHeaderOffset: 62 } },
    ])
    expect(layout.problems.map((problem) => problem.message)).toEqual([
      'Entry "b" starts at offset 31, inside entry "a" (bytes 0..94); entries must not share bytes.',
      'Entry "c" starts at offset 62, inside entry "a" (bytes 0..94); entries must not share bytes.',
    ])
  })

  it('moves on to a later entry that reaches further', async () => {
    // "b" follows "a"; "c" sits inside the data of "b".
    const layout = await layoutOfEntries([
      { name: 'a', data: 'x' },
      { name: 'b', data: localBytes('c', 'z') },
      { name: 'c', data: 'z', local: { omit: true }, central: { localHeaderOffset: 63 } },
    ])
    expect(layout.problems.map((problem) => problem.message)).toEqual([
      'Entry "c" starts at offset 63, inside entry "b" (bytes 32..95); entries must not share bytes.',
    ])
  })
})

describe('readZipLayout picks the data descriptor layout', () => {
  // An empty entry's signed 8-byte-size descriptor also reads as a signed 4-byte one.
  it('takes the reading that meets the next entry even when it is not the likelier one', async () => {
    const layout = await layoutOfEntries([
      { name: 'a', dataDescriptor: { zip64: true } },
      { name: 'b', data: 'y' },
    ])
    expect(layout.problems).toEqual([])
    expect(layout.entries.map((entry) => entry.endOffset)).toEqual([55, 87])
  })

  it('falls back on 4-byte sizes first, or on 8-byte ones for a ZIP64 entry', async () => {
    const gap = { gapBeforeCentralDirectory: Buffer.from('junk') }
    const plain = await layoutOf(buildRawZip([{ name: 'a', dataDescriptor: { zip64: true } }], gap))
    expect(plain.entries[0]?.endOffset).toBe(47)
    expect(plain.problems.map((problem) => problem.message)).toEqual([
      'Bytes 47..59 (12 bytes, before the central directory) belong to no entry listed in the central directory; expected every byte up to the central directory to belong to a listed entry.',
    ])
    const wide = await layoutOf(
      buildRawZip([{ name: 'a', zip64: true, dataDescriptor: { zip64: true } }], gap),
    )
    const end = wide.entries[0]?.endOffset ?? 0
    expect(wide.problems.map((problem) => problem.message)).toEqual([
      `Bytes ${end}..${end + 4} (4 bytes, before the central directory) belong to no entry listed in the central directory; expected every byte up to the central directory to belong to a listed entry.`,
    ])
  })

  it('refuses a descriptor whose compressed size alone disagrees', async () => {
    const layout = await layoutOfEntries([
      { name: 'a', data: 'x', dataDescriptor: { compressedSize: 7 } },
    ])
    expect(onlyProblem(layout, 'a').code).toBe('ZIP_HEADER_MISMATCH')
  })
})

describe('readZipLayout reads ZIP64 sizes of the local header', () => {
  it('reads only the sizes the local header marks', async () => {
    const value = Buffer.alloc(8)
    value.writeBigUInt64LE(1n)
    const layout = await layoutOfEntries([
      {
        name: 'a',
        data: 'x',
        local: { uncompressedSize: 0xffffffff, extra: extraField(0x0001, value) },
      },
    ])
    expect(layout.problems).toEqual([])
  })

  it('names the size and the header a missing ZIP64 field leaves unknown', async () => {
    const uncompressed = await layoutOfEntries([
      { name: 'a', data: 'x', local: { uncompressedSize: 0xffffffff } },
    ])
    expect(onlyProblem(uncompressed, 'a').message).toBe(
      'Entry "a" marks its uncompressed size as ZIP64 in the local header, but its ZIP64 extra field is missing.',
    )
    const compressed = await layoutOfEntries([
      { name: 'a', data: 'x', local: { compressedSize: 0xffffffff } },
    ])
    expect(onlyProblem(compressed, 'a').message).toBe(
      'Entry "a" marks its compressed size as ZIP64 in the local header, but its ZIP64 extra field is missing.',
    )
  })
})

describe('readZipLayout reading local headers', () => {
  const headerOffsets = (file: ZipReaderFile): number[] => {
    const offsets: number[] = []
    const cached = file.cached.bind(file)
    const read = file.read.bind(file)
    file.cached = (offset, length) => {
      if (length === 30) offsets.push(offset)
      return cached(offset, length)
    }
    file.read = (offset, length, what, minRead) => {
      if (length === 30 && !offsets.includes(offset)) offsets.push(offset)
      return read(offset, length, what, minRead)
    }
    return offsets
  }

  it('checks for cancellation once every 1024 entries', async () => {
    const entries = Array.from({ length: 1100 }, (_, i): RawZipEntry => ({ name: `e${i}` }))
    const bytes = buildRawZip(entries)
    const file = await ZipReaderFile.open(await scratch.write(bytes))
    try {
      const controller = new AbortController()
      const offsets = headerOffsets(file)
      const cached = file.cached.bind(file)
      file.cached = (offset, length) => {
        // Cancelled while the second local header is looked at.
        if (length === 30 && offset > 0) controller.abort()
        return cached(offset, length)
      }
      const error: unknown = await readZipLayout(file, resolveZipLimits(), controller.signal).catch(
        (caught: unknown) => caught,
      )
      expect(error).toBeInstanceOf(PackwrightError)
      expect((error as PackwrightError).code).toBe('ABORTED')
      expect(new Set(offsets).size).toBe(1024)
    } finally {
      await file.close()
    }
  })

  it('lets a failed read of a local header end the whole read', async () => {
    const file = await ZipReaderFile.open(
      await scratch.write(buildRawZip([{ name: 'a', data: 'x' }])),
    )
    try {
      const failure = new PackwrightError('ZIP_READ_FAILED', 'disk gone')
      file.cached = () => undefined
      const read = file.read.bind(file)
      file.read = (offset, length, what, minRead) =>
        what.startsWith('The local header')
          ? Promise.reject(failure)
          : read(offset, length, what, minRead)
      await expect(readZipLayout(file, resolveZipLimits())).rejects.toBe(failure)
    } finally {
      await file.close()
    }
  })
})

describe('readZipLayout reports what the central record leaves unreported', () => {
  it('reports a local Unicode Path name even when the central record has another problem', async () => {
    const os2 = extraField(0x0009, Buffer.alloc(4))
    const layout = await layoutOfEntries([
      {
        name: 'a',
        data: 'x',
        local: { extra: unicodePathExtra('a', 'b') },
        central: { extra: os2 },
      },
    ])
    expect(layout.problems.map((problem) => problem.code)).toEqual([
      'ZIP_UNSUPPORTED',
      'ZIP_ENTRY_NAME_AMBIGUOUS',
    ])
  })

  it('gives the end of a data descriptor running into the central directory', async () => {
    // The descriptor's uncompressed size is read from the central directory signature.
    const entry: RawZipEntry = {
      name: 'a',
      dataDescriptor: { signature: false },
      uncompressedSize: 0x02014b50,
    }
    const header = buildRawZip([entry]).subarray(0, 31)
    const layout = await layoutOf(
      buildRawZip([{ ...entry, local: { omit: true }, central: { localHeaderOffset: 0 } }], {
        gapBeforeCentralDirectory: Buffer.concat([header, Buffer.alloc(8)]),
      }),
    )
    expect(onlyProblem(layout, 'a')).toEqual({
      code: 'ZIP_ENTRY_OVERLAP',
      message: 'Entry "a" occupies bytes 0..43, running into the central directory at 39.',
    })
  })
})

describe('readZipLayout reads the variable part of a local header', () => {
  it('refuses a local header whose name and extra fields run past the end of the file', async () => {
    const bytes = buildRawZip([{ name: 'a', data: 'x' }])
    bytes.writeUInt16LE(60000, 26)
    bytes.writeUInt16LE(5, 28)
    expect(onlyProblem(await layoutOf(bytes), 'a')).toEqual({
      code: 'ZIP_TRUNCATED',
      message: `The local header of entry "a" needs bytes 30..60035 but the file ends at ${bytes.length}.`,
    })
  })
})

describe('readZipLayout compares the names both headers resolve to', () => {
  it('refuses a local header without the Unicode Path field the central record names the entry by', async () => {
    const raw = Buffer.from('\u00e9', 'utf8')
    const layout = await layoutOfEntries([
      { name: raw, data: 'x', central: { extra: unicodePathExtra(raw, '\u251c\u2310') } },
    ])
    const cp437 = '"\u251c\u2310"'
    expect(layout.problems.map((problem) => problem.message)).toEqual([
      `Entry ${cp437} is named "\u00e9" by its local header's Unicode Path field but ${cp437} by the central directory; expected both to agree.`,
    ])
  })
})

describe('readZipLayout with two records sharing a local header', () => {
  it('takes the one listed first as the one the other starts inside', async () => {
    const raw = Buffer.from('\u00e9', 'utf8')
    const layout = await layoutOfEntries([
      { name: raw, data: 'x' },
      {
        name: raw,
        data: 'x',
        local: { omit: true },
        central: { localHeaderOffset: 0, extra: unicodePathExtra(raw, '\u251c\u2310') },
      },
    ])
    const cp437 = '"\u251c\u2310"'
    expect(layout.problems.map((problem) => problem.message)).toContain(
      `Entry ${cp437} starts at offset 0, inside entry "\u00e9" (bytes 0..33); entries must not share bytes.`,
    )
  })
})
