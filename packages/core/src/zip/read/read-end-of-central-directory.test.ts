import { describe, expect, it } from 'vitest'

import { buildRawZip } from '../../../test/helpers/build-raw-zip.js'
import { rejection } from '../../../test/helpers/rejection.js'
import { useScratchZipFiles } from '../../../test/helpers/scratch-zip-files.js'
import {
  type EndOfCentralDirectory,
  readEndOfCentralDirectory,
} from './read-end-of-central-directory.js'
import { ZipReaderFile } from './zip-reader-file.js'

const scratch = useScratchZipFiles('packwright-end-records-')

async function readEnd(bytes: Uint8Array): Promise<EndOfCentralDirectory> {
  const file = await ZipReaderFile.open(await scratch.write(bytes))
  try {
    return await readEndOfCentralDirectory(file)
  } finally {
    await file.close()
  }
}

const LOCAL_SIGNATURE = Buffer.from([0x50, 0x4b, 0x03, 0x04])
const EOCD_SIZE = 22
const LOCATOR_SIZE = 20
const ZIP64_END_SIZE = 56

/** A one-entry ZIP64 zip and the offsets of its ZIP64 end record and locator. */
function zip64Zip(): { bytes: Buffer; record: number; locator: number } {
  const bytes = buildRawZip([{ name: 'a', data: 'x' }], { zip64: true })
  const locator = bytes.length - EOCD_SIZE - LOCATOR_SIZE
  return { bytes, record: locator - ZIP64_END_SIZE, locator }
}

