import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { lstat, mkdtemp, readlink, rm, truncate, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { crc32 } from 'node:zlib'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import {
  type RawZipEntry,
  buildRawZip,
  extraField,
  symlinkEntry,
  unicodePathExtra,
  unixAttributes,
} from '../../../test/helpers/build-raw-zip.js'
import { rejection } from '../../../test/helpers/rejection.js'
import { type ErrorCode } from '../../errors.js'
import { openZip } from './open-zip.js'
import { validateZip } from './validate-zip.js'
import { type ZipValidationReport } from './validate-zip-report.js'

const run = promisify(execFile)

let dir: string
let counter = 0
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'packwright-hostile-zip-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function writeZip(bytes: Uint8Array): Promise<string> {
  const path = join(dir, `${counter++}.zip`)
  await writeFile(path, bytes)
  return path
}

async function validateEntries(
  entries: RawZipEntry[],
): Promise<{ path: string; report: ZipValidationReport }> {
  const path = await writeZip(buildRawZip(entries))
  return { path, report: await validateZip(path) }
}

function codes(report: ZipValidationReport): ErrorCode[] {
  return report.problems.map((problem) => problem.code)
}

/** Extracts with Info-ZIP `unzip -o` into a fresh folder and returns that folder. */
async function unzipInto(zip: string): Promise<string> {
  const into = join(dir, `out-${counter++}`)
  await run('unzip', ['-o', '-q', zip, '-d', into]).catch(() => undefined)
  return into
}

/** What Info-ZIP `unzip` created at `path`: 'symlink -> target', 'directory', 'file' or 'missing'. */
async function extractedKind(path: string): Promise<string> {
  const stats = await lstat(path).catch(() => undefined)
  if (stats === undefined) return 'missing'
  if (stats.isSymbolicLink()) return `symlink -> ${await readlink(path)}`
  return stats.isDirectory() ? 'directory' : 'file'
}

async function unzipNames(zip: string): Promise<string[]> {
  const { stdout } = await run('unzip', ['-Z1', zip])
  return stdout.split('\n').filter((line) => line !== '')
}

/** `versionMadeBy` for a host, as the high byte (version 2.0 in the low byte). */
const madeBy = (host: number): number => (host << 8) | 20

