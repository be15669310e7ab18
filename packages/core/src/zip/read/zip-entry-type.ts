import { type ErrorCode } from '../../errors.js'
import { MADE_BY_UNIX, S_IFDIR, S_IFLNK, S_IFREG } from '../zip-constants.js'
import { type ZipEntryKind } from './zip-entry-info.js'

/** Mask of the Unix file type bits in `st_mode`. */
export const S_IFMT = 0o170000
/** MS-DOS attribute bit: the entry is a directory. */
const DOS_DIRECTORY = 0x10
/**
 * "Made by" hosts whose low attribute byte holds MS-DOS attributes: FAT, Unix
 * (Info-ZIP writes them there too), HPFS, NTFS (both numberings in use), VFAT
 * and OS X. Other hosts (Amiga, Acorn, …) use those bits for something else.
 */
const DOS_ATTRIBUTE_HOSTS: ReadonlySet<number> = new Set([0, 3, 6, 10, 11, 14, 19])
/** MS-DOS attribute bit: the entry is the disk's volume label, not a file. */
const DOS_VOLUME_LABEL = 0x08
/**
 * Hosts whose volume-label bit some extractor honours: Info-ZIP `unzip` skips
 * such entries for FAT, Atari, HPFS and VFAT (hosts 0, 5, 6, 11); every host
 * whose low byte holds MS-DOS attributes is counted too.
 */
const VOLUME_LABEL_HOSTS: ReadonlySet<number> = new Set([...DOS_ATTRIBUTE_HOSTS, 5])

const TYPE_NAMES: ReadonlyMap<number, string> = new Map([
  [0o010000, 'FIFO'],
  [0o020000, 'character device'],
  [0o060000, 'block device'],
  [0o140000, 'socket'],
])

/** What an entry is once extracted, its permission bits, and why it cannot be packaged when it cannot. */
export interface ZipEntryType {
  readonly kind: ZipEntryKind
  /** Permission bits (`0o644`, `0o755`, …). */
  readonly mode: number
  readonly problem?: { readonly code: ErrorCode; readonly reason: string }
}

/**
 * Judges an entry by every signal an extractor may act on, whatever host
 * "made" it: the trailing `/` of its name, the Unix file type in the high 16
 * bits of its external attributes (Info-ZIP `unzip` honours a symlink type
 * for Unix, VMS, Atari, BeOS and AtheOS hosts, 7-Zip and libarchive for others),
 * and the MS-DOS directory bit (libarchive makes a directory of it).
 *
 * - Any Unix type is honoured: a symlink type makes a symlink whatever the host.
 *   Only Unix (host 3) symlinks are valid, though: `unzip` makes links for
 *   hosts 2, 3, 5, 16, 30 (and FAT when the permission bits match the MS-DOS
 *   ones) and a file holding the target elsewhere, libarchive and 7-Zip make
 *   links for Unix only, so any other host is `ZIP_ENTRY_TYPE_CONFLICT` (still
 *   judged a symlink, so its target is checked as well).
 * - The MS-DOS volume-label bit, on a host whose MS-DOS attributes an extractor
 *   honours, is `ZIP_ENTRY_TYPE_UNSUPPORTED`: `unzip` extracts nothing for it.
 * - A type we do not package (FIFO, device, socket, unknown) is
 *   `ZIP_ENTRY_TYPE_UNSUPPORTED`.
 * - A name and a type that disagree (`d/` typed as a file or symlink, `d`
 *   typed as a directory or with the MS-DOS directory bit) are
 *   `ZIP_ENTRY_TYPE_CONFLICT`: `unzip` goes by the name, libarchive by the type.
 *   The kind reported then follows the name, as `unzip` extracts it.
 */
export function judgeZipEntryType(
  name: string,
  versionMadeBy: number,
  externalAttributes: number,
): ZipEntryType {
  const host = versionMadeBy >>> 8
  const unixMode = externalAttributes >>> 16
  const type = unixMode & S_IFMT
  const namedDirectory = name.endsWith('/')
  const dosDirectory = DOS_ATTRIBUTE_HOSTS.has(host) && (externalAttributes & DOS_DIRECTORY) !== 0
  const kind: ZipEntryKind = namedDirectory ? 'directory' : type === S_IFLNK ? 'symlink' : 'file'
  const permissions = host === MADE_BY_UNIX || type !== 0 ? unixMode & 0o7777 : 0
  const mode = permissions !== 0 ? permissions : kind === 'directory' ? 0o755 : 0o644

  if (type !== 0 && type !== S_IFREG && type !== S_IFDIR && type !== S_IFLNK) {
    const typeName = TYPE_NAMES.get(type) ?? `unknown file type 0o${type.toString(8)}`
    return {
      kind,
      mode,
      problem: {
        code: 'ZIP_ENTRY_TYPE_UNSUPPORTED',
        reason: `is a ${typeName} (${describeAttributes(externalAttributes)}); only regular files, directories and symlinks can be packaged`,
      },
    }
  }
  if (VOLUME_LABEL_HOSTS.has(host) && (externalAttributes & DOS_VOLUME_LABEL) !== 0) {
    return {
      kind,
      mode,
      problem: {
        code: 'ZIP_ENTRY_TYPE_UNSUPPORTED',
        reason: `is a volume label (MS-DOS attribute 0x08 in its ${describeAttributes(externalAttributes)}, made by host ${host}), which unzip skips; only regular files, directories and symlinks can be packaged`,
      },
    }
  }
  if (namedDirectory && (type === S_IFREG || type === S_IFLNK)) {
    return {
      kind,
      mode,
      problem: {
        code: 'ZIP_ENTRY_TYPE_CONFLICT',
        reason: `ends with "/" but its ${describeAttributes(externalAttributes)} make it a ${type === S_IFLNK ? 'symlink' : 'regular file'}; expected a directory type or none`,
      },
    }
  }
  if (!namedDirectory && (type === S_IFDIR || dosDirectory)) {
    return {
      kind,
      mode,
      problem: {
        code: 'ZIP_ENTRY_TYPE_CONFLICT',
        reason: `does not end with "/" but its ${describeAttributes(externalAttributes)} make it a directory (unzip would create a file, bsdtar a directory); expected a file or symlink type`,
      },
    }
  }
  if (!namedDirectory && type === S_IFLNK && host !== MADE_BY_UNIX) {
    return {
      kind,
      mode,
      problem: {
        code: 'ZIP_ENTRY_TYPE_CONFLICT',
        reason: `has a symlink type in its ${describeAttributes(externalAttributes)} but was made by host ${host}, not Unix (3): unzip makes a link or a file holding the target depending on the host, bsdtar and 7-Zip a file; expected symlinks made by Unix`,
      },
    }
  }
  return { kind, mode }
}

/** The Unix file type a kind is stored with. */
export function unixTypeOf(kind: ZipEntryKind): number {
  return kind === 'directory' ? S_IFDIR : kind === 'symlink' ? S_IFLNK : S_IFREG
}

function describeAttributes(externalAttributes: number): string {
  return `external attributes 0x${(externalAttributes >>> 0).toString(16).padStart(8, '0')}`
}