describe('readEndOfCentralDirectory finds the end record', () => {
  it('reads the classic end record', async () => {
    const bytes = buildRawZip([{ name: 'a', data: 'x' }], { comment: 'hi' })
    expect(await readEnd(bytes)).toEqual({
      totalEntries: 1,
      size: 47,
      start: 32,
      trailerStart: 79,
    })
  })

  it('reads an empty zip of exactly 22 bytes', async () => {
    expect(await readEnd(buildRawZip([]))).toEqual({
      totalEntries: 0,
      size: 0,
      start: 0,
      trailerStart: 0,
    })
  })

  it('finds the record behind a comment of the longest length', async () => {
    const comment = 'c'.repeat(0xffff)
    const bytes = buildRawZip([{ name: 'a', data: 'x' }], { comment })
    expect(await readEnd(bytes)).toMatchObject({ totalEntries: 1, trailerStart: 79 })
  })

  it('tells a truncated zip from a file that is no zip when the file is too short', async () => {
    const short = await rejection(readEnd(Buffer.concat([LOCAL_SIGNATURE, Buffer.alloc(17)])))
    expect(short.code).toBe('ZIP_TRUNCATED')
    expect(short.message).toBe(
      'The file is only 21 bytes long: its end-of-central-directory record is missing.',
    )
    const four = await rejection(readEnd(LOCAL_SIGNATURE))
    expect(four.code).toBe('ZIP_TRUNCATED')
    const three = await rejection(readEnd(LOCAL_SIGNATURE.subarray(0, 3)))
    expect(three.code).toBe('ZIP_NOT_A_ZIP')
    expect(three.message).toBe('The file is only 3 bytes long, too short for a zip (at least 22).')
  })

  it('tells a truncated zip from a file that is no zip when no record is found', async () => {
    const truncated = await rejection(readEnd(Buffer.concat([LOCAL_SIGNATURE, Buffer.alloc(96)])))
    expect(truncated.code).toBe('ZIP_TRUNCATED')
    expect(truncated.message).toBe(
      'The file starts like a zip but has no end-of-central-directory record in its last 100 bytes: it is truncated.',
    )
    const long = await rejection(readEnd(Buffer.concat([LOCAL_SIGNATURE, Buffer.alloc(70_000)])))
    expect(long.message).toContain('in its last 65557 bytes')
    const none = await rejection(readEnd(Buffer.alloc(100, 0x20)))
    expect(none.code).toBe('ZIP_NOT_A_ZIP')
    expect(none.message).toBe('No end-of-central-directory record found: the file is not a zip.')
  })

  it('does not see a record more than a comment away from the end', async () => {
    const bytes = buildRawZip([{ name: 'a', data: 'x' }], {
      comment: 'c'.repeat(0xffff),
      suffix: Buffer.from('z'),
    })
    const error = await rejection(readEnd(bytes))
    expect(error.code).toBe('ZIP_TRUNCATED')
  })

  it('counts the bytes after a record that ends where its directory does', async () => {
    const bytes = buildRawZip([{ name: 'a', data: 'x' }], { suffix: Buffer.from('abc') })
    const error = await rejection(readEnd(bytes))
    expect(error.code).toBe('ZIP_NOT_A_ZIP')
    expect(error.message).toBe(
      '3 unexpected bytes follow the end-of-central-directory record; a zip must end with that record and its comment.',
    )
    // A ZIP64 end record's offset marker makes the record plausible too.
    const zip64 = buildRawZip([{ name: 'a', data: 'x' }], {
      zip64: true,
      suffix: Buffer.from('abcd'),
    })
    expect((await rejection(readEnd(zip64))).message).toMatch(/^4 unexpected bytes follow/)
  })

  it('does not take a stray signature in entry data for an end record', async () => {
    // The signature's record would claim a directory ending elsewhere: the file is just truncated.
    const stray = Buffer.alloc(40)
    stray.writeUInt32LE(0x06054b50, 4)
    stray.writeUInt32LE(3, 4 + 12)
    stray.writeUInt32LE(50, 4 + 16)
    const error = await rejection(readEnd(Buffer.concat([LOCAL_SIGNATURE, stray])))
    expect(error.code).toBe('ZIP_TRUNCATED')
  })

  it('refuses a comment that holds another end record signature, giving both offsets', async () => {
    const comment = `PK\u0005\u0006${'a'.repeat(30)}`
    const bytes = buildRawZip([{ name: 'a', data: 'x' }], { comment })
    const error = await rejection(readEnd(bytes))
    expect(error.code).toBe('ZIP_HEADER_MISMATCH')
    expect(error.message).toBe(
      'The end-of-central-directory record at offset 79 has a comment holding another end-of-central-directory signature at offset 101; readers disagree on which record ends the zip, expected a comment without that signature.',
    )
  })

  it('refuses a classic record that spans disks', async () => {
    const disk = await rejection(
      readEnd(buildRawZip([{ name: 'a', data: 'x' }], { eocd: { disk: 1 } })),
    )
    expect(disk.code).toBe('ZIP_UNSUPPORTED')
    expect(disk.message).toBe(
      'This zip cannot be read: its end-of-central-directory record gives disk number 1, central directory disk 0 and 1 of 1 entries on this disk; expected disk 0 holding every entry (split archives are not supported).',
    )
    const central = buildRawZip([{ name: 'a', data: 'x' }], { eocd: { centralDirectoryDisk: 1 } })
    expect((await rejection(readEnd(central))).code).toBe('ZIP_UNSUPPORTED')
    const entries = buildRawZip([{ name: 'a', data: 'x' }], { eocd: { diskEntries: 0 } })
    expect((await rejection(readEnd(entries))).message).toContain('and 0 of 1 entries on this disk')
  })
})