describe('entry types come from the external attributes, whatever the host', () => {
  it.each([
    ['MS-DOS/FAT', 0],
    ['VMS', 2],
    ['Unix', 3],
    ['Atari', 5],
    ['HPFS', 6],
    ['NTFS', 11],
    ['BeOS', 16],
    ['AtheOS', 30],
  ])('judges an S_IFLNK entry made on %s as a symlink and refuses its escape', async (_, host) => {
    const { path, report } = await validateEntries([
      symlinkEntry('evil', '/etc/passwd', { versionMadeBy: madeBy(host) }),
    ])
    expect(report.entries.map((entry) => [entry.path, entry.kind])).toEqual([['evil', 'symlink']])
    // Only Unix symlinks are extracted as links by every extractor; the escape is judged for all.
    expect(codes(report)).toEqual(
      host === 3
        ? ['ZIP_SYMLINK_ESCAPES_ROOT']
        : ['ZIP_ENTRY_TYPE_CONFLICT', 'ZIP_SYMLINK_ESCAPES_ROOT'],
    )
    const created = await extractedKind(join(await unzipInto(path), 'evil'))
    // unzip makes a link for some of these hosts and a file for others: we judge them all as links.
    expect(['symlink -> /etc/passwd', 'file']).toContain(created)
    if ([2, 3, 5, 16, 30].includes(host)) expect(created).toBe('symlink -> /etc/passwd')
  })

  it.each([
    ['a FIFO', 0o010644, 'FIFO'],
    ['a character device', 0o020644, 'character device'],
    ['a block device', 0o060644, 'block device'],
    ['a socket', 0o140644, 'socket'],
    ['an unknown type', 0o130644, 'unknown file type 0o130000'],
  ])('refuses %s (ZIP_ENTRY_TYPE_UNSUPPORTED)', async (_, mode, text) => {
    for (const host of [0, 3]) {
      const { report } = await validateEntries([
        {
          name: 'node',
          data: 'x',
          versionMadeBy: madeBy(host),
          externalAttributes: unixAttributes(mode),
        },
      ])
      expect(codes(report)).toEqual(['ZIP_ENTRY_TYPE_UNSUPPORTED'])
      expect(report.problems[0]?.entry).toBe('node')
      expect(report.problems[0]?.message).toContain(text)
    }
  })

  it.each([
    ['a directory name typed as a symlink', 'd/', 3, unixAttributes(0o120777), 'directory'],
    ['a directory name typed as a regular file', 'd/', 3, unixAttributes(0o100644), 'directory'],
    ['a file name typed as a directory', 'p', 3, unixAttributes(0o040755), 'file'],
    ['a file name with the MS-DOS directory bit', 'p', 0, 0x10, 'file'],
    [
      'a Unix file name with the MS-DOS directory bit',
      'p',
      3,
      unixAttributes(0o100644) | 0x10,
      'file',
    ],
  ])('refuses %s (ZIP_ENTRY_TYPE_CONFLICT)', async (_, name, host, attributes, unzipMakes) => {
    const { path, report } = await validateEntries([
      { name, versionMadeBy: madeBy(host), externalAttributes: attributes },
    ])
    expect(codes(report)).toEqual(['ZIP_ENTRY_TYPE_CONFLICT'])
    expect(report.problems[0]?.entry).toBe(name)
    // unzip goes by the name; bsdtar goes by the type: no single answer, so the entry is refused.
    const extracted = join(await unzipInto(path), name.replace(/\/$/, ''))
    expect(await extractedKind(extracted)).toBe(unzipMakes)
  })

  it('accepts consistent attributes from FAT, NTFS and Unix hosts', async () => {
    const { report } = await validateEntries([
      { name: 'dos/', versionMadeBy: madeBy(0), externalAttributes: 0x10 },
      { name: 'dos/f', data: 'x', versionMadeBy: madeBy(0), externalAttributes: 0x20 },
      // Python's zipfile on Windows: st_mode in the high bits, host 0.
      {
        name: 'win/',
        versionMadeBy: madeBy(0),
        externalAttributes: unixAttributes(0o040777) | 0x10,
      },
      {
        name: 'win/f',
        data: 'y',
        versionMadeBy: madeBy(0),
        externalAttributes: unixAttributes(0o100666),
      },
      { name: 'nt/f', data: 'z', versionMadeBy: madeBy(11), externalAttributes: 0x20 },
    ])
    expect(report.problems).toEqual([])
    expect(report.entries.map((entry) => [entry.path, entry.kind, entry.mode])).toEqual([
      ['dos/', 'directory', '755'],
      ['dos/f', 'file', '644'],
      ['win/', 'directory', '777'],
      ['win/f', 'file', '666'],
      ['nt/f', 'file', '644'],
    ])
  })

  it('refuses Unix extra fields that carry a link target or another type, in either header', async () => {
    const pkwareTarget = extraField(
      0x000d,
      Buffer.concat([Buffer.alloc(12), Buffer.from('/etc/passwd')]),
    )
    const asiMode = Buffer.alloc(14)
    asiMode.writeUInt16LE(0o120777, 4)
    const asiTarget = Buffer.concat([asiMode, Buffer.from('/etc/passwd')])
    const cases: [Partial<RawZipEntry>, ErrorCode, string][] = [
      [
        { central: { extra: pkwareTarget } },
        'ZIP_ENTRY_LINK_TARGET_AMBIGUOUS',
        'central directory',
      ],
      [{ local: { extra: pkwareTarget } }, 'ZIP_ENTRY_LINK_TARGET_AMBIGUOUS', 'local header'],
      [
        { central: { extra: extraField(0x756e, asiTarget) } },
        'ZIP_ENTRY_LINK_TARGET_AMBIGUOUS',
        'ASi',
      ],
      [{ local: { extra: extraField(0x756e, asiMode) } }, 'ZIP_ENTRY_TYPE_CONFLICT', '0o120000'],
      [
        { central: { extra: extraField(0x000d, Buffer.alloc(4)) } },
        'ZIP_HEADER_MISMATCH',
        '4-byte',
      ],
    ]
    for (const [override, code, text] of cases) {
      const { report } = await validateEntries([{ name: 'f', data: 'x', ...override }])
      expect(codes(report)).toEqual([code])
      expect(report.problems[0]?.message).toContain(text)
    }
    const plain = Buffer.alloc(14)
    plain.writeUInt16LE(0o100644, 4)
    const { report } = await validateEntries([
      {
        name: 'f',
        data: 'x',
        central: { extra: extraField(0x000d, Buffer.alloc(12)) },
        local: { extra: extraField(0x756e, plain) },
      },
    ])
    expect(report.problems).toEqual([])
  })
})

