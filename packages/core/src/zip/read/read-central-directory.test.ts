import { describe, expect, it } from 'vitest'

import {
  type RawZipEntry,
  buildRawZip,
  extraField,
  unicodePathExtra,
} from '../../../test/helpers/build-raw-zip.js'
import { rejection } from '../../../test/helpers/rejection.js'
import { useScratchZipFiles } from '../../../test/helpers/scratch-zip-files.js'
import { type CentralDirectory, readCentralDirectory } from './read-central-directory.js'
import { type ZipLimits, resolveZipLimits } from './zip-limits.js'
import { ZipReaderFile } from './zip-reader-file.js'

const scratch = useScratchZipFiles('packwright-central-directory-')

async function readDirectory(
  bytes: Uint8Array,
  limits: Partial<ZipLimits> = {},
): Promise<CentralDirectory> {
  const file = await ZipReaderFile.open(await scratch.write(bytes))
  try {
    return await readCentralDirectory(file, resolveZipLimits(limits))
  } finally {
    await file.close()
  }
}

const FLAG_UTF8 = 0x0800
const CENTRAL_HEADER_SIZE = 46

/** Offset of the first central directory record of a zip `buildRawZip` wrote without a comment. */
function centralStart(bytes: Buffer): number {
  return bytes.readUInt32LE(bytes.length - 6)
}

describe('readCentralDirectory reads each record as stored', () => {
  it('returns the fields of every record and where the directory sits', async () => {
    const bytes = buildRawZip([
      { name: 'a.txt', data: 'hello' },
      {
        name: 'b/',
        versionMadeBy: 0x031e,
        flags: 0x0002,
        central: { versionNeeded: 10 },
      },
      { name: 'c', data: 'x', crc32: 0x01020304, zip64: true },
    ])
    const start = centralStart(bytes)
    const directory = await readDirectory(bytes)
    expect(directory.start).toBe(start)
    expect(directory.trailerStart).toBe(bytes.length - 22)
    expect(directory.end).toBe(bytes.length - 22)
    expect(directory.declaredTotalUncompressedBytes).toBe(6)
    const [a, b, c] = directory.records
    expect(a).toMatchObject({
      index: 0,
      name: 'a.txt',
      kind: 'file',
      versionMadeBy: 0x0314,
      versionNeeded: 20,
      flags: 0,
      method: 0,
      compressedSize: 5,
      uncompressedSize: 5,
      localHeaderOffset: 0,
      zip64: false,
      encrypted: false,
      invalidUtf8: false,
      metadataExtraField: false,
      problems: [],
    })
    expect(a?.rawName.toString()).toBe('a.txt')
    expect(b).toMatchObject({
      index: 1,
      name: 'b/',
      kind: 'directory',
      versionMadeBy: 0x031e,
      versionNeeded: 10,
      flags: 2,
      localHeaderOffset: 40,
      externalAttributes: 0o40755 * 0x10000,
      mode: 0o755,
    })
    expect(c).toMatchObject({ index: 2, crc32: 0x01020304, zip64: true, uncompressedSize: 1 })
  })

  it('counts an entry as ZIP64 when it has the extra field without any 0xFFFFFFFF marker', async () => {
    const zip64 = Buffer.alloc(8)
    const bytes = buildRawZip([
      { name: 'a', data: 'x', central: { extra: extraField(0x0001, zip64) } },
    ])
    const [record] = (await readDirectory(bytes)).records
    expect(record?.zip64).toBe(true)
    expect(record?.uncompressedSize).toBe(1)
  })

  it('marks entries encrypted by any of the three encryption flags', async () => {
    const flags = [0x0001, 0x0040, 0x2000, 0x0002]
    const entries = flags.map((flag): RawZipEntry => ({ name: `f${flag}`, data: 'x', flags: flag }))
    const records = (await readDirectory(buildRawZip(entries))).records
    expect(records.map((record) => record.encrypted)).toEqual([true, true, true, false])
  })
})

