import { describe, expect, it } from 'vitest'

import { judgeZipEntryType, unixTypeOf } from './zip-entry-type.js'

/** `versionMadeBy` for a host (version 2.0). */
const madeBy = (host: number): number => (host << 8) | 20
/** External attributes holding a Unix `st_mode` in the high 16 bits and MS-DOS bits in the low byte. */
const attributes = (mode: number, dos = 0): number => ((mode << 16) | dos) >>> 0

describe('judgeZipEntryType', () => {
  it('takes the kind from the trailing slash and the symlink type', () => {
    expect(judgeZipEntryType('d/', madeBy(3), attributes(0o40755))).toEqual({
      kind: 'directory',
      mode: 0o755,
    })
    expect(judgeZipEntryType('l', madeBy(3), attributes(0o120777))).toEqual({
      kind: 'symlink',
      mode: 0o777,
    })
    expect(judgeZipEntryType('f', madeBy(3), attributes(0o100640))).toEqual({
      kind: 'file',
      mode: 0o640,
    })
  })

  it('takes permission bits from Unix hosts, or from any host that stores a Unix type', () => {
    expect(judgeZipEntryType('f', madeBy(3), attributes(0o4755)).mode).toBe(0o4755)
    expect(judgeZipEntryType('f', madeBy(0), attributes(0o100600)).mode).toBe(0o600)
    // Without a Unix type, a FAT host's high bits are not permissions.
    expect(judgeZipEntryType('f', madeBy(0), attributes(0o600))).toEqual({
      kind: 'file',
      mode: 0o644,
    })
    expect(judgeZipEntryType('d/', madeBy(0), attributes(0o700))).toEqual({
      kind: 'directory',
      mode: 0o755,
    })
    // Unix entries without permission bits get the defaults.
    expect(judgeZipEntryType('f', madeBy(3), attributes(0o100000)).mode).toBe(0o644)
    expect(judgeZipEntryType('d/', madeBy(3), attributes(0o40000)).mode).toBe(0o755)
  })

  it('refuses FIFOs, devices, sockets and unknown types, naming them', () => {
    const reason = (mode: number): string | undefined =>
      judgeZipEntryType('x', madeBy(3), attributes(mode)).problem?.reason
    expect(reason(0o010644)).toBe(
      'is a FIFO (external attributes 0x11a40000); only regular files, directories and symlinks can be packaged',
    )
    expect(reason(0o020644)).toMatch(/^is a character device \(external attributes 0x21a40000\);/)
    expect(reason(0o060644)).toMatch(/^is a block device \(/)
    expect(reason(0o140644)).toMatch(/^is a socket \(/)
    expect(reason(0o030644)).toMatch(/^is a unknown file type 0o30000 \(/)
    expect(judgeZipEntryType('x', madeBy(3), attributes(0o010644))).toMatchObject({
      kind: 'file',
      mode: 0o644,
      problem: { code: 'ZIP_ENTRY_TYPE_UNSUPPORTED' },
    })
  })

  it('refuses the MS-DOS volume label bit on hosts whose MS-DOS attributes are honoured', () => {
    for (const host of [0, 3, 5, 6, 10, 11, 14, 19]) {
      const judged = judgeZipEntryType('v', madeBy(host), attributes(0, 0x08))
      expect(judged.problem?.code).toBe('ZIP_ENTRY_TYPE_UNSUPPORTED')
    }
    expect(judgeZipEntryType('v', madeBy(0), attributes(0, 0x08)).problem?.reason).toBe(
      'is a volume label (MS-DOS attribute 0x08 in its external attributes 0x00000008, made by host 0), which unzip skips; only regular files, directories and symlinks can be packaged',
    )
    for (const host of [1, 2, 4, 7, 13, 16, 30]) {
      expect(judgeZipEntryType('v', madeBy(host), attributes(0, 0x08)).problem).toBeUndefined()
    }
  })

  it('refuses a name ending with a slash typed as a file or symlink', () => {
    expect(judgeZipEntryType('d/', madeBy(3), attributes(0o100644))).toEqual({
      kind: 'directory',
      mode: 0o644,
      problem: {
        code: 'ZIP_ENTRY_TYPE_CONFLICT',
        reason:
          'ends with "/" but its external attributes 0x81a40000 make it a regular file; expected a directory type or none',
      },
    })
    expect(judgeZipEntryType('d/', madeBy(3), attributes(0o120777)).problem?.reason).toMatch(
      /make it a symlink;/,
    )
    // A directory type, or none, is fine.
    expect(judgeZipEntryType('d/', madeBy(3), attributes(0o40755)).problem).toBeUndefined()
    expect(judgeZipEntryType('d/', madeBy(0), attributes(0, 0x10)).problem).toBeUndefined()
  })

  it('refuses a name without a slash typed as a directory, by Unix type or MS-DOS bit', () => {
    expect(judgeZipEntryType('d', madeBy(3), attributes(0o40755))).toEqual({
      kind: 'file',
      mode: 0o755,
      problem: {
        code: 'ZIP_ENTRY_TYPE_CONFLICT',
        reason:
          'does not end with "/" but its external attributes 0x41ed0000 make it a directory (unzip would create a file, bsdtar a directory); expected a file or symlink type',
      },
    })
    for (const host of [0, 3, 6, 10, 11, 14, 19]) {
      const judged = judgeZipEntryType('d', madeBy(host), attributes(0, 0x10))
      expect(judged.problem?.code).toBe('ZIP_ENTRY_TYPE_CONFLICT')
    }
    // Hosts whose low byte means something else.
    for (const host of [1, 2, 5, 7]) {
      expect(judgeZipEntryType('d', madeBy(host), attributes(0, 0x10)).problem).toBeUndefined()
    }
  })

  it('refuses a symlink made by a host other than Unix, still judging it a symlink', () => {
    expect(judgeZipEntryType('l', madeBy(0), attributes(0o120777))).toEqual({
      kind: 'symlink',
      mode: 0o777,
      problem: {
        code: 'ZIP_ENTRY_TYPE_CONFLICT',
        reason:
          'has a symlink type in its external attributes 0xa1ff0000 but was made by host 0, not Unix (3): unzip makes a link or a file holding the target depending on the host, bsdtar and 7-Zip a file; expected symlinks made by Unix',
      },
    })
    expect(judgeZipEntryType('l', madeBy(3), attributes(0o120777)).problem).toBeUndefined()
  })
})

describe('unixTypeOf', () => {
  it('gives the Unix type of each kind', () => {
    expect(unixTypeOf('directory')).toBe(0o040000)
    expect(unixTypeOf('symlink')).toBe(0o120000)
    expect(unixTypeOf('file')).toBe(0o100000)
  })
})
