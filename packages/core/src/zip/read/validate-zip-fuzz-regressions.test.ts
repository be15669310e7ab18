import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import {
  type RawZipEntry,
  type RawZipOptions,
  buildRawZip,
  extraField,
  symlinkEntry,
  unixAttributes,
} from '../../../test/helpers/build-raw-zip.js'
import { type SeedZip, buildSeedZips } from '../../../test/helpers/fuzz-seed-zips.js'
import { type UnzipVerdict, askUnzip } from '../../../test/helpers/unzip-oracle.js'
import { type ZipModel, parseZipModel, serializeZipModel } from '../../../test/helpers/zip-model.js'
import { type ErrorCode } from '../../errors.js'
import { validateZip } from './validate-zip.js'
import { type ZipValidationReport } from './validate-zip-report.js'

let dir: string
let counter = 0
let seeds: SeedZip[]
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'packwright-fuzz-regressions-'))
  seeds = await buildSeedZips(dir)
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function validateBytes(
  bytes: Uint8Array,
): Promise<{ path: string; report: ZipValidationReport }> {
  const path = join(dir, `${counter++}.zip`)
  await writeFile(path, bytes)
  return { path, report: await validateZip(path) }
}

function validateEntries(
  entries: RawZipEntry[],
  options?: RawZipOptions,
): Promise<{ path: string; report: ZipValidationReport }> {
  return validateBytes(buildRawZip(entries, options))
}

function codes(report: ZipValidationReport): ErrorCode[] {
  return report.problems.map((problem) => problem.code)
}

function unzip(path: string): Promise<UnzipVerdict> {
  return askUnzip(path, dir)
}

/** The seed zip made by `label`, taken apart. */
function seedModel(label: string): ZipModel {
  const seed = seeds.find((candidate) => candidate.label === label)
  if (seed === undefined) throw new Error(`no seed zip ${label}`)
  return parseZipModel(seed.bytes)
}

/** `versionMadeBy` for a host, as the high byte (version 2.0 in the low byte). */
const madeBy = (host: number): number => (host << 8) | 20

const file = (extra: Partial<RawZipEntry> = {}): RawZipEntry => ({
  name: 'f.txt',
  data: 'hello\n',
  ...extra,
})

