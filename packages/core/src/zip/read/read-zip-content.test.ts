import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { chmod, mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { crc32 } from 'node:zlib'

import { afterEach, beforeEach, describe, expect, it } from 'vitest'

import {
  type RawZipEntry,
  buildRawZip,
  symlinkEntry,
  unixAttributes,
} from '../../../test/helpers/build-raw-zip.js'
import { rejection } from '../../../test/helpers/rejection.js'
import { ContentManifest, computeContentDigest } from '../../manifest/content-manifest.js'
import { generatePackage } from '../../package/generate-package.js'
import { readZipContent } from './read-zip-content.js'
import { validateZip } from './validate-zip.js'

function hasInfoZip(): boolean {
  try {
    execFileSync('zip', ['-v'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

let root: string
let tree: string
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'packwright-zip-content-'))
  tree = join(root, 'tree')
  await mkdir(join(tree, 'bin'), { recursive: true })
  await mkdir(join(tree, 'data/deep'), { recursive: true })
  await writeFile(join(tree, 'README.md'), 'hello\n'.repeat(200))
  await writeFile(join(tree, 'bin/run.sh'), '#!/bin/sh\necho run\n')
  await writeFile(join(tree, 'data/deep/a b%.csv'), 'x,y\n1,2\n'.repeat(1000))
  await writeFile(join(tree, 'data/empty.txt'), '')
  await symlink('../bin/run.sh', join(tree, 'data/run'))
  for (const file of ['README.md', 'data/deep/a b%.csv', 'data/empty.txt'])
    await chmod(join(tree, file), 0o644)
  await chmod(join(tree, 'bin/run.sh'), 0o755)
})
afterEach(async () => {
  await rm(root, { recursive: true, force: true })
})

const generate = (name: string, compressionLevel: number) =>
  generatePackage({ source: tree, outFile: join(root, name), compressionLevel })

describe('readZipContent', () => {
  it('agrees with the digest of what the writer returned, whatever the compression level', async () => {
    const deflated = await generate('level6.zip', 6)
    const stored = await generate('level0.zip', 0)
    expect(stored.sha256).not.toBe(deflated.sha256)
    const written = computeContentDigest(deflated.entries)
    expect(computeContentDigest(stored.entries)).toBe(written)
    expect((await readZipContent(deflated.path)).digest()).toBe(written)
    expect((await readZipContent(stored.path)).digest()).toBe(written)
    const read = [...(await readZipContent(deflated.path)).entries()]
    expect(read.map(({ path, kind, mode }) => [path, kind, mode])).toEqual([
      ['README.md', 'file', '644'],
      ['bin/run.sh', 'file', '755'],
      ['data/deep/a b%.csv', 'file', '644'],
      ['data/empty.txt', 'file', '644'],
      ['data/run', 'symlink', '777'],
    ])
    expect(read[4]?.linkTarget).toBe('../bin/run.sh')
  })

  it('agrees with the entries validateZip reports', async () => {
    const written = await generate('package.zip', 9)
    const report = await validateZip(written.path)
    expect(report.valid).toBe(true)
    expect(ContentManifest.from(report.entries).digest()).toBe(
      computeContentDigest(written.entries),
    )
  })

  it.skipIf(!hasInfoZip())(
    'gives an Info-ZIP zip -r of the same files the same digest, with or without folder entries',
    async () => {
      const written = await generate('package.zip', 6)
      const expected = computeContentDigest(written.entries)
      for (const [name, flags] of [
        ['info-zip.zip', ['-r', '-9', '-y', '-X']],
        ['info-zip-no-folders.zip', ['-r', '-0', '-y', '-X', '-D']],
      ] as const) {
        execFileSync('zip', ['-q', ...flags, join(root, name), '.'], { cwd: tree })
        const read = await readZipContent(join(root, name))
        expect(read.digest(), name).toBe(expected)
      }
      // A mode that differs is a different content.
      await chmod(join(tree, 'README.md'), 0o600)
      execFileSync('zip', ['-q', '-r', '-y', '-X', join(root, 'other-mode.zip'), '.'], {
        cwd: tree,
      })
      expect((await readZipContent(join(root, 'other-mode.zip'))).digest()).not.toBe(expected)
    },
  )
})

describe('readZipContent on raw zips', () => {
  const contentOf = async (
    entries: RawZipEntry[],
    limits: { ratioCheckMinBytes?: number } = {},
  ): Promise<ContentManifest> => {
    const path = join(root, 'raw.zip')
    await writeFile(path, buildRawZip(entries))
    return readZipContent(path, { limits })
  }
  const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex')

  it.each([
    ['read in one piece', {}],
    ['streamed', { ratioCheckMinBytes: 1 }],
  ])('records sizes, digests and symlink targets, %s', async (_, limits) => {
    const text = 'some text\n'.repeat(50)
    const manifest = await contentOf(
      [
        { name: 'a.txt', data: text, deflate: true },
        { name: 'b.bin', data: 'stored bytes' },
        symlinkEntry('link', 'a.txt', { deflate: true }),
      ],
      limits,
    )
    expect([...manifest.entries()]).toEqual([
      { path: 'a.txt', kind: 'file', mode: '644', size: text.length, sha256: sha256(text) },
      { path: 'b.bin', kind: 'file', mode: '644', size: 12, sha256: sha256('stored bytes') },
      {
        path: 'link',
        kind: 'symlink',
        mode: '777',
        size: 5,
        sha256: sha256('a.txt'),
        linkTarget: 'a.txt',
      },
    ])
  })

  it.each([
    ['read in one piece', {}],
    ['streamed', { ratioCheckMinBytes: 1 }],
  ])('refuses a symlink target over 4096 bytes, %s', async (_, limits) => {
    const fits = await contentOf([symlinkEntry('fits', 'x'.repeat(4096))], limits)
    expect([...fits.entries()][0]?.linkTarget).toBe('x'.repeat(4096))
    const error = await rejection(contentOf([symlinkEntry('long', 'x'.repeat(4097))], limits))
    expect(error.code).toBe('ZIP_UNSUPPORTED')
    expect(error.message).toBe(
      'Symlink "long" declares a 4097-byte target; at most 4096 bytes are supported.',
    )
    expect(error.details).toEqual({ entry: 'long' })
  })

  it('leaves folder entries unread', async () => {
    const manifest = await contentOf([
      { name: 'd/', data: 'x', crc32: crc32('y'), externalAttributes: unixAttributes(0o40755) },
      { name: 'd/f', data: 'f' },
    ])
    expect([...manifest.entries()].map((entry) => entry.path)).toEqual(['d/f'])
  })

  it('reads entries in file order, whatever the central directory order', async () => {
    const localOfB = buildRawZip([{ name: 'b', data: 'yy', crc32: 1 }]).subarray(0, 30 + 1 + 2)
    const error = await rejection(
      contentOf([
        { name: 'a', data: 'x', crc32: 1, before: localOfB },
        {
          name: 'b',
          data: 'yy',
          crc32: 1,
          local: { omit: true },
          central: { localHeaderOffset: 0 },
        },
      ]),
    )
    expect(error.code).toBe('ZIP_ENTRY_CRC_MISMATCH')
    expect(error.message).toContain('"b"')
  })

  it.skipIf(process.platform !== 'linux')(
    'closes the zip file, whether it reads or refuses it',
    async () => {
      const openFiles = async (): Promise<number> => (await readdir('/proc/self/fd')).length
      const before = await openFiles()
      await contentOf([{ name: 'a', data: 'x' }])
      expect(await openFiles()).toBe(before)
      await rejection(contentOf([{ name: 'a', data: 'x', crc32: 1 }]))
      expect(await openFiles()).toBe(before)
    },
  )
})