describe('readCentralDirectory enforces its limits at their bounds', () => {
  const entries = [1, 2, 3].map((n): RawZipEntry => ({ name: `f${n}`, data: String(n) }))

  it('allows exactly maxEntries entries and refuses one more, saying how many', async () => {
    await expect(readDirectory(buildRawZip(entries), { maxEntries: 3 })).resolves.toBeDefined()
    const error = await rejection(readDirectory(buildRawZip(entries), { maxEntries: 2 }))
    expect(error.code).toBe('ZIP_TOO_MANY_ENTRIES')
    expect(error.message).toBe('The zip declares 3 entries; at most 2 are allowed.')
    expect(error.details).toEqual({ declared: 3, limit: 2 })
  })

  it('allows a central directory of exactly maxCentralDirectoryBytes and refuses one byte more', async () => {
    const size = 3 * (CENTRAL_HEADER_SIZE + 2)
    const bytes = buildRawZip(entries)
    await expect(readDirectory(bytes, { maxCentralDirectoryBytes: size })).resolves.toBeDefined()
    const error = await rejection(readDirectory(bytes, { maxCentralDirectoryBytes: size - 1 }))
    expect(error.code).toBe('ZIP_TOO_LARGE')
    expect(error.message).toBe(
      `The zip's central directory is ${size} bytes; at most ${size - 1} are allowed.`,
    )
    expect(error.details).toEqual({ declared: size, limit: size - 1 })
  })

  it('allows a declared total of exactly maxTotalUncompressedBytes and refuses one byte more', async () => {
    const bytes = buildRawZip(entries)
    await expect(readDirectory(bytes, { maxTotalUncompressedBytes: 3 })).resolves.toBeDefined()
    const error = await rejection(readDirectory(bytes, { maxTotalUncompressedBytes: 2 }))
    expect(error.code).toBe('ZIP_TOO_LARGE')
    expect(error.message).toBe(
      "The zip's entries declare 3 uncompressed bytes in total; at most 2 are allowed.",
    )
    expect(error.details).toEqual({ declared: 3, limit: 2 })
  })

  it('checks the ratio from ratioCheckMinBytes on, and allows exactly the limit', async () => {
    const limits = { ratioCheckMinBytes: 100, maxCompressionRatio: 10 }
    const claim = (uncompressedSize: number, compressedSize: number): Buffer =>
      buildRawZip([
        { name: 'r', compressed: Buffer.alloc(compressedSize), uncompressedSize, method: 8 },
      ])
    // 99 bytes from 1 is under the checked size; 100 from 10 is exactly the ratio.
    await expect(readDirectory(claim(99, 1), limits)).resolves.toBeDefined()
    await expect(readDirectory(claim(100, 10), limits)).resolves.toBeDefined()
    const error = await rejection(readDirectory(claim(100, 9), limits))
    expect(error.code).toBe('ZIP_COMPRESSION_RATIO_EXCEEDED')
    expect(error.message).toBe(
      'Entry "r" declares 100 bytes compressed into 9 (ratio 11.1); the limit is 10 for entries of 100 bytes or more.',
    )
    expect(error.details).toEqual({
      entry: 'r',
      uncompressedSize: 100,
      compressedSize: 9,
      limit: 10,
    })
    const unbounded = await rejection(readDirectory(claim(100, 0), limits))
    expect(unbounded.message).toContain('compressed into 0 (ratio unbounded)')
  })
})

