import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { rejection } from '../../test/helpers/rejection.js'
import type { PackageProgress } from './generate-package-options.js'
import { generatePackage } from './generate-package.js'

const POD =
  'version: v1\nkind: Spicepod\nname: pod\ndatasets:\n  - from: file:data.csv\n    name: d\n'

let root: string
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'packwright-generate-'))
  await mkdir(join(root, 'pod'), { recursive: true })
  await writeFile(join(root, 'pod/spicepod.yaml'), POD)
  await writeFile(join(root, 'pod/data.csv'), 'a,b\n1,2\n')
  await writeFile(join(root, 'pod/unlinked.txt'), 'left out of the spicepod package\n')
})
afterEach(async () => {
  await rm(root, { recursive: true, force: true })
})

const paths = (entries: readonly { path: string }[]) => entries.map((entry) => entry.path)

describe('generatePackage', () => {
  it('packages a yaml file as a spicepod and a folder as a directory (mode auto)', async () => {
    const pod = await generatePackage({
      source: join(root, 'pod/spicepod.yaml'),
      outFile: join(root, 'a.zip'),
    })
    expect(pod.mode).toBe('spicepod')
    expect(paths(pod.entries.toArray())).toEqual(['data.csv', 'spicepod.yaml'])
    const folder = await generatePackage({
      source: join(root, 'pod'),
      outFile: join(root, 'b.zip'),
    })
    expect(folder.mode).toBe('directory')
    expect(paths(folder.entries.toArray())).toEqual(['data.csv', 'spicepod.yaml', 'unlinked.txt'])
    expect(folder.sourceDescription).toContain(join(root, 'pod'))
  })

  it('refuses a plain file as the source, saying it is not a spicepod manifest', async () => {
    const failure = await rejection(
      generatePackage({
        source: join(root, 'pod/unlinked.txt'),
        outFile: join(root, 'notes.zip'),
        allowEmpty: true,
      }),
    )
    expect(failure.code).toBe('SPICEPOD_PARSE_FAILED')
    expect(failure.message).toMatch(
      /unlinked\.txt" in .* is a file, not a folder or a spicepod manifest/,
    )
    await expect(stat(join(root, 'notes.zip'))).rejects.toThrow()
  })

  it('finds spicepod.yaml in a folder when asked for a spicepod', async () => {
    const pod = await generatePackage({
      source: join(root, 'pod'),
      mode: 'spicepod',
      outFile: join(root, 'c.zip'),
    })
    expect(paths(pod.entries.toArray())).toEqual(['data.csv', 'spicepod.yaml'])
  })

  it('says so when a folder holds no spicepod manifest', async () => {
    await mkdir(join(root, 'empty'))
    const failure = await rejection(
      generatePackage({
        source: join(root, 'empty'),
        mode: 'spicepod',
        outFile: join(root, 'd.zip'),
      }),
    )
    expect(failure.code).toBe('SPICEPOD_READ_FAILED')
    expect(failure.message).toMatch(/^No spicepod manifest in local folder .*empty\.$/)
  })

  it('refuses directory-only options for a spicepod instead of ignoring them', async () => {
    const failure = await rejection(
      generatePackage({
        source: join(root, 'pod/spicepod.yaml'),
        include: ['*.csv'],
        outFile: join(root, 'e.zip'),
      }),
    )
    expect(failure.code).toBe('INVALID_ARGUMENT')
    expect(failure.message).toContain('include only apply to directory packages')
  })

  it('reports progress: the listing, then the writing up to every byte', async () => {
    const seen: PackageProgress[] = []
    const result = await generatePackage({
      source: join(root, 'pod'),
      outFile: join(root, 'f.zip'),
      onProgress: (progress) => seen.push(progress),
    })
    expect(seen[0]).toMatchObject({ phase: 'listing', filesDone: 0, filesTotal: 3 })
    const last = seen[seen.length - 1]
    const bytes = result.entries.toArray().reduce((sum, entry) => sum + entry.size, 0)
    expect(last).toMatchObject({ phase: 'writing', filesDone: 3, filesTotal: 3, bytesDone: bytes })
  })

  it('refuses a spicepod package past the limits before writing anything', async () => {
    const outFile = join(root, 'limits.zip')
    const failure = await rejection(
      generatePackage({
        source: join(root, 'pod/spicepod.yaml'),
        outFile,
        limits: { maxTotalUncompressedBytes: 64 },
      }),
    )
    expect(failure.code).toBe('PACKAGE_LIMIT_EXCEEDED')
    expect(failure.message).toContain('planning the spicepod package')
    expect(failure.details).toMatchObject({ limit: 'maxTotalUncompressedBytes', max: 64 })
    await expect(stat(outFile)).rejects.toThrow()
  })

  it('refuses an entry that compresses past the ratio readers accept, leaving the old zip in place', async () => {
    await writeFile(join(root, 'pod/zeros.bin'), Buffer.alloc(256 * 1024))
    const outFile = join(root, 'ratio.zip')
    await writeFile(outFile, 'previous package')
    const limits = { ratioCheckMinBytes: 128 * 1024, maxCompressionRatio: 50 }
    const failure = await rejection(generatePackage({ source: join(root, 'pod'), outFile, limits }))
    expect(failure.code).toBe('PACKAGE_LIMIT_EXCEEDED')
    expect(failure.message).toMatch(
      /^Package entry "zeros\.bin" compresses 262144 bytes into \d+ \(ratio /,
    )
    expect(failure.message).toContain(
      'more than the 50 zip readers accept for entries of 131072 bytes',
    )
    expect(failure.hint).toContain('--compression-level 0')
    expect(failure.details).toMatchObject({
      limit: 'maxCompressionRatio',
      max: 50,
      path: 'zeros.bin',
    })
    expect(await readFile(outFile, 'utf8')).toBe('previous package')
    expect((await readdir(root)).filter((name) => name.endsWith('.partial'))).toEqual([])
    // Just under the limit is written: entries below ratioCheckMinBytes are never judged.
    await generatePackage({
      source: join(root, 'pod'),
      outFile,
      limits: { ratioCheckMinBytes: 256 * 1024 + 1, maxCompressionRatio: 50 },
    })
    const stored = await generatePackage({
      source: join(root, 'pod'),
      outFile,
      limits,
      compressionLevel: 0,
    })
    expect(paths(stored.entries.toArray())).toContain('zeros.bin')
  })

  it('stamps the given time and returns the digest of what it wrote', async () => {
    const a = await generatePackage({
      source: join(root, 'pod'),
      outFile: join(root, 'g.zip'),
      sourceDateEpoch: 1_000_000_000,
    })
    const b = await generatePackage({
      source: join(root, 'pod'),
      outFile: join(root, 'h.zip'),
      sourceDateEpoch: 1_500_000_000,
    })
    expect(a.sourceDateEpoch).toBe(1_000_000_000)
    expect(a.sha256).not.toBe(b.sha256)
    expect(a.entries).toEqual(b.entries)
  })
})