describe('what validateZip calls valid, Info-ZIP unzip extracts exactly as listed', () => {
  it('still accepts every seed zip: our writer, zip, zip -fz, streamed zip and raw ZIP64', async () => {
    expect(seeds).toHaveLength(5)
    for (const seed of seeds) {
      const { report } = await validateBytes(seed.bytes)
      expect(report.problems, seed.label).toEqual([])
    }
  })

  it('refuses an entry that needs version 4.7 to extract, which unzip skips (ZIP_UNSUPPORTED)', async () => {
    const model = seedModel('writeDeterministicZip')
    const entry = model.entries[0]
    if (entry === undefined) throw new Error('empty seed')
    entry.centralHeader.writeUInt16LE(47, 6)
    const { path, report } = await validateBytes(serializeZipModel(model).bytes)
    expect(codes(report)).toEqual(['ZIP_UNSUPPORTED'])
    const [problem] = report.problems
    expect(problem?.entry).toBe(report.entries[0]?.path)
    expect(problem?.message).toContain('version 4.7')
    expect(problem?.message).toContain('at most version 4.5')
    const verdict = await unzip(path)
    expect(verdict.extractExitCode).toBe(81)
    expect(verdict.testOutput).toContain('need PK compat. v4.7')
  })

  it('refuses a version beyond 4.5 in a local header and any VMS version needed (ZIP_UNSUPPORTED)', async () => {
    const local = await validateEntries([file({ local: { versionNeeded: 46 } })])
    expect(codes(local.report)).toEqual(['ZIP_UNSUPPORTED'])
    expect(local.report.problems[0]?.message).toContain('version 4.6')
    expect(local.report.problems[0]?.message).toContain('local header')
    const vms = await validateEntries([file({ central: { versionNeeded: 0x0214 } })])
    expect(codes(vms.report)).toEqual(['ZIP_UNSUPPORTED'])
    expect(vms.report.problems[0]?.message).toContain('VMS')
    const zip64 = await validateEntries([file({ zip64: true })], { zip64: true })
    expect(codes(zip64.report)).toEqual([])
  })

  it('reports a version or a metadata field that both headers carry once per entry', async () => {
    const version = await validateEntries([
      file({ local: { versionNeeded: 63 }, central: { versionNeeded: 63 } }),
    ])
    expect(codes(version.report)).toEqual(['ZIP_UNSUPPORTED'])
    const field = extraField(0x4453, Buffer.alloc(12))
    const metadata = await validateEntries([
      file({ local: { extra: field }, central: { extra: field } }),
    ])
    expect(codes(metadata.report)).toEqual(['ZIP_UNSUPPORTED'])
  })

  it.each([
    ['MS-DOS/FAT with matching permissions (unzip: a link)', 0, 0o120600, 'symlink -> ../../x'],
    ['VMS (unzip: a link)', 2, 0o120777, 'symlink -> ../../x'],
    ['HPFS (unzip: a file)', 6, 0o120777, 'file'],
    ['NTFS (unzip: a file)', 11, 0o120777, 'file'],
  ])(
    'refuses a symlink type made on %s, and still judges its target (ZIP_ENTRY_TYPE_CONFLICT)',
    async (_, host, mode, unzipMakes) => {
      const { path, report } = await validateEntries([
        symlinkEntry('link', '../../x', {
          versionMadeBy: madeBy(host),
          externalAttributes: unixAttributes(mode),
        }),
      ])
      expect(report.entries.map((entry) => entry.kind)).toEqual(['symlink'])
      expect(codes(report)).toEqual(['ZIP_ENTRY_TYPE_CONFLICT', 'ZIP_SYMLINK_ESCAPES_ROOT'])
      expect(report.problems[0]?.message).toContain(`made by host ${host}`)
      const extracted = (await unzip(path)).extracted.get('link')
      const made =
        extracted?.kind === 'symlink' ? `symlink -> ${extracted.target}` : extracted?.kind
      expect(made).toBe(unzipMakes)
    },
  )

  it('accepts a Unix symlink inside the zip', async () => {
    const { report } = await validateEntries([file(), symlinkEntry('link', 'f.txt')])
    expect(codes(report)).toEqual([])
    expect(report.entries.map((entry) => entry.kind)).toEqual(['file', 'symlink'])
  })

  it.each([0, 5, 6, 11])(
    'refuses a volume label made by host %i, which unzip skips (ZIP_ENTRY_TYPE_UNSUPPORTED)',
    async (host) => {
      const { path, report } = await validateEntries([
        file({ versionMadeBy: madeBy(host), externalAttributes: 0x08 }),
      ])
      expect(codes(report)).toEqual(['ZIP_ENTRY_TYPE_UNSUPPORTED'])
      expect(report.problems[0]?.message).toContain('volume label')
      const verdict = await unzip(path)
      expect(verdict.extractExitCode).toBe(0)
      expect(verdict.extracted.size).toBe(0)
    },
  )

  it('refuses internal attribute bit 2 on a symlink, which unzip extracts as a file (ZIP_UNSUPPORTED)', async () => {
    const { path, report } = await validateEntries([
      file(),
      symlinkEntry('link', 'f.txt', { central: { internalAttributes: 0x0004 } }),
    ])
    expect(codes(report)).toEqual(['ZIP_UNSUPPORTED'])
    expect(report.problems[0]?.entry).toBe('link')
    expect(report.problems[0]?.message).toContain('internal attributes 0x0004')
    expect((await unzip(path)).extracted.get('link')?.kind).toBe('file')
  })

  it('refuses internal attribute bits other than the text flag, and accepts the text flag', async () => {
    for (const bits of [0x0002, 0x0008, 0x8000]) {
      const { report } = await validateEntries([file({ central: { internalAttributes: bits } })])
      expect(codes(report), `bits 0x${bits.toString(16)}`).toEqual(['ZIP_UNSUPPORTED'])
    }
    const text = await validateEntries([file({ central: { internalAttributes: 0x0001 } })])
    expect(codes(text.report)).toEqual([])
  })

  it('refuses an empty OS/2 extended-attributes field in a local header, which unzip -t calls missing (ZIP_UNSUPPORTED)', async () => {
    const model = seedModel('writeDeterministicZip')
    const entry = model.entries[0]
    if (entry === undefined) throw new Error('empty seed')
    entry.localExtra = Buffer.concat([entry.localExtra, extraField(0x0009, new Uint8Array())])
    const { path, report } = await validateBytes(serializeZipModel(model).bytes)
    expect(codes(report)).toEqual(['ZIP_UNSUPPORTED'])
    expect(report.problems[0]?.message).toContain('OS/2 extended attributes extra field (0x0009)')
    const verdict = await unzip(path)
    expect(verdict.testExitCode).not.toBe(0)
    expect(verdict.testOutput).toContain('compressed EA data missing')
  })

  it('refuses every host-metadata extra field unzip -t checks, in either header (ZIP_UNSUPPORTED)', async () => {
    for (const id of [0x0009, 0x334d, 0x4453, 0x4c41, 0x6542, 0x7441]) {
      const field = extraField(id, Buffer.alloc(12))
      for (const side of ['local', 'central'] as const) {
        const { report } = await validateEntries([file({ [side]: { extra: field } })])
        expect(codes(report), `${side} 0x${id.toString(16)}`).toEqual(['ZIP_UNSUPPORTED'])
      }
    }
  })

  it('refuses a name part longer than 255 bytes, which unzip cannot create (ZIP_ENTRY_PATH_TOO_LONG)', async () => {
    const model = seedModel('writeDeterministicZip')
    const entry = model.entries[0]
    if (entry === undefined) throw new Error('empty seed')
    entry.localName = entry.centralName = Buffer.from('x'.repeat(256))
    const { path, report } = await validateBytes(serializeZipModel(model).bytes)
    expect(codes(report)).toEqual(['ZIP_ENTRY_PATH_TOO_LONG'])
    expect(report.problems[0]?.message).toContain('256-byte part between slashes')
    expect((await unzip(path)).extractExitCode).toBe(50)
    const nested = await validateEntries([file({ name: `d/${'é'.repeat(128)}/f` })])
    expect(codes(nested.report)).toEqual(['ZIP_ENTRY_PATH_TOO_LONG'])
    const longest = await validateEntries([file({ name: `d/${'x'.repeat(255)}/f` })])
    expect(codes(longest.report)).toEqual([])
  })

  it('refuses a zip -fz archive whose end record names disk 1, which unzip cannot read (ZIP_UNSUPPORTED)', async () => {
    const model = seedModel('zip -fz -r -y (ZIP64 extra fields)')
    expect(model.zip64End).toBeDefined()
    model.end.writeUInt16LE(1, 4)
    const { path, report } = await validateBytes(serializeZipModel(model).bytes)
    expect(codes(report)).toEqual(['ZIP_UNSUPPORTED'])
    expect(report.problems[0]?.message).toContain('disk number 1')
    expect((await unzip(path)).extractExitCode).not.toBe(0)
  })

  it('refuses a ZIP64 archive whose end record puts the central directory on disk 1 (ZIP_UNSUPPORTED)', async () => {
    const { path, report } = await validateEntries([file({ zip64: true })], {
      zip64: true,
      eocd: { centralDirectoryDisk: 1 },
    })
    expect(codes(report)).toEqual(['ZIP_UNSUPPORTED'])
    expect(report.problems[0]?.message).toContain('central directory disk 1')
    expect((await unzip(path)).extractExitCode).not.toBe(0)
  })

  it('refuses every other disk field of the ZIP64 end record and locator but 0 of 1 disks (ZIP_UNSUPPORTED)', async () => {
    const variants: [string, RawZipOptions][] = [
      ['ZIP64 end record disk', { zip64Eocd: { disk: 1 } }],
      ['ZIP64 central directory disk', { zip64Eocd: { centralDirectoryDisk: 1 } }],
      ['locator disk', { zip64Locator: { disk: 1 } }],
      ['locator with no disks', { zip64Locator: { totalDisks: 0 } }],
      ['locator with two disks', { zip64Locator: { totalDisks: 2 } }],
    ]
    for (const [label, options] of variants) {
      const { report } = await validateEntries([file({ zip64: true })], {
        zip64: true,
        ...options,
      })
      expect(codes(report), label).toEqual(['ZIP_UNSUPPORTED'])
    }
    const deferred = await validateEntries([file({ zip64: true })], {
      zip64: true,
      eocd: { disk: 0xffff, centralDirectoryDisk: 0xffff, diskEntries: 0xffff },
    })
    expect(codes(deferred.report)).toEqual([])
  })

  it('refuses a disk start of 0xFFFF whose ZIP64 extra field has no disk number (ZIP_HEADER_MISMATCH)', async () => {
    const { path, report } = await validateEntries([
      file({ zip64: true, central: { diskStart: 0xffff } }),
    ])
    expect(codes(report)).toEqual(['ZIP_HEADER_MISMATCH'])
    expect(report.problems[0]?.message).toContain('starting disk number')
    const verdict = await unzip(path)
    expect(verdict.testExitCode).toBe(1)
    expect(verdict.testOutput).toContain('extra field (type: 0x0001) corrupt')
    const noExtra = await validateEntries([file({ central: { diskStart: 0xffff } })])
    expect(codes(noExtra.report)).toEqual(['ZIP_HEADER_MISMATCH'])
  })
})