describe('readCentralDirectory refuses directories that do not fit their end records', () => {
  it('refuses bytes between the directory and the end records, saying which', async () => {
    const bytes = buildRawZip([{ name: 'a', data: 'x' }], {
      gapAfterCentralDirectory: Buffer.alloc(5),
    })
    const start = centralStart(bytes)
    const end = start + CENTRAL_HEADER_SIZE + 1
    const error = await rejection(readDirectory(bytes))
    expect(error.code).toBe('ZIP_UNACCOUNTED_BYTES')
    expect(error.message).toBe(
      `Bytes ${end}..${end + 5} (5 bytes) between the central directory and the end records belong to no record; every byte of a zip must belong to an entry, the central directory or the end records.`,
    )
  })

  it('tells a directory past the end of the file from one overlapping the end records', async () => {
    const plain = buildRawZip([{ name: 'a', data: 'x' }])
    const start = centralStart(plain)
    const size = CENTRAL_HEADER_SIZE + 1
    const past = buildRawZip([{ name: 'a', data: 'x' }], { eocd: { size: size + 100 } })
    const truncated = await rejection(readDirectory(past))
    expect(truncated.code).toBe('ZIP_TRUNCATED')
    expect(truncated.message).toBe(
      `The central directory should span bytes ${start}..${start + size + 100}, but the file is only ${past.length} bytes long.`,
    )
    // One byte into the end record: still inside the file.
    const into = buildRawZip([{ name: 'a', data: 'x' }], { eocd: { size: size + 1 } })
    const overlap = await rejection(readDirectory(into))
    expect(overlap.code).toBe('ZIP_ENTRY_OVERLAP')
    expect(overlap.message).toBe(
      `The central directory (bytes ${start}..${start + size + 1}) overlaps the end records starting at ${start + size}.`,
    )
    // Ending exactly at the end of the file is still an overlap.
    const toEnd = buildRawZip([{ name: 'a', data: 'x' }], { eocd: { size: size + 22 } })
    expect((await rejection(readDirectory(toEnd))).code).toBe('ZIP_ENTRY_OVERLAP')
  })

  it('refuses a directory too small for its declared entries, but not one of exactly 46 bytes each', async () => {
    // Empty names make records of exactly 46 bytes.
    const exact = buildRawZip([{ name: '' }, { name: '' }])
    const records = (await readDirectory(exact)).records
    expect(records).toHaveLength(2)
    const bytes = buildRawZip([{ name: 'a', data: 'x' }], { eocd: { entries: 2 } })
    const error = await rejection(readDirectory(bytes))
    expect(error.code).toBe('ZIP_HEADER_MISMATCH')
    expect(error.message).toBe(
      'The central directory is 47 bytes, too small for the 2 entries it declares.',
    )
  })

  it('refuses a directory that holds fewer records than declared', async () => {
    const name = 'n'.repeat(CENTRAL_HEADER_SIZE)
    const bytes = buildRawZip([{ name, data: 'x' }], { eocd: { entries: 2 } })
    const end = centralStart(bytes) + CENTRAL_HEADER_SIZE + name.length
    const error = await rejection(readDirectory(bytes))
    expect(error.code).toBe('ZIP_HEADER_MISMATCH')
    expect(error.message).toBe(
      `The central directory ends at ${end} after 1 records, but 2 are declared.`,
    )
  })

  it('refuses a directory with bytes after its last declared record', async () => {
    const name = 'n'.repeat(CENTRAL_HEADER_SIZE + 4)
    const bytes = buildRawZip(
      [
        { name: 'a', data: 'x' },
        { name, data: 'y' },
      ],
      { eocd: { entries: 1, diskEntries: 1 } },
    )
    const start = centralStart(bytes)
    const end = bytes.length - 22
    const error = await rejection(readDirectory(bytes))
    expect(error.code).toBe('ZIP_HEADER_MISMATCH')
    expect(error.message).toBe(
      `The central directory declares 1 entries, which end at ${start + CENTRAL_HEADER_SIZE + 1}, but it is ${end - start} bytes long (ending at ${end}).`,
    )
  })

  it('refuses a record without its signature, or whose lengths run past the directory', async () => {
    const bytes = buildRawZip([
      { name: 'a', data: 'x' },
      { name: 'b', data: 'y' },
    ])
    const second = centralStart(bytes) + CENTRAL_HEADER_SIZE + 1
    const unsigned = Buffer.from(bytes)
    unsigned.writeUInt32LE(0x12345678, second)
    const error = await rejection(readDirectory(unsigned))
    expect(error.code).toBe('ZIP_HEADER_MISMATCH')
    expect(error.message).toBe(
      `Expected central directory record 1 at offset ${second}, found 0x12345678.`,
    )
    const long = Buffer.from(bytes)
    long.writeUInt16LE(1, second + 32)
    const past = await rejection(readDirectory(long))
    expect(past.code).toBe('ZIP_HEADER_MISMATCH')
    expect(past.message).toBe(
      `Central directory record 1 at offset ${second} runs to ${second + CENTRAL_HEADER_SIZE + 2}, past the end of the central directory at ${second + CENTRAL_HEADER_SIZE + 1}.`,
    )
  })

  it('names the entry whose extra-field block is malformed', async () => {
    const bytes = buildRawZip([
      { name: 'bad', data: 'x', central: { extra: Buffer.from([1, 0, 9, 0]) } },
    ])
    const error = await rejection(readDirectory(bytes))
    expect(error.code).toBe('ZIP_HEADER_MISMATCH')
    expect(error.message).toBe(
      `Entry "bad" has a malformed extra-field block in the central directory: its extra field 0x0001 at byte 0 of the block runs past the block's 4 bytes.`,
    )
    expect(error.details).toEqual({ entry: 'bad' })
  })
})

