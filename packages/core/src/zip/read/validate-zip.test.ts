import { createHash } from 'node:crypto'
import { readdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { crc32, deflateRawSync } from 'node:zlib'

import { describe, expect, it } from 'vitest'

import {
  type RawZipEntry,
  buildRawZip,
  symlinkEntry,
  unixAttributes,
} from '../../../test/helpers/build-raw-zip.js'
import { useScratchZipFiles } from '../../../test/helpers/scratch-zip-files.js'
import { type ErrorCode, isPackwrightError } from '../../errors.js'
import { assertValidZip, validateZip } from './validate-zip.js'
import { type ZipValidationReport } from './validate-zip-report.js'
import { type ZipLimits } from './zip-limits.js'

const scratch = useScratchZipFiles('packwright-validate-zip-')
const writeZip = (bytes: Uint8Array) => scratch.write(bytes)

async function validate(
  bytes: Uint8Array,
  limits?: Partial<ZipLimits>,
): Promise<ZipValidationReport> {
  return validateZip(await writeZip(bytes), limits === undefined ? {} : { limits })
}

async function validateEntries(
  entries: RawZipEntry[],
  limits?: Partial<ZipLimits>,
): Promise<ZipValidationReport> {
  return validate(buildRawZip(entries), limits)
}

function codes(report: ZipValidationReport): ErrorCode[] {
  return report.problems.map((problem) => problem.code)
}

/** Expects exactly one problem with `code`, naming `entry` in its field and message. */
function expectOnly(report: ZipValidationReport, code: ErrorCode, entry?: string): string {
  expect(codes(report)).toEqual([code])
  const [problem] = report.problems
  expect(report.valid).toBe(false)
  if (entry !== undefined) {
    expect(problem?.entry).toBe(entry)
    expect(problem?.message).toContain(JSON.stringify(entry))
  }
  return problem?.message ?? ''
}

describe('validateZip on well-formed archives', () => {
  it('reports entries, checksums, kinds and modes of a clean archive', async () => {
    const text = 'hello world\n'.repeat(100)
    const bytes = buildRawZip([
      { name: 'bin/' },
      { name: 'bin/run', data: '#!/bin/sh\n', externalAttributes: unixAttributes(0o100755) },
      { name: 'readme.txt', data: text, deflate: true },
      symlinkEntry('latest', 'bin/run'),
    ])
    const report = await validate(bytes)
    expect(report.problems).toEqual([])
    expect(report.valid).toBe(true)
    expect(report.size).toBe(bytes.length)
    expect(report.sha256).toBe(createHash('sha256').update(bytes).digest('hex'))
    expect(report.totalUncompressedBytes).toBe(10 + text.length + 'bin/run'.length)
    expect(report.entries).toEqual([
      {
        path: 'bin/',
        kind: 'directory',
        size: 0,
        compressedSize: 0,
        mode: '755',
        method: 'store',
        crc32: '00000000',
      },
      {
        path: 'bin/run',
        kind: 'file',
        size: 10,
        compressedSize: 10,
        mode: '755',
        method: 'store',
        crc32: crc32('#!/bin/sh\n').toString(16).padStart(8, '0'),
        sha1: createHash('sha1').update('#!/bin/sh\n').digest('hex'),
        sha256: createHash('sha256').update('#!/bin/sh\n').digest('hex'),
      },
      expect.objectContaining({
        path: 'readme.txt',
        kind: 'file',
        size: text.length,
        compressedSize: deflateRawSync(text).length,
        mode: '644',
        method: 'deflate',
        sha256: createHash('sha256').update(text).digest('hex'),
      }),
      expect.objectContaining({
        path: 'latest',
        kind: 'symlink',
        mode: '777',
        linkTarget: 'bin/run',
      }),
    ])
  })

  it('accepts an empty archive', async () => {
    const report = await validate(buildRawZip([]))
    expect(report).toMatchObject({ valid: true, entries: [], totalUncompressedBytes: 0, size: 22 })
  })

  it('defaults modes when the archive was not made on Unix', async () => {
    const report = await validateEntries([
      { name: 'd/', versionMadeBy: 20, externalAttributes: 0x10 },
      { name: 'd/f', data: 'x', versionMadeBy: 20, externalAttributes: 0x20 },
    ])
    expect(report.valid).toBe(true)
    expect(report.entries.map((entry) => [entry.kind, entry.mode])).toEqual([
      ['directory', '755'],
      ['file', '644'],
    ])
  })

  it('accepts data descriptors with and without signature, and in ZIP64 form', async () => {
    const report = await validateEntries([
      { name: 'a', data: 'alpha', deflate: true, dataDescriptor: true },
      { name: 'b', data: 'beta', dataDescriptor: { signature: false } },
      { name: 'c', data: 'gamma', deflate: true, zip64: true, dataDescriptor: { zip64: true } },
    ])
    expect(report.problems).toEqual([])
    expect(report.entries.map((entry) => entry.size)).toEqual([5, 4, 5])
  })

  it('reads a ZIP64 archive (end record, locator and per-entry extra fields)', async () => {
    const data = 'zip64 content '.repeat(50)
    const bytes = buildRawZip(
      [
        { name: 'one.txt', data, deflate: true, zip64: true },
        { name: 'two.txt', data: 'two', zip64: true },
      ],
      { zip64: true },
    )
    const report = await validate(bytes)
    expect(report.problems).toEqual([])
    expect(report.entries.map((entry) => [entry.path, entry.size, entry.sha256])).toEqual([
      ['one.txt', data.length, createHash('sha256').update(data).digest('hex')],
      ['two.txt', 3, createHash('sha256').update('two').digest('hex')],
    ])
  })

  it('refuses legacy names unless a Unicode Path field in both headers spells their CP437 decoding', async () => {
    const unicodeName = Buffer.from('café.txt', 'utf8')
    const stored = Buffer.from([0x63, 0x61, 0x66, 0x82, 0x2e, 0x74, 0x78, 0x74]) // "café.txt" in CP437
    const unicodeField = Buffer.alloc(9 + unicodeName.length)
    unicodeField.writeUInt16LE(0x7075, 0)
    unicodeField.writeUInt16LE(5 + unicodeName.length, 2)
    unicodeField.writeUInt8(1, 4)
    unicodeField.writeUInt32LE(crc32(stored), 5)
    unicodeName.copy(unicodeField, 9)
    const report = await validateEntries([
      { name: stored, data: 'a' },
      {
        name: Buffer.from([0x8e, 0x2e, 0x74]),
        data: 'b',
        central: { extra: unicodeField.subarray(0, 0) },
      },
      {
        name: Buffer.from([0x78, 0x82]),
        data: 'c',
        central: { extra: unicodeField },
        local: { extra: unicodeField },
      },
    ])
    expect(report.entries.map((entry) => entry.path)).toEqual(['café.txt', 'Ä.t', 'xé'])
    // Without a field unzip keeps the raw bytes while Python decodes CP437; a field naming
    // something else is refused whatever its CRC (unzip honours a matching one).
    expect(report.problems.map((problem) => [problem.code, problem.entry])).toEqual([
      ['ZIP_ENTRY_NAME_AMBIGUOUS', 'café.txt'],
      ['ZIP_ENTRY_NAME_AMBIGUOUS', 'Ä.t'],
      ['ZIP_ENTRY_NAME_AMBIGUOUS', 'xé'],
    ])
    const fixed = Buffer.from(unicodeField)
    fixed.writeUInt32LE(crc32(Buffer.from([0x78, 0x82])), 5)
    const otherName = await validateEntries([
      { name: Buffer.from([0x78, 0x82]), data: 'c', central: { extra: fixed } },
    ])
    expect(codes(otherName)).toEqual(['ZIP_ENTRY_NAME_AMBIGUOUS'])
    const sameName = Buffer.from(unicodeField)
    sameName.writeUInt32LE(crc32(stored), 5)
    const withUnicode = await validateEntries([
      { name: stored, data: 'c', central: { extra: sameName }, local: { extra: sameName } },
    ])
    expect(withUnicode.problems).toEqual([])
    expect(withUnicode.entries.map((entry) => entry.path)).toEqual(['café.txt'])
    const centralOnly = await validateEntries([
      { name: stored, data: 'c', central: { extra: sameName } },
    ])
    expect(codes(centralOnly)).toEqual(['ZIP_ENTRY_NAME_AMBIGUOUS'])
    expect(centralOnly.problems[0]?.message).toContain('in the local header')
    // Valid UTF-8 without the flag is read as UTF-8, as unzip and Java read it.
    const unflagged = await validateEntries([{ name: Buffer.from('naïve.txt'), data: 'd' }])
    expect(unflagged.problems).toEqual([])
    expect(unflagged.entries.map((entry) => entry.path)).toEqual(['naïve.txt'])
  })
})

describe('validateZip rejects unsafe entry names', () => {
  it.each([
    ['/etc/passwd', 'ZIP_ENTRY_PATH_ABSOLUTE'],
    ['C:/Windows/win.ini', 'ZIP_ENTRY_PATH_ABSOLUTE'],
    ['a/../../outside', 'ZIP_ENTRY_PATH_TRAVERSAL'],
    ['..', 'ZIP_ENTRY_PATH_TRAVERSAL'],
    ['dir\\file.txt', 'ZIP_ENTRY_PATH_BACKSLASH'],
    ['a\0b', 'ZIP_ENTRY_PATH_NUL'],
    ['a//b', 'ZIP_ENTRY_PATH_NON_CANONICAL'],
    ['./a', 'ZIP_ENTRY_PATH_NON_CANONICAL'],
    ['a/./b/', 'ZIP_ENTRY_PATH_NON_CANONICAL'],
  ] as const)('%j → %s', async (name, code) => {
    const report = await validateEntries([
      { name: 'ok.txt', data: 'fine' },
      { name, data: name.endsWith('/') ? '' : 'x' },
    ])
    expectOnly(report, code, name)
  })

  it('rejects a name flagged UTF-8 that is not UTF-8', async () => {
    const report = await validateEntries([
      { name: Buffer.from([0x61, 0xff, 0x62]), data: 'x', flags: 0x0800 },
    ])
    expect(codes(report)).toContain('ZIP_ENTRY_PATH_NON_CANONICAL')
    expect(report.problems[0]?.message).toContain('not valid UTF-8')
  })

  it('rejects names longer than 4096 bytes (ZIP_ENTRY_PATH_TOO_LONG)', async () => {
    const name = `${'d/'.repeat(2500)}f`
    const report = await validateEntries([{ name, data: 'x' }])
    expect(codes(report)).toEqual(['ZIP_ENTRY_PATH_TOO_LONG'])
    expect(report.problems[0]?.message).toMatch(/5001-byte name; at most 4096/)
  })

  it('rejects duplicate names (ZIP_ENTRY_DUPLICATE)', async () => {
    const report = await validateEntries([
      { name: 'a.txt', data: 'one' },
      { name: 'b.txt', data: 'two' },
      { name: 'a.txt', data: 'three' },
    ])
    expectOnly(report, 'ZIP_ENTRY_DUPLICATE', 'a.txt')
  })

  it.each([
    [
      'a file and a directory entry of the same name',
      [{ name: 'a', data: 'x' }, { name: 'a/' }],
      'a',
    ],
    [
      'a file where a deeper path needs a directory',
      [
        { name: 'a/b', data: 'x' },
        { name: 'a/b/c/d', data: 'y' },
      ],
      'a/b',
    ],
    [
      'a symlink where a deeper path needs a directory',
      [symlinkEntry('l', 'd'), { name: 'd/' }, { name: 'l/x', data: 'y' }],
      'l',
    ],
  ] as [string, RawZipEntry[], string][])(
    'rejects %s (ZIP_ENTRY_FILE_DIRECTORY_CONFLICT)',
    async (_, entries, entry) => {
      expectOnly(await validateEntries(entries), 'ZIP_ENTRY_FILE_DIRECTORY_CONFLICT', entry)
    },
  )

  it('does not confuse sibling prefixes with directories', async () => {
    const report = await validateEntries([
      { name: 'a', data: '1' },
      { name: 'a-b/c', data: '2' },
      { name: 'a.d/e', data: '3' },
      { name: 'a0', data: '4' },
    ])
    expect(report.problems).toEqual([])
  })
})

describe('validateZip resolves symlinks (ZIP_SYMLINK_ESCAPES_ROOT)', () => {
  it.each([
    ['a relative target above the root', [symlinkEntry('up', '../secret')], 'up'],
    ['a nested link climbing too far', [symlinkEntry('a/b/l', '../../../x')], 'a/b/l'],
    ['an absolute target', [symlinkEntry('abs', '/etc/passwd')], 'abs'],
    ['a Windows-style target', [symlinkEntry('win', '..\\..\\x')], 'win'],
    [
      'a chain of links',
      [symlinkEntry('a', 'b'), symlinkEntry('b', 'c/..'), symlinkEntry('c', '..')],
      'a',
    ],
    [
      'a link through a directory symlink',
      [symlinkEntry('d', 'x'), { name: 'x/' }, symlinkEntry('l', 'd/../..')],
      'l',
    ],
    ['a loop', [symlinkEntry('p', 'q'), symlinkEntry('q', 'p')], 'p'],
  ] as [string, RawZipEntry[], string][])('rejects %s', async (_, entries, entry) => {
    const report = await validateEntries(entries)
    expect(codes(report).every((code) => code === 'ZIP_SYMLINK_ESCAPES_ROOT')).toBe(true)
    const problem = report.problems.find((candidate) => candidate.entry === entry)
    expect(problem?.message).toContain(JSON.stringify(entry))
  })

  it('accepts links that stay inside, including through deep directory links', async () => {
    const report = await validateEntries([
      { name: 'x/' },
      { name: 'x/y/' },
      { name: 'x/y/z/' },
      { name: 'x/y/z/file', data: 'content' },
      symlinkEntry('deep', 'x/y/z'),
      // deep → x/y/z, then three `..` come back to the root: inside, although
      // a purely textual reading ("deep/../../..") would climb above it.
      symlinkEntry('back', 'deep/../../../x'),
      symlinkEntry('x/y/sibling', '../y/z/file'),
      symlinkEntry('dangling', 'nothing/here'),
    ])
    expect(report.problems).toEqual([])
  })
})

describe('validateZip checks the bytes against the declarations', () => {
  it('rejects a stored entry whose declared size differs (ZIP_ENTRY_SIZE_MISMATCH)', async () => {
    const message = expectOnly(
      await validateEntries([{ name: 'lie.txt', data: 'short', uncompressedSize: 500 }]),
      'ZIP_ENTRY_SIZE_MISMATCH',
      'lie.txt',
    )
    expect(message).toContain('holds 5 uncompressed bytes, but 500 are declared')
  })

  it('rejects a deflated entry that inflates past its declared size', async () => {
    const message = expectOnly(
      await validateEntries([
        { name: 'grow.bin', data: Buffer.alloc(200_000), deflate: true, uncompressedSize: 1000 },
      ]),
      'ZIP_ENTRY_SIZE_MISMATCH',
      'grow.bin',
    )
    expect(message).toContain('more than its declared 1000 bytes')
  })

  it('rejects a deflate stream longer than its declared compressed size', async () => {
    const compressed = deflateRawSync(Buffer.from('some text to compress '.repeat(40)))
    const report = await validateEntries([
      {
        name: 'cut.txt',
        data: 'some text to compress '.repeat(40),
        compressed: compressed.subarray(0, compressed.length - 4),
        method: 8,
      },
    ])
    expect(expectOnly(report, 'ZIP_ENTRY_SIZE_MISMATCH', 'cut.txt')).toContain(
      'needs more than its declared',
    )
  })

  it('rejects compressed bytes left over after the deflate stream ends', async () => {
    const data = 'payload '.repeat(30)
    const compressed = Buffer.concat([deflateRawSync(data), Buffer.from('hidden extra bytes')])
    const report = await validateEntries([{ name: 'tail.txt', data, compressed, method: 8 }])
    expect(expectOnly(report, 'ZIP_ENTRY_SIZE_MISMATCH', 'tail.txt')).toMatch(
      /ends after \d+ of its declared \d+/,
    )
  })

  it('rejects a wrong CRC-32 (ZIP_ENTRY_CRC_MISMATCH)', async () => {
    const message = expectOnly(
      await validateEntries([{ name: 'crc.txt', data: 'data', deflate: true, crc32: 0x12345678 }]),
      'ZIP_ENTRY_CRC_MISMATCH',
      'crc.txt',
    )
    expect(message).toContain(
      `CRC-32 0x${crc32('data').toString(16).padStart(8, '0')}, but 0x12345678 is declared`,
    )
  })

  it('rejects invalid deflate data (ZIP_ENTRY_CORRUPT)', async () => {
    const report = await validateEntries([
      { name: 'junk.bin', data: 'x', compressed: Buffer.from([0xff, 0xff, 0xff, 0xff]), method: 8 },
    ])
    expectOnly(report, 'ZIP_ENTRY_CORRUPT', 'junk.bin')
  })

  it('rejects a directory entry that holds data', async () => {
    const report = await validateEntries([{ name: 'dir/', data: 'oops' }])
    expectOnly(report, 'ZIP_ENTRY_SIZE_MISMATCH', 'dir/')
  })

  it('still checks the other entries after one fails', async () => {
    const report = await validateEntries([
      { name: 'bad1', data: 'x', crc32: 1 },
      { name: 'good', data: 'y' },
      { name: 'bad2', data: 'z', uncompressedSize: 9 },
    ])
    expect(report.problems.map((problem) => [problem.code, problem.entry])).toEqual([
      ['ZIP_ENTRY_CRC_MISMATCH', 'bad1'],
      ['ZIP_ENTRY_SIZE_MISMATCH', 'bad2'],
    ])
    expect(report.entries[1]?.sha256).toBe(createHash('sha256').update('y').digest('hex'))
    expect(report.entries[0]?.sha256).toBeUndefined()
  })
})

describe('validateZip checks the structure', () => {
  it('rejects an entry whose local header sits inside another entry (ZIP_ENTRY_OVERLAP)', async () => {
    const inner = buildRawZip([{ name: 'b', data: 'hello' }]).subarray(0, 30 + 1 + 5)
    const report = await validateEntries([
      { name: 'a', data: inner },
      { name: 'b', data: 'hello', local: { omit: true }, central: { localHeaderOffset: 30 + 1 } },
    ])
    const message = expectOnly(report, 'ZIP_ENTRY_OVERLAP', 'b')
    expect(message).toContain('inside entry "a" (bytes 0..67)')
  })

  it('rejects two records pointing at the same local header', async () => {
    const report = await validateEntries([
      { name: 'a', data: 'x' },
      { name: 'a', data: 'x', local: { omit: true }, central: { localHeaderOffset: 0 } },
    ])
    expect(codes(report)).toEqual(['ZIP_ENTRY_OVERLAP', 'ZIP_ENTRY_DUPLICATE'])
  })

  it('rejects entry data running into the central directory', async () => {
    const report = await validateEntries([
      { name: 'a', data: 'hello', compressedSize: 50, uncompressedSize: 50 },
    ])
    expect(expectOnly(report, 'ZIP_ENTRY_OVERLAP', 'a')).toContain(
      'running into the central directory',
    )
  })

  it('rejects a local header offset inside the central directory', async () => {
    const report = await validateEntries([
      { name: 'a', data: 'x', local: { omit: true }, central: { localHeaderOffset: 0 } },
    ])
    expectOnly(report, 'ZIP_ENTRY_OVERLAP', 'a')
  })

  it.each([
    ['name', { name: 'other' }, 'local header names it "other"'],
    ['CRC-32', { crc32: 7 }, 'local header gives CRC-32 0x00000007'],
    [
      'compressed size',
      { compressedSize: 3 },
      'local header gives compressed size 3, central directory gives 4',
    ],
    ['method', { method: 8 }, 'compression method 8, central directory gives 0'],
    ['flags', { flags: 0x0800 }, 'flags are 0x0800, central directory flags are 0x0000'],
  ] as const)(
    'rejects local and central headers that disagree on the %s (ZIP_HEADER_MISMATCH)',
    async (_, local, text) => {
      const report = await validateEntries([{ name: 'a.txt', data: 'data', local }])
      expect(expectOnly(report, 'ZIP_HEADER_MISMATCH', 'a.txt')).toContain(text)
    },
  )

  it('rejects a data descriptor that disagrees with the central directory', async () => {
    const report = await validateEntries([
      { name: 'd.txt', data: 'data', dataDescriptor: { crc32: 99 } },
    ])
    expect(expectOnly(report, 'ZIP_HEADER_MISMATCH', 'd.txt')).toContain('data descriptor')
  })

  it('rejects a missing local header signature', async () => {
    const bytes = buildRawZip([{ name: 'a', data: 'x' }])
    bytes.write('XX', 0, 'latin1')
    expect(expectOnly(await validate(bytes), 'ZIP_HEADER_MISMATCH', 'a')).toContain(
      'expected a local file header at offset 0',
    )
  })

  it('rejects a central directory that holds fewer records than declared', async () => {
    const tooFew = buildRawZip([{ name: 'a', data: 'x' }], { eocd: { entries: 2 } })
    expect(expectOnly(await validate(tooFew), 'ZIP_HEADER_MISMATCH')).toContain(
      'too small for the 2 entries',
    )
    const tooMany = buildRawZip(
      [
        { name: 'a', data: 'x' },
        { name: 'b', data: 'y' },
      ],
      { eocd: { entries: 1 } },
    )
    expect(expectOnly(await validate(tooMany), 'ZIP_HEADER_MISMATCH')).toContain(
      'declares 1 entries, which end at',
    )
  })

  it.each([
    ['an empty file', Buffer.alloc(0)],
    ['a text file', Buffer.from('this is plainly not a zip archive, just some text\n'.repeat(3))],
    [
      'a zip followed by other bytes',
      Buffer.concat([buildRawZip([{ name: 'a', data: 'x' }]), Buffer.from('trailer')]),
    ],
  ])('rejects %s (ZIP_NOT_A_ZIP) without hashing it', async (_, bytes) => {
    const report = await validate(bytes)
    expectOnly(report, 'ZIP_NOT_A_ZIP')
    expect(report.entries).toEqual([])
    expect(report.sha256).toBeUndefined()
    expect(report.size).toBe(bytes.length)
  })

  it('rejects a zip cut short (ZIP_TRUNCATED)', async () => {
    const bytes = buildRawZip([{ name: 'a.txt', data: 'content '.repeat(100), deflate: true }])
    expect(
      expectOnly(await validate(bytes.subarray(0, bytes.length - 30)), 'ZIP_TRUNCATED'),
    ).toContain('truncated')
    expectOnly(await validate(bytes.subarray(0, 10)), 'ZIP_TRUNCATED')
  })

  it('rejects a central directory or an entry past the end of the file (ZIP_TRUNCATED)', async () => {
    const cd = buildRawZip([{ name: 'a', data: 'x' }], { eocd: { offset: 5000 } })
    expect(expectOnly(await validate(cd), 'ZIP_TRUNCATED')).toContain('file is only')
    const entry = await validateEntries([
      { name: 'a', data: 'x', local: { omit: true }, central: { localHeaderOffset: 9000 } },
    ])
    expectOnly(entry, 'ZIP_TRUNCATED', 'a')
  })

  it.each([
    [
      'an unknown compression method',
      { name: 'bz', data: 'x', method: 12 },
      'compression method 12',
    ],
    ['an encrypted entry', { name: 'enc', data: 'x', flags: 1 }, 'encrypted'],
  ] as [string, RawZipEntry, string][])('rejects %s (ZIP_UNSUPPORTED)', async (_, entry, text) => {
    const report = await validateEntries([{ name: 'fine', data: 'ok' }, entry])
    expect(expectOnly(report, 'ZIP_UNSUPPORTED', entry.name as string)).toContain(text)
  })

  it('rejects split archives (ZIP_UNSUPPORTED)', async () => {
    const report = await validate(buildRawZip([{ name: 'a', data: 'x' }], { eocd: { disk: 1 } }))
    expectOnly(report, 'ZIP_UNSUPPORTED')
  })
})

describe('validateZip enforces limits', () => {
  it('refuses a declared entry count over the limit before reading entries (ZIP_TOO_MANY_ENTRIES)', async () => {
    // The ZIP64 record claims a billion entries; the central directory could not even hold them.
    const bytes = buildRawZip([{ name: 'a', data: 'x' }], {
      zip64: true,
      zip64Eocd: { entries: 1_000_000_000 },
    })
    const message = expectOnly(await validate(bytes), 'ZIP_TOO_MANY_ENTRIES')
    expect(message).toContain('declares 1000000000 entries; at most 100000')
  })

  it('applies a lower entry limit', async () => {
    const entries = [1, 2, 3].map((n) => ({ name: `f${n}`, data: String(n) }))
    expect((await validateEntries(entries, { maxEntries: 3 })).valid).toBe(true)
    expectOnly(await validateEntries(entries, { maxEntries: 2 }), 'ZIP_TOO_MANY_ENTRIES')
  })

  it('refuses a small entry claiming more than the total limit (ZIP_TOO_LARGE)', async () => {
    const message = expectOnly(
      await validateEntries([
        { name: 'claims', data: 'tiny', uncompressedSize: 2 * 1024 ** 3, compressedSize: 4 },
      ]),
      'ZIP_TOO_LARGE',
    )
    expect(message).toContain(`${2 * 1024 ** 3} uncompressed bytes in total; at most ${1024 ** 3}`)
  })

  it('refuses a ZIP64 entry claiming terabytes', async () => {
    const report = await validateEntries([
      { name: 'huge', data: 'x', zip64: true, uncompressedSize: 2 ** 42 },
    ])
    expectOnly(report, 'ZIP_TOO_LARGE')
  })

  it('refuses an entry over the ratio limit (ZIP_COMPRESSION_RATIO_EXCEEDED)', async () => {
    const zeros = Buffer.alloc(2 * 1024 * 1024)
    const entries = [{ name: 'zeros.bin', data: zeros, deflate: true }]
    expect((await validateEntries(entries)).valid).toBe(true)
    const report = await validateEntries(entries, { ratioCheckMinBytes: 1024 * 1024 })
    expect(expectOnly(report, 'ZIP_COMPRESSION_RATIO_EXCEEDED')).toContain(
      '"zeros.bin" declares 2097152 bytes',
    )
  })

  it('refuses a central directory over its limit', async () => {
    const entries = [1, 2, 3].map((n) => ({ name: `f${n}`, data: String(n) }))
    expectOnly(await validateEntries(entries, { maxCentralDirectoryBytes: 100 }), 'ZIP_TOO_LARGE')
  })
})

describe('assertValidZip', () => {
  it('returns the report of a valid zip', async () => {
    const path = await writeZip(buildRawZip([{ name: 'a', data: 'x' }]))
    await expect(assertValidZip(path)).resolves.toMatchObject({ valid: true })
  })

  it("throws the first problem's code with all problems in the details", async () => {
    const path = await writeZip(
      buildRawZip([
        { name: '../evil', data: 'x' },
        { name: 'b', data: 'y', crc32: 5 },
      ]),
    )
    const error: unknown = await assertValidZip(path).catch((caught: unknown) => caught)
    expect(isPackwrightError(error, 'ZIP_ENTRY_PATH_TRAVERSAL')).toBe(true)
    if (!isPackwrightError(error)) return
    expect(error.message).toContain('(and 1 more problem)')
    expect(error.details.problems).toHaveLength(2)
  })

  it('throws ZIP_READ_FAILED for a missing file and ABORTED when aborted', async () => {
    await expect(
      validateZip(join(tmpdir(), 'packwright-no-such-dir', 'missing.zip')),
    ).rejects.toMatchObject({
      code: 'ZIP_READ_FAILED',
    })
    const path = await writeZip(buildRawZip([{ name: 'a', data: 'x' }]))
    await expect(validateZip(path, { signal: AbortSignal.abort() })).rejects.toMatchObject({
      code: 'ABORTED',
    })
  })
})

/**
 * Entries `a` then `b` in the central directory, with `b`'s local header and
 * data first in the file: both with a wrong CRC-32.
 */
function listedAfterTheirData(): RawZipEntry[] {
  const localOfB = buildRawZip([{ name: 'b', data: 'yy', crc32: 1 }]).subarray(0, 30 + 1 + 2)
  return [
    { name: 'a', data: 'x', crc32: 1, before: localOfB },
    { name: 'b', data: 'yy', crc32: 1, local: { omit: true }, central: { localHeaderOffset: 0 } },
  ]
}

describe('validateZip reports entries as read', () => {
  it('reads entries in file order, whatever the central directory order', async () => {
    const report = await validateEntries(listedAfterTheirData())
    expect(report.problems.map((problem) => [problem.code, problem.entry])).toEqual([
      ['ZIP_ENTRY_CRC_MISMATCH', 'b'],
      ['ZIP_ENTRY_CRC_MISMATCH', 'a'],
    ])
    expect(report.entries.map((entry) => entry.path)).toEqual(['a', 'b'])
  })

  it('reads no entry whose local header could not be read', async () => {
    const bytes = buildRawZip([{ name: 'a', data: 'x' }])
    bytes.write('XX', 0, 'latin1')
    const report = await validate(bytes)
    expectOnly(report, 'ZIP_HEADER_MISMATCH', 'a')
    expect(report.entries[0]?.sha256).toBeUndefined()
  })

  it('names unknown methods and pads modes to three octal digits', async () => {
    const report = await validateEntries([
      { name: 'bz', data: 'x', method: 12 },
      { name: 'private', data: 'x', externalAttributes: unixAttributes(0o100007) },
      { name: 'deflated', data: 'x', deflate: true },
    ])
    expect(report.entries.map(({ path, method, mode }) => [path, method, mode])).toEqual([
      ['bz', 'method 12', '644'],
      ['private', 'store', '007'],
      ['deflated', 'deflate', '644'],
    ])
  })

  it.each([
    ['read in one piece', {}],
    ['streamed', { ratioCheckMinBytes: 1 }],
  ])('refuses a symlink target over 4096 bytes, %s', async (_, limits) => {
    const fits = await validateEntries([symlinkEntry('fits', 'x'.repeat(4096))], limits)
    expect(fits.problems).toEqual([])
    expect(fits.entries[0]?.linkTarget).toBe('x'.repeat(4096))
    const report = await validateEntries([symlinkEntry('long', 'x'.repeat(4097))], limits)
    expect(report.problems).toEqual([
      {
        code: 'ZIP_UNSUPPORTED',
        message: 'Symlink "long" declares a 4097-byte target; at most 4096 bytes are supported.',
        entry: 'long',
      },
    ])
  })

  it.skipIf(process.platform !== 'linux')('closes the zip file, valid or not', async () => {
    const openFiles = async (): Promise<number> => (await readdir('/proc/self/fd')).length
    const before = await openFiles()
    expect((await validateEntries([{ name: 'a', data: 'x' }])).valid).toBe(true)
    expect(await openFiles()).toBe(before)
    expect((await validate(Buffer.from('no zip'))).valid).toBe(false)
    expect(await openFiles()).toBe(before)
  })
})