describe('the name validated is the name every extractor uses (Unicode Path field 0x7075)', () => {
  it.each([
    ['another name', 'safe.txt', 'other.sh'],
    ['a climbing path', 'a/b/safe.txt', '../../evil.txt'],
  ])(
    'refuses an ASCII name whose Unicode Path field gives %s (ZIP_ENTRY_NAME_AMBIGUOUS)',
    async (_, stored, other) => {
      const field = unicodePathExtra(stored, other)
      for (const where of ['central', 'local'] as const) {
        const { path, report } = await validateEntries([
          { name: stored, data: 'x', [where]: { extra: field } },
        ])
        expect(codes(report)).toEqual(['ZIP_ENTRY_NAME_AMBIGUOUS'])
        expect(report.problems[0]?.entry).toBe(stored)
        expect(report.problems[0]?.message).toContain(JSON.stringify(other))
        if (where === 'central') {
          // Info-ZIP lists and extracts the field's name, not the stored one.
          expect(await unzipNames(path)).toEqual([other])
        }
      }
    },
  )

  it('refuses the field whatever its CRC or version, and when the headers disagree', async () => {
    const stale = unicodePathExtra('not the stored name', 'other.sh')
    const version2 = unicodePathExtra('safe.txt', 'safe.txt')
    version2.writeUInt8(2, 4)
    const same = unicodePathExtra('safe.txt', 'safe.txt')
    for (const entry of [
      { name: 'safe.txt', data: 'x', central: { extra: stale } },
      { name: 'safe.txt', data: 'x', central: { extra: version2 } },
      { name: 'safe.txt', data: 'x', central: { extra: same }, local: { extra: stale } },
    ]) {
      const { report } = await validateEntries([entry])
      expect(codes(report)).toEqual(['ZIP_ENTRY_NAME_AMBIGUOUS'])
    }
    const { report } = await validateEntries([
      { name: 'safe.txt', data: 'x', central: { extra: same }, local: { extra: same } },
    ])
    expect(report.problems).toEqual([])
  })

  it('refuses an extra-field block that repeats an id (ZIP_HEADER_MISMATCH)', async () => {
    const zip64 = (offset: number): Buffer => {
      const data = Buffer.alloc(8)
      data.writeBigUInt64LE(BigInt(offset))
      return extraField(0x0001, data)
    }
    const twice = Buffer.concat([unicodePathExtra('a', 'a'), unicodePathExtra('a', 'b')])
    const central = await validateZip(
      await writeZip(buildRawZip([{ name: 'a', data: 'x', central: { extra: twice } }])),
    )
    expect(codes(central)).toEqual(['ZIP_HEADER_MISMATCH'])
    expect(central.problems[0]?.message).toContain('extra field 0x7075 appears twice')
    const local = await validateEntries([
      { name: 'a', data: 'x', local: { extra: Buffer.concat([zip64(0), zip64(4096)]) } },
    ])
    expect(codes(local.report)).toEqual(['ZIP_HEADER_MISMATCH'])
    expect(local.report.problems[0]?.message).toContain('extra field 0x0001 appears twice')
  })
})