describe('readCentralDirectory bounds names', () => {
  it('allows a 4096-byte name and refuses a 4097-byte one', async () => {
    const part = 'p'.repeat(200)
    const name = (length: number): string => `${`${part}/`.repeat(20)}${'q'.repeat(length - 4020)}`
    const [accepted] = (await readDirectory(buildRawZip([{ name: name(4096) }]))).records
    expect(accepted?.problems).toEqual([])
    const error = await rejection(readDirectory(buildRawZip([{ name: name(4097) }])))
    expect(error.code).toBe('ZIP_ENTRY_PATH_TOO_LONG')
    expect(error.message).toBe(
      `Entry ${JSON.stringify(`${name(4097).slice(0, 200)}…`)} has a 4097-byte name; at most 4096 bytes are allowed.`,
    )
    expect(error.details).toEqual({ entry: name(4097) })
  })

  /** The problem codes of each record of a zip holding `names`, flagged as UTF-8 when `utf8`. */
  async function componentProblems(
    names: readonly Uint8Array[],
    options: { utf8?: boolean; extras?: readonly (Buffer | undefined)[] } = {},
  ): Promise<string[][]> {
    const entries = names.map((name, index): RawZipEntry => ({
      name,
      flags: options.utf8 === true ? FLAG_UTF8 : 0,
      ...(options.extras?.[index] === undefined
        ? {}
        : { central: { extra: options.extras[index] } }),
    }))
    const records = (await readDirectory(buildRawZip(entries))).records
    return records.map((record) => record.problems.map((problem) => problem.code))
  }

  it('allows a 255-byte part between slashes and refuses a 256-byte one, as stored', async () => {
    const names = [
      'a'.repeat(255),
      `x/${'a'.repeat(256)}/y`,
      `${'a'.repeat(200)}/${'b'.repeat(200)}`,
    ]
    const problems = await componentProblems(names.map((name) => Buffer.from(name)))
    expect(problems).toEqual([[], ['ZIP_ENTRY_PATH_TOO_LONG'], []])
    const records = (await readDirectory(buildRawZip([{ name: `x/${'a'.repeat(256)}/y` }]))).records
    expect(records[0]?.problems[0]?.message).toBe(
      `Entry ${JSON.stringify(`x/${'a'.repeat(198)}…`)} has a 256-byte part between slashes, which no file system can create (extractors fail on it); at most 255 bytes are allowed.`,
    )
  })

  it('counts the UTF-8 bytes of a name that is not its stored bytes, character by character', async () => {
    // An invalid byte makes the name differ from its bytes: it reads as U+FFFD, 3 bytes in UTF-8.
    const invalid = (text: string): Buffer =>
      Buffer.concat([Buffer.from([0xff]), Buffer.from(text, 'utf8')])
    const names = [
      // 3 + 2 + 251 = 256 bytes: U+0080 takes 2 bytes.
      invalid(`\u0080${'a'.repeat(251)}`),
      // 3 + 3 + 250 = 256 bytes: U+0800 takes 3 bytes.
      invalid(`\u0800${'a'.repeat(250)}`),
      // 3 + 4 + 248 = 255 bytes: U+10000 (a surrogate pair starting with 0xD800) takes 4 bytes.
      invalid(`\u{10000}${'a'.repeat(248)}`),
      // 3 + 4 + 248 = 255 bytes: U+10FFFF (a pair ending with 0xDFFF) takes 4 bytes.
      invalid(`\u{10ffff}${'a'.repeat(248)}`),
      // 3 + 252 = 255 bytes, then a second part of the same length.
      invalid(`${'a'.repeat(252)}/${'b'.repeat(255)}`),
      // 3 + 1 + 251 = 255 bytes: U+007F takes 1 byte.
      invalid(`\u007f${'a'.repeat(251)}`),
      // 3 + 2 + 250 = 255 bytes: U+07FF takes 2 bytes.
      invalid(`\u07ff${'a'.repeat(250)}`),
      // 3 + 3 + 250 = 256 bytes: U+E000, just past the surrogates, takes 3 bytes.
      invalid(`\ue000${'a'.repeat(250)}`),
    ]
    expect(await componentProblems(names, { utf8: true })).toEqual([
      ['ZIP_ENTRY_PATH_TOO_LONG'],
      ['ZIP_ENTRY_PATH_TOO_LONG'],
      [],
      [],
      [],
      [],
      [],
      ['ZIP_ENTRY_PATH_TOO_LONG'],
    ])
  })

  it('counts the CP437 spelling of a legacy name, or the one its Unicode Path field chooses', async () => {
    // 0x80 is Ç in CP437, 2 bytes in UTF-8: 128 stored bytes make a 256-byte name.
    const legacy = Buffer.alloc(128, 0x80)
    const cp437 = 'Ç'.repeat(128)
    // é stored as UTF-8 without the flag reads as é (2 bytes), or in CP437 as ├⌐ (6 bytes).
    const utf8 = Buffer.from('é'.repeat(50))
    const spelledCp437 = '├⌐'.repeat(50)
    const unicodePath = (name: string): Buffer => {
      const header = Buffer.alloc(5)
      header.writeUInt8(1, 0)
      const data = Buffer.concat([header, Buffer.from(name, 'utf8')])
      return extraField(0x7075, data)
    }
    const problems = await componentProblems([legacy, utf8, utf8], {
      extras: [unicodePath(cp437), unicodePath(spelledCp437), undefined],
    })
    expect(problems).toEqual([['ZIP_ENTRY_PATH_TOO_LONG'], ['ZIP_ENTRY_PATH_TOO_LONG'], []])
  })
})

