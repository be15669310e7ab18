/** What an entry is once extracted. */
export type ZipEntryKind = 'file' | 'directory' | 'symlink'

/**
 * One entry of an opened zip, from its central directory record, checked
 * against its local header. Sizes and CRC are the declared values; reading
 * the entry verifies them against the actual bytes.
 */
export interface ZipEntryInfo {
  /** Position in the central directory (0-based). */
  readonly index: number
  /** Entry name as stored (directories end with `/`), decoded as UTF-8 (or CP437 for legacy names). */
  readonly name: string
  /** Judged by the name and the file type in the external attributes, whatever the host (see `judgeZipEntryType`). */
  readonly kind: ZipEntryKind
  /** Compression method (0 store, 8 deflate; others cannot be read). */
  readonly method: number
  /** General-purpose bit flags. */
  readonly flags: number
  readonly versionMadeBy: number
  readonly externalAttributes: number
  readonly compressedSize: number
  readonly uncompressedSize: number
  readonly crc32: number
  /**
   * Permission bits (`0o644`, `0o755`, …): from the high 16 bits of the external attributes when
   * the host is Unix or they carry a file type, else 0o644 (0o755 for directories).
   */
  readonly mode: number
  /** Offset of the local file header. */
  readonly localHeaderOffset: number
  /** Offset of the first byte of entry data, after the local header. */
  readonly dataOffset: number
  /** Offset just past the entry's data and data descriptor. */
  readonly endOffset: number
  /** Whether ZIP64 fields were used for this entry. */
  readonly zip64: boolean
  /** Whether the entry is encrypted (such entries cannot be read). */
  readonly encrypted: boolean
}
