import {
  END_OF_CENTRAL_DIRECTORY_SIGNATURE,
  LOCAL_FILE_HEADER_SIGNATURE,
  ZIP64_END_OF_CENTRAL_DIRECTORY_LOCATOR_SIGNATURE,
  ZIP64_END_OF_CENTRAL_DIRECTORY_SIGNATURE,
} from '../zip-constants.js'
import { readZip64Value } from './zip-extra-fields.js'
import { type ZipReaderFile } from './zip-reader-file.js'
import { formatHex32, zipStructureError, zipUnsupportedError } from './zip-reader-errors.js'

const EOCD_SIZE = 22
const ZIP64_LOCATOR_SIZE = 20
const ZIP64_EOCD_MIN_SIZE = 56
const MAX_COMMENT = 0xffff
const U16_MAX = 0xffff
const U32_MAX = 0xffffffff

/** What the end records of a zip say about its central directory. */
export interface EndOfCentralDirectory {
  readonly totalEntries: number
  /** Size of the central directory in bytes. */
  readonly size: number
  /** Offset of the first central directory record. */
  readonly start: number
  /** Offset of the ZIP64 end record when present, else of the end-of-central-directory record. */
  readonly trailerStart: number
}

/**
 * Finds the end-of-central-directory record at the end of the file, and the
 * ZIP64 end record its locator names when there is one, and checks that the
 * two agree and that the archive is on one disk.
 *
 * The record must be the last end-of-central-directory signature in the
 * file and end exactly at the end of the file with its comment.
 *
 * @throws PackwrightError `ZIP_NOT_A_ZIP`, `ZIP_TRUNCATED`, `ZIP_HEADER_MISMATCH`, `ZIP_UNSUPPORTED`, `ZIP_READ_FAILED`.
 */
export async function readEndOfCentralDirectory(
  file: ZipReaderFile,
): Promise<EndOfCentralDirectory> {
  const eocdOffset = await findEndOfCentralDirectory(file)
  const eocd = await file.read(eocdOffset, EOCD_SIZE, 'The end-of-central-directory record')
  let diskNumber = eocd.readUInt16LE(4)
  let centralDisk = eocd.readUInt16LE(6)
  let diskEntries = eocd.readUInt16LE(8)
  let totalEntries = eocd.readUInt16LE(10)
  let size = eocd.readUInt32LE(12)
  let start = eocd.readUInt32LE(16)
  let trailerStart = eocdOffset

  const locatorOffset = eocdOffset - ZIP64_LOCATOR_SIZE
  const locator =
    locatorOffset >= 0
      ? await file.read(locatorOffset, ZIP64_LOCATOR_SIZE, 'The ZIP64 locator')
      : undefined
  if (locator?.readUInt32LE(0) === ZIP64_END_OF_CENTRAL_DIRECTORY_LOCATOR_SIGNATURE) {
    const zip64Disk = locator.readUInt32LE(4)
    const zip64Offset = readZip64Value(locator, 8, 'the ZIP64 end record offset')
    const diskCount = locator.readUInt32LE(16)
    if (zip64Disk !== 0 || diskCount !== 1) {
      throw zipUnsupportedError(
        `its ZIP64 locator puts the ZIP64 end record on disk ${zip64Disk} of ${diskCount} disks; expected disk 0 of 1 (split archives are not supported).`,
      )
    }
    // With a ZIP64 record the classic disk fields are 0 or the 0xFFFF "see ZIP64" marker.
    for (const [field, value] of [
      ['disk number', diskNumber],
      ['central directory disk', centralDisk],
    ] as const) {
      if (value !== 0 && value !== U16_MAX) {
        throw zipUnsupportedError(
          `the end-of-central-directory record gives ${field} ${value}; expected 0, or 0xffff to defer to the ZIP64 record (split archives are not supported).`,
        )
      }
    }
    if (zip64Offset + ZIP64_EOCD_MIN_SIZE > locatorOffset) {
      throw zipStructureError(
        'ZIP_HEADER_MISMATCH',
        `The ZIP64 locator points at offset ${zip64Offset}, where no ZIP64 end record fits before the locator at ${locatorOffset}.`,
      )
    }
    const record = await file.read(
      zip64Offset,
      ZIP64_EOCD_MIN_SIZE,
      'The ZIP64 end-of-central-directory record',
    )
    if (record.readUInt32LE(0) !== ZIP64_END_OF_CENTRAL_DIRECTORY_SIGNATURE) {
      throw zipStructureError(
        'ZIP_HEADER_MISMATCH',
        `Expected the ZIP64 end-of-central-directory record at offset ${zip64Offset} (named by the ZIP64 locator), found ${formatHex32(record.readUInt32LE(0))}.`,
      )
    }
    const recordEnd = zip64Offset + 12 + readZip64Value(record, 4, 'the ZIP64 end record size')
    if (recordEnd !== locatorOffset) {
      throw zipStructureError(
        'ZIP_HEADER_MISMATCH',
        `The ZIP64 end-of-central-directory record at ${zip64Offset} ends at ${recordEnd}, expected it to end where the locator starts (${locatorOffset}).`,
      )
    }
    const zip64 = {
      diskNumber: record.readUInt32LE(16),
      centralDisk: record.readUInt32LE(20),
      diskEntries: readZip64Value(record, 24, 'the ZIP64 entry count'),
      totalEntries: readZip64Value(record, 32, 'the ZIP64 entry count'),
      size: readZip64Value(record, 40, 'the ZIP64 central directory size'),
      start: readZip64Value(record, 48, 'the ZIP64 central directory offset'),
    }
    const pairs: [string, number, number, number][] = [
      ['entry count', totalEntries, U16_MAX, zip64.totalEntries],
      ['entry count on this disk', diskEntries, U16_MAX, zip64.diskEntries],
      ['central directory size', size, U32_MAX, zip64.size],
      ['central directory offset', start, U32_MAX, zip64.start],
    ]
    for (const [field, classic, marker, wide] of pairs) {
      if (classic !== marker && classic !== wide) {
        throw zipStructureError(
          'ZIP_HEADER_MISMATCH',
          `The end-of-central-directory record gives ${field} ${classic} but the ZIP64 record gives ${wide}.`,
        )
      }
    }
    ;({ diskNumber, centralDisk, diskEntries, totalEntries, size, start } = zip64)
    trailerStart = zip64Offset
  }

  if (diskNumber !== 0 || centralDisk !== 0 || diskEntries !== totalEntries) {
    const record = trailerStart === eocdOffset ? 'end-of-central-directory' : 'ZIP64 end'
    throw zipUnsupportedError(
      `its ${record} record gives disk number ${diskNumber}, central directory disk ${centralDisk} and ${diskEntries} of ${totalEntries} entries on this disk; expected disk 0 holding every entry (split archives are not supported).`,
    )
  }
  return { totalEntries, size, start, trailerStart }
}