describe('readEndOfCentralDirectory follows the ZIP64 locator', () => {
  it('reads the ZIP64 end record the locator names', async () => {
    const { bytes, record } = zip64Zip()
    expect(await readEnd(bytes)).toEqual({
      totalEntries: 1,
      size: 47,
      start: 32,
      trailerStart: record,
    })
  })

  it('accepts classic fields that repeat the ZIP64 values instead of their markers', async () => {
    const bytes = buildRawZip([{ name: 'a', data: 'x' }], {
      zip64: true,
      eocd: { entries: 1, size: 47, offset: 32, disk: 0xffff, centralDirectoryDisk: 0xffff },
    })
    expect(await readEnd(bytes)).toMatchObject({ totalEntries: 1, size: 47, start: 32 })
  })

  it('reads a locator at the very start of the file', async () => {
    const locator = Buffer.alloc(LOCATOR_SIZE)
    locator.writeUInt32LE(0x07064b50, 0)
    locator.writeUInt32LE(1, 16)
    const end = buildRawZip([], { eocd: { offset: 0 } })
    const error = await rejection(readEnd(Buffer.concat([locator, end])))
    expect(error.code).toBe('ZIP_HEADER_MISMATCH')
    expect(error.message).toBe(
      'The ZIP64 locator points at offset 0, where no ZIP64 end record fits before the locator at 0.',
    )
  })

  it('refuses a locator on another disk, or counting other disks', async () => {
    const disk = buildRawZip([{ name: 'a', data: 'x' }], { zip64: true, zip64Locator: { disk: 1 } })
    const error = await rejection(readEnd(disk))
    expect(error.code).toBe('ZIP_UNSUPPORTED')
    expect(error.message).toBe(
      'This zip cannot be read: its ZIP64 locator puts the ZIP64 end record on disk 1 of 1 disks; expected disk 0 of 1 (split archives are not supported).',
    )
    const disks = buildRawZip([{ name: 'a', data: 'x' }], {
      zip64: true,
      zip64Locator: { totalDisks: 2 },
    })
    expect((await rejection(readEnd(disks))).message).toContain('on disk 0 of 2 disks')
  })

  it('refuses classic disk fields other than 0 or 0xFFFF next to a ZIP64 record', async () => {
    const disk = buildRawZip([{ name: 'a', data: 'x' }], { zip64: true, eocd: { disk: 1 } })
    const error = await rejection(readEnd(disk))
    expect(error.code).toBe('ZIP_UNSUPPORTED')
    expect(error.message).toBe(
      'This zip cannot be read: the end-of-central-directory record gives disk number 1; expected 0, or 0xffff to defer to the ZIP64 record (split archives are not supported).',
    )
    const central = buildRawZip([{ name: 'a', data: 'x' }], {
      zip64: true,
      eocd: { centralDirectoryDisk: 2 },
    })
    expect((await rejection(readEnd(central))).message).toContain('gives central directory disk 2;')
  })

  it('refuses a locator naming an offset where no ZIP64 record fits or none is found', async () => {
    const { bytes, locator } = zip64Zip()
    const late = Buffer.from(bytes)
    late.writeBigUInt64LE(BigInt(locator - ZIP64_END_SIZE + 1), locator + 8)
    const error = await rejection(readEnd(late))
    expect(error.code).toBe('ZIP_HEADER_MISMATCH')
    expect(error.message).toBe(
      `The ZIP64 locator points at offset ${locator - ZIP64_END_SIZE + 1}, where no ZIP64 end record fits before the locator at ${locator}.`,
    )
    const early = Buffer.from(bytes)
    early.writeBigUInt64LE(0n, locator + 8)
    const missing = await rejection(readEnd(early))
    expect(missing.code).toBe('ZIP_HEADER_MISMATCH')
    expect(missing.message).toBe(
      'Expected the ZIP64 end-of-central-directory record at offset 0 (named by the ZIP64 locator), found 0x04034b50.',
    )
  })

  it('refuses a ZIP64 record that does not end where the locator starts', async () => {
    const { bytes, record, locator } = zip64Zip()
    const longer = Buffer.from(bytes)
    longer.writeBigUInt64LE(52n, record + 4)
    const error = await rejection(readEnd(longer))
    expect(error.code).toBe('ZIP_HEADER_MISMATCH')
    expect(error.message).toBe(
      `The ZIP64 end-of-central-directory record at ${record} ends at ${locator + 8}, expected it to end where the locator starts (${locator}).`,
    )
  })

  it('refuses a classic field that neither defers to the ZIP64 record nor repeats it', async () => {
    const cases: [object, string][] = [
      [{ entries: 2, diskEntries: 2 }, 'entry count 2 but the ZIP64 record gives 1'],
      [{ diskEntries: 3 }, 'entry count on this disk 3 but the ZIP64 record gives 1'],
      [{ size: 46 }, 'central directory size 46 but the ZIP64 record gives 47'],
      [{ offset: 31 }, 'central directory offset 31 but the ZIP64 record gives 32'],
    ]
    for (const [eocd, says] of cases) {
      const bytes = buildRawZip([{ name: 'a', data: 'x' }], { zip64: true, eocd })
      const error = await rejection(readEnd(bytes))
      expect(error.code).toBe('ZIP_HEADER_MISMATCH')
      expect(error.message).toBe(`The end-of-central-directory record gives ${says}.`)
    }
  })

  it('refuses a ZIP64 record that spans disks, naming that record', async () => {
    const disk = buildRawZip([{ name: 'a', data: 'x' }], { zip64: true, zip64Eocd: { disk: 1 } })
    const error = await rejection(readEnd(disk))
    expect(error.code).toBe('ZIP_UNSUPPORTED')
    expect(error.message).toBe(
      'This zip cannot be read: its ZIP64 end record gives disk number 1, central directory disk 0 and 1 of 1 entries on this disk; expected disk 0 holding every entry (split archives are not supported).',
    )
    const central = buildRawZip([{ name: 'a', data: 'x' }], {
      zip64: true,
      zip64Eocd: { centralDirectoryDisk: 1 },
    })
    expect((await rejection(readEnd(central))).message).toContain('central directory disk 1 and')
    const { bytes, record } = zip64Zip()
    const entries = Buffer.from(bytes)
    entries.writeBigUInt64LE(0n, record + 24)
    expect((await rejection(readEnd(entries))).message).toContain('and 0 of 1 entries on this disk')
  })

  it('names each ZIP64 record field whose value is beyond 2^53', async () => {
    const { bytes, record } = zip64Zip()
    const fields: [number, string][] = [
      [4, 'the ZIP64 end record size'],
      [24, 'the ZIP64 entry count'],
      [32, 'the ZIP64 entry count'],
      [40, 'the ZIP64 central directory size'],
      [48, 'the ZIP64 central directory offset'],
    ]
    for (const [offset, field] of fields) {
      const far = Buffer.from(bytes)
      far.writeBigUInt64LE(2n ** 60n, record + offset)
      expect((await rejection(readEnd(far))).message).toBe(
        `This zip cannot be read: ${field} is ${2n ** 60n}, beyond what can be addressed (2^53).`,
      )
    }
  })

  it('takes an end record whose comment runs past the end of the file for a truncated zip', async () => {
    const bytes = buildRawZip([{ name: 'a', data: 'x' }], { comment: 'a comment' })
    const error = await rejection(readEnd(bytes.subarray(0, bytes.length - 2)))
    expect(error.code).toBe('ZIP_TRUNCATED')
    expect(error.message).toBe(
      `The file starts like a zip but has no end-of-central-directory record in its last ${bytes.length - 2} bytes: it is truncated.`,
    )
  })

  it('refuses a ZIP64 value beyond 2^53', async () => {
    const { bytes, locator } = zip64Zip()
    const far = Buffer.from(bytes)
    far.writeBigUInt64LE(2n ** 60n, locator + 8)
    const error = await rejection(readEnd(far))
    expect(error.code).toBe('ZIP_UNSUPPORTED')
    expect(error.message).toBe(
      `This zip cannot be read: the ZIP64 end record offset is ${2n ** 60n}, beyond what can be addressed (2^53).`,
    )
  })
})
