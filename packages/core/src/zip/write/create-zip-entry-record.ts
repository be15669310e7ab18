import { METHOD_STORE, S_IFDIR, S_IFLNK, S_IFREG } from '../zip-constants.js'
import { type ZipEntryRecord } from './zip-records.js'

/** `st_mode` in the high 16 bits: the normalised modes of the determinism contract. */
const FILE_ATTRIBUTES = ((S_IFREG | 0o644) << 16) >>> 0
const EXECUTABLE_ATTRIBUTES = ((S_IFREG | 0o755) << 16) >>> 0
/** 0755 folders, with the MS-DOS directory bit (0x10) in the low byte. */
const DIRECTORY_ATTRIBUTES = (((S_IFDIR | 0o755) << 16) | 0x10) >>> 0
const SYMLINK_ATTRIBUTES = ((S_IFLNK | 0o777) << 16) >>> 0

/** What a file or symlink record needs beyond its name, kind and size. */
export type ContentRecordFields = Pick<
  ZipEntryRecord,
  'method' | 'dataDescriptor' | 'zip64Local' | 'crc32' | 'compressedSize'
>

/** The record of a file or symlink entry, with its normalised mode; its offset is set when written. */
export function createContentRecord(
  name: string,
  kind: 'file' | 'symlink',
  executable: boolean,
  uncompressedSize: number,
  fields: ContentRecordFields,
): ZipEntryRecord {
  return {
    name: Buffer.from(name, 'utf8'),
    isDirectory: false,
    externalAttributes:
      kind === 'symlink'
        ? SYMLINK_ATTRIBUTES
        : executable
          ? EXECUTABLE_ATTRIBUTES
          : FILE_ATTRIBUTES,
    uncompressedSize,
    localHeaderOffset: 0,
    ...fields,
  }
}

/** The record of a folder entry (`name` ends with `/`): stored, empty, mode 0755. */
export function createDirectoryRecord(name: string): ZipEntryRecord {
  return {
    name: Buffer.from(name, 'utf8'),
    isDirectory: true,
    method: METHOD_STORE,
    dataDescriptor: false,
    zip64Local: false,
    externalAttributes: DIRECTORY_ATTRIBUTES,
    crc32: 0,
    compressedSize: 0,
    uncompressedSize: 0,
    localHeaderOffset: 0,
  }
}