async function findEndOfCentralDirectory(file: ZipReaderFile): Promise<number> {
  const startsLikeZip =
    file.size >= 4 &&
    (await file.read(0, 4, 'The first local header')).readUInt32LE(0) ===
      LOCAL_FILE_HEADER_SIGNATURE
  if (file.size < EOCD_SIZE) {
    throw startsLikeZip
      ? zipStructureError(
          'ZIP_TRUNCATED',
          `The file is only ${file.size} bytes long: its end-of-central-directory record is missing.`,
        )
      : zipStructureError(
          'ZIP_NOT_A_ZIP',
          `The file is only ${file.size} bytes long, too short for a zip (at least ${EOCD_SIZE}).`,
        )
  }
  const tailLength = Math.min(file.size, EOCD_SIZE + MAX_COMMENT)
  const tailStart = file.size - tailLength
  const tail = await file.read(tailStart, tailLength, 'The end of the file', tailLength)
  let trailing: number | undefined
  let later: number | undefined
  for (let at = tailLength - EOCD_SIZE; at >= 0; at--) {
    if (tail.readUInt32LE(at) !== END_OF_CENTRAL_DIRECTORY_SIGNATURE) continue
    const recordEnd = at + EOCD_SIZE + tail.readUInt16LE(at + 20)
    if (recordEnd === tailLength) {
      // Readers that take the last signature in the file would start from that one instead.
      if (later !== undefined) {
        throw zipStructureError(
          'ZIP_HEADER_MISMATCH',
          `The end-of-central-directory record at offset ${tailStart + at} has a comment holding another end-of-central-directory signature at offset ${tailStart + later}; readers disagree on which record ends the zip, expected a comment without that signature.`,
        )
      }
      return tailStart + at
    }
    later ??= at
    const cdEnd = tail.readUInt32LE(at + 16) + tail.readUInt32LE(at + 12)
    const plausible = cdEnd === tailStart + at || tail.readUInt32LE(at + 16) === U32_MAX
    if (plausible && recordEnd < tailLength) trailing ??= tailLength - recordEnd
  }
  if (trailing !== undefined) {
    throw zipStructureError(
      'ZIP_NOT_A_ZIP',
      `${trailing} unexpected bytes follow the end-of-central-directory record; a zip must end with that record and its comment.`,
    )
  }
  throw startsLikeZip
    ? zipStructureError(
        'ZIP_TRUNCATED',
        `The file starts like a zip but has no end-of-central-directory record in its last ${tailLength} bytes: it is truncated.`,
      )
    : zipStructureError(
        'ZIP_NOT_A_ZIP',
        'No end-of-central-directory record found: the file is not a zip.',
      )
}