describe('readCentralDirectory refuses split archives and unknown attributes', () => {
  it('refuses an entry on another disk, given in the record or in its ZIP64 field', async () => {
    const onDisk = await rejection(
      readDirectory(buildRawZip([{ name: 'a', data: 'x', central: { diskStart: 2 } }])),
    )
    expect(onDisk.code).toBe('ZIP_UNSUPPORTED')
    expect(onDisk.message).toBe(
      'This zip cannot be read: entry "a" starts on disk 2 (split archives are not supported).',
    )
    expect(onDisk.details).toEqual({ entry: 'a' })
    const disk = (value: number): Buffer => {
      const data = Buffer.alloc(4)
      data.writeUInt32LE(value, 0)
      return extraField(0x0001, data)
    }
    const zip64 = await rejection(
      readDirectory(
        buildRawZip([{ name: 'b', data: 'x', central: { diskStart: 0xffff, extra: disk(3) } }]),
      ),
    )
    expect(zip64.code).toBe('ZIP_UNSUPPORTED')
    expect(zip64.message).toBe(
      'This zip cannot be read: entry "b" starts on disk 3, given in its ZIP64 extra field (split archives are not supported).',
    )
    expect(zip64.details).toEqual({ entry: 'b' })
    const [record] = (
      await readDirectory(
        buildRawZip([{ name: 'c', data: 'x', central: { diskStart: 0xffff, extra: disk(0) } }]),
      )
    ).records
    expect(record).toMatchObject({ name: 'c', zip64: true, problems: [] })
  })

  it('reads the ZIP64 sizes and offset that are marked, in the order of the format', async () => {
    const values = Buffer.alloc(16)
    values.writeBigUInt64LE(1n, 0)
    values.writeBigUInt64LE(0n, 8)
    const [record] = (
      await readDirectory(
        buildRawZip([
          {
            name: 'a',
            data: 'x',
            central: {
              compressedSize: 0xffffffff,
              localHeaderOffset: 0xffffffff,
              extra: extraField(0x0001, values),
            },
          },
        ]),
      )
    ).records
    expect(record).toMatchObject({ compressedSize: 1, uncompressedSize: 1, localHeaderOffset: 0 })
  })

  it('reads a record whose name and extra field run past the 1 MiB it read ahead', async () => {
    // Records are read from a 1 MiB window that starts at the first one. Long
    // comments place the fixed part of one record at the very end of that window.
    const WINDOW = 1024 * 1024
    const full = (index: number): RawZipEntry => ({
      name: `${index}`.padStart(2, '0'),
      central: { comment: 'c'.repeat(65_535) },
    })
    const entries = Array.from({ length: 15 }, (_, index) => full(index))
    const used = 15 * (CENTRAL_HEADER_SIZE + 2 + 65_535)
    // The filler ends where only the crossing record's fixed 46 bytes fit.
    const fillerComment = WINDOW - CENTRAL_HEADER_SIZE - used - (CENTRAL_HEADER_SIZE + 2)
    entries.push({ name: 'fl', central: { comment: 'c'.repeat(fillerComment) } })
    // Its Unicode Path field, read with the name, names it differently: a problem.
    const stored = 'crossing/name.txt'
    entries.push({
      name: stored,
      central: { extra: unicodePathExtra(stored, 'crossing/nämé.txt') },
    })
    entries.push({ name: 'after.txt', data: 'y' })
    const bytes = buildRawZip(entries)
    const directory = await readDirectory(bytes)
    expect(directory.records[16]).toMatchObject({
      name: stored,
      problems: [expect.objectContaining({ code: 'ZIP_ENTRY_NAME_AMBIGUOUS', entry: stored })],
    })
    expect(directory.records[17]).toMatchObject({ name: 'after.txt', problems: [] })
    expect(directory.records.map((record) => record.name).slice(14, 16)).toEqual(['14', 'fl'])
  })

  it('reads a name longer than the extra field that follows it whole', async () => {
    const timestamp = extraField(0x5455, Buffer.from([1, 0, 0, 0, 0]))
    const name = 'folder/a-long-name.txt'
    const [record] = (
      await readDirectory(buildRawZip([{ name, data: 'x', central: { extra: timestamp } }]))
    ).records
    expect(record).toMatchObject({ name, problems: [] })
  })

  it('keeps every problem of an entry that has several', async () => {
    const name = 'x'.repeat(300)
    const [record] = (
      await readDirectory(
        buildRawZip([{ name, data: 'x', central: { internalAttributes: 0x0004 } }]),
      )
    ).records
    expect(record?.problems.map((problem) => problem.code)).toEqual([
      'ZIP_ENTRY_PATH_TOO_LONG',
      'ZIP_UNSUPPORTED',
    ])
  })

  it('measures every part of a legacy name in UTF-8, not only the last', async () => {
    // 200 bytes of CP437 0x82 read as 200 "é", 400 bytes in UTF-8.
    const name = Buffer.concat([Buffer.alloc(200, 0x82), Buffer.from('/a')])
    const [record] = (await readDirectory(buildRawZip([{ name, data: 'x' }]))).records
    // Readers also disagree on such a name (CP437 or UTF-8): that is a problem of its own.
    expect(record?.problems.map((problem) => problem.code)).toEqual([
      'ZIP_ENTRY_NAME_AMBIGUOUS',
      'ZIP_ENTRY_PATH_TOO_LONG',
    ])
  })

  it('names the field marked as ZIP64 when the ZIP64 extra field is missing', async () => {
    const fields: [string, Record<string, number>][] = [
      ['uncompressed size', { uncompressedSize: 0xffffffff }],
      ['compressed size', { compressedSize: 0xffffffff }],
      ['local header offset', { localHeaderOffset: 0xffffffff }],
    ]
    for (const [field, central] of fields) {
      const error = await rejection(readDirectory(buildRawZip([{ name: 'a', data: 'x', central }])))
      expect(error.message).toBe(
        `Entry "a" marks its ${field} as ZIP64 in the central directory, but its ZIP64 extra field is missing.`,
      )
    }
  })

  it('names the ZIP64 field whose value is beyond 2^53', async () => {
    const values = Buffer.alloc(8)
    values.writeBigUInt64LE(2n ** 60n, 0)
    const central = { uncompressedSize: 0xffffffff, extra: extraField(0x0001, values) }
    const error = await rejection(readDirectory(buildRawZip([{ name: 'a', data: 'x', central }])))
    expect(error.message).toBe(
      `This zip cannot be read: the uncompressed size of "a" is ${2n ** 60n}, beyond what can be addressed (2^53).`,
    )
  })

  it('names the internal attribute bits it does not understand', async () => {
    const bytes = buildRawZip([
      { name: 'a', data: 'x', central: { internalAttributes: 0x0004 } },
      { name: 'b', data: 'x', central: { internalAttributes: 0x0001 } },
    ])
    const [a, b] = (await readDirectory(bytes)).records
    expect(a?.problems).toEqual([
      {
        code: 'ZIP_UNSUPPORTED',
        message:
          'Entry "a" has internal attributes 0x0004 in the central directory; only bit 0 (text) is understood, and unzip extracts a symlink with bit 2 set as a file.',
        entry: 'a',
      },
    ])
    expect(b?.problems).toEqual([])
  })
})