describe('every byte of the zip belongs to a listed entry or a directory record', () => {
  const hidden = buildRawZip([{ name: '../../../x', data: 'hidden' }])
  const hiddenEntry = hidden.subarray(0, 30 + '../../../x'.length + 'hidden'.length)

  it.each([
    [
      'before the first entry',
      [
        { name: 'a', data: 'x', before: hiddenEntry },
        { name: 'b', data: 'y' },
      ],
      {},
    ],
    [
      'between entries',
      [
        { name: 'a', data: 'x' },
        { name: 'b', data: 'y', before: hiddenEntry },
      ],
      {},
    ],
    [
      'after the last entry',
      [{ name: 'a', data: 'x' }],
      { gapBeforeCentralDirectory: hiddenEntry },
    ],
    ['a whole zip before the listed one', [{ name: 'a', data: 'x', before: hidden }], {}],
  ] as [string, RawZipEntry[], { gapBeforeCentralDirectory?: Uint8Array }][])(
    'refuses a local entry hidden %s (ZIP_UNACCOUNTED_BYTES)',
    async (_, entries, options) => {
      const report = await validateZip(await writeZip(buildRawZip(entries, options)))
      expect(codes(report)).toEqual(['ZIP_UNACCOUNTED_BYTES'])
      expect(report.problems[0]?.message).toMatch(/^Bytes \d+\.\.\d+ \(\d+ bytes, before /)
      expect(report.problems[0]?.message).toContain('They start with a local file header')
      await expect(openZip(await writeZip(buildRawZip(entries, options)))).rejects.toMatchObject({
        code: 'ZIP_UNACCOUNTED_BYTES',
      })
    },
  )

  it("refuses the entry Java's ZipInputStream would stream from unaccounted bytes", async () => {
    const lister = join(dir, 'ListStreamed.java')
    await writeFile(
      lister,
      [
        'import java.io.FileInputStream;',
        'import java.util.zip.ZipEntry;',
        'import java.util.zip.ZipInputStream;',
        'public class ListStreamed {',
        '  public static void main(String[] args) throws Exception {',
        '    try (ZipInputStream in = new ZipInputStream(new FileInputStream(args[0]))) {',
        '      for (ZipEntry e; (e = in.getNextEntry()) != null;) System.out.println(e.getName());',
        '    }',
        '  }',
        '}',
      ].join('\n'),
    )
    const zip = await writeZip(buildRawZip([{ name: 'a', data: 'x', before: hiddenEntry }]))
    const { stdout } = await run('java', [lister, zip])
    expect(stdout.split('\n').filter((line) => line !== '')).toEqual(['../../../x', 'a'])
    const report = await validateZip(zip)
    expect(report.entries.map((entry) => entry.path)).toEqual(['a'])
    expect(codes(report)).toEqual(['ZIP_UNACCOUNTED_BYTES'])
  })

  it('refuses a stored entry whose data holds a descriptor where streaming readers would end it', async () => {
    const before = Buffer.from('hello')
    const fake = Buffer.alloc(16)
    fake.writeUInt32LE(0x08074b50, 0)
    fake.writeUInt32LE(crc32(before), 4)
    fake.writeUInt32LE(before.length, 8)
    fake.writeUInt32LE(before.length, 12)
    const { report } = await validateEntries([
      { name: 'a', data: Buffer.concat([before, fake, hiddenEntry]), dataDescriptor: true },
    ])
    expect(codes(report)).toEqual(['ZIP_UNACCOUNTED_BYTES'])
    expect(report.problems[0]?.message).toContain('data descriptor at offset 36')
    const { report: deflated } = await validateEntries([
      {
        name: 'a',
        data: Buffer.concat([before, fake, hiddenEntry]),
        deflate: true,
        dataDescriptor: true,
      },
    ])
    expect(deflated.problems).toEqual([])
  })

  it('refuses bytes between the central directory and the end records, ZIP64 or not', async () => {
    for (const zip64 of [false, true]) {
      const bytes = buildRawZip([{ name: 'a', data: 'x' }], {
        zip64,
        gapAfterCentralDirectory: Buffer.from('junk'),
      })
      const report = await validateZip(await writeZip(bytes))
      expect(codes(report)).toEqual(['ZIP_UNACCOUNTED_BYTES'])
      expect(report.problems[0]?.message).toContain('(4 bytes) between the central directory')
    }
  })

  it('refuses a second zip appended to a valid one, in either order', async () => {
    const first = buildRawZip([{ name: 'a', data: 'x' }])
    const second = buildRawZip([{ name: '../../../x', data: 'hidden' }])
    for (const parts of [
      [first, second],
      [second, first],
    ]) {
      const report = await validateZip(await writeZip(Buffer.concat(parts)))
      expect(codes(report)).toEqual(['ZIP_UNACCOUNTED_BYTES'])
    }
  })

  it('refuses an archive comment that holds another end-record signature', async () => {
    const fake = Buffer.alloc(22)
    fake.writeUInt32LE(0x06054b50, 0)
    fake.writeUInt16LE(100, 20) // its comment would run past the end of the file
    const bytes = buildRawZip([{ name: 'a', data: 'x' }], { comment: fake.toString('latin1') })
    const report = await validateZip(await writeZip(bytes))
    expect(codes(report)).toEqual(['ZIP_HEADER_MISMATCH'])
    expect(report.problems[0]?.message).toContain(
      'comment holding another end-of-central-directory signature',
    )
  })

  it('accepts entries that end with data descriptors of every layout', async () => {
    const { report } = await validateEntries([
      { name: 'a', data: 'alpha', deflate: true, dataDescriptor: { signature: false } },
      { name: 'b', data: 'beta', dataDescriptor: true },
      { name: 'c', data: 'gamma', zip64: true, dataDescriptor: { zip64: false } },
    ])
    expect(report.problems).toEqual([])
  })
})

describe('the file is checked before it is opened or hashed', () => {
  it('refuses a FIFO, a device and a directory without waiting (ZIP_READ_FAILED)', async () => {
    const fifo = join(dir, 'fifo.zip')
    await run('mkfifo', [fifo])
    const specials: [string, string][] = [
      [fifo, 'a FIFO'],
      ['/dev/zero', 'a character device'],
      [dir, 'a directory'],
    ]
    for (const [path, kind] of specials) {
      const error = await rejection(validateZip(path))
      expect(error.code).toBe('ZIP_READ_FAILED')
      expect(error.message).toContain(`it is ${kind}; expected a regular file`)
      expect((await rejection(openZip(path))).code).toBe('ZIP_READ_FAILED')
    }
  })

  it('refuses a 4 GiB file that is no zip after reading its tail, without hashing it', async () => {
    const path = join(dir, 'big.bin')
    await writeFile(path, '')
    await truncate(path, 4 * 1024 ** 3) // sparse: no disk used
    const started = performance.now()
    const report = await validateZip(path)
    expect(codes(report)).toEqual(['ZIP_NOT_A_ZIP'])
    expect(report.sha256).toBeUndefined()
    expect(report.size).toBe(4 * 1024 ** 3)
    // Hashing 4 GiB takes many seconds; reading the tail takes milliseconds.
    expect(performance.now() - started).toBeLessThan(3000)
  })

  it('still reports the sha256 of a valid zip', async () => {
    const bytes = buildRawZip([{ name: 'a', data: 'x' }])
    const report = await validateZip(await writeZip(bytes))
    expect(report.sha256).toBe(createHash('sha256').update(bytes).digest('hex'))
  })
})
