/** ZIP record signatures (APPNOTE 6.3.x §4.3). */
export const LOCAL_FILE_HEADER_SIGNATURE = 0x04034b50
export const CENTRAL_DIRECTORY_HEADER_SIGNATURE = 0x02014b50
export const END_OF_CENTRAL_DIRECTORY_SIGNATURE = 0x06054b50
export const ZIP64_END_OF_CENTRAL_DIRECTORY_SIGNATURE = 0x06064b50
export const ZIP64_END_OF_CENTRAL_DIRECTORY_LOCATOR_SIGNATURE = 0x07064b50
export const DATA_DESCRIPTOR_SIGNATURE = 0x08074b50
export const ZIP64_EXTRA_FIELD_ID = 0x0001

export const METHOD_STORE = 0
export const METHOD_DEFLATE = 8

/** General-purpose flag bit 11: names are UTF-8. */
export const FLAG_UTF8 = 0x0800
/** General-purpose flag bit 3: sizes and CRC follow the data in a data descriptor. */
export const FLAG_DATA_DESCRIPTOR = 0x0008

/** "Version made by" high byte for Unix, so external attributes carry st_mode. */
export const MADE_BY_UNIX = 3

/** Unix file type bits, stored in the high 16 bits of the external attributes. */
export const S_IFREG = 0o100000
export const S_IFDIR = 0o040000
export const S_IFLNK = 0o120000

/** 1980-01-01T00:00:00Z: the earliest DOS timestamp, used when no commit time is known. */
export const DEFAULT_SOURCE_DATE_EPOCH = 315532800