describe('readCentralDirectory notices cancellation while walking the records', () => {
  it('checks for cancellation before the first record and then once every 1024 records', async () => {
    const entries = Array.from({ length: 1100 }, (_, i): RawZipEntry => ({ name: `e${i}` }))
    const bytes = buildRawZip(entries)
    const start = centralStart(bytes)
    const file = await ZipReaderFile.open(await scratch.write(bytes))
    try {
      const controller = new AbortController()
      const headers = new Set<number>()
      const cached = file.cached.bind(file)
      file.cached = (offset, length) => {
        if (length === CENTRAL_HEADER_SIZE) {
          headers.add(offset)
          // Cancelled while the second record is looked at.
          if (offset > start) controller.abort()
        }
        return cached(offset, length)
      }
      const error = await rejection(
        readCentralDirectory(file, resolveZipLimits(), controller.signal),
      )
      expect(error.code).toBe('ABORTED')
      expect(headers.size).toBe(1024)
    } finally {
      await file.close()
    }
  })

  it('stops before the only record when cancelled while the end records are read', async () => {
    const file = await ZipReaderFile.open(
      await scratch.write(buildRawZip([{ name: 'a', data: 'x' }])),
    )
    try {
      const controller = new AbortController()
      const read = file.read.bind(file)
      file.read = (offset, length, what, minRead) => {
        controller.abort()
        return read(offset, length, what, minRead)
      }
      let headers = 0
      const cached = file.cached.bind(file)
      file.cached = (offset, length) => {
        if (length === CENTRAL_HEADER_SIZE) headers++
        return cached(offset, length)
      }
      const error = await rejection(
        readCentralDirectory(file, resolveZipLimits(), controller.signal),
      )
      expect(error.code).toBe('ABORTED')
      expect(headers).toBe(0)
    } finally {
      await file.close()
    }
  })
})
