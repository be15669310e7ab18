import { getEventListeners, once } from 'node:events'
import { type Readable } from 'node:stream'
import { crc32, deflateRawSync } from 'node:zlib'

import { describe, expect, it } from 'vitest'

import {
  type RawZipEntry,
  buildRawZip,
  symlinkEntry,
  unixAttributes,
} from '../../../test/helpers/build-raw-zip.js'
import { useScratchZipFiles } from '../../../test/helpers/scratch-zip-files.js'
import { openZip } from './open-zip.js'
import { DEFAULT_ZIP_LIMITS, resolveZipLimits } from './zip-limits.js'

const scratch = useScratchZipFiles('packwright-open-zip-')

function writeZip(entries: RawZipEntry[]): Promise<string> {
  return scratch.write(buildRawZip(entries))
}

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of stream) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

describe('openZip', () => {
  it('lists entries with their layout and streams their contents', async () => {
    const big = Buffer.from(Array.from({ length: 3 * 1024 * 1024 }, (_, i) => (i * 7919) % 251))
    const path = await writeZip([
      { name: 'dir/' },
      {
        name: 'dir/big.bin',
        data: big,
        deflate: true,
        externalAttributes: unixAttributes(0o100755),
      },
      { name: 'dir/small.txt', data: 'small' },
      symlinkEntry('link', 'dir/small.txt'),
    ])
    const archive = await openZip(path)
    try {
      expect(
        archive.entries.map((entry) => [
          entry.index,
          entry.name,
          entry.kind,
          entry.mode.toString(8),
        ]),
      ).toEqual([
        [0, 'dir/', 'directory', '755'],
        [1, 'dir/big.bin', 'file', '755'],
        [2, 'dir/small.txt', 'file', '644'],
        [3, 'link', 'symlink', '777'],
      ])
      const [, bigEntry, smallEntry, linkEntry] = archive.entries
      expect(bigEntry).toMatchObject({
        method: 8,
        uncompressedSize: big.length,
        compressedSize: deflateRawSync(big).length,
        crc32: crc32(big),
        localHeaderOffset: 30 + 'dir/'.length,
        dataOffset: 30 + 'dir/'.length + 30 + 'dir/big.bin'.length,
        zip64: false,
        encrypted: false,
      })
      if (bigEntry === undefined || smallEntry === undefined || linkEntry === undefined) return
      expect((await collect(archive.openEntry(bigEntry))).equals(big)).toBe(true)
      expect((await collect(archive.openEntry(smallEntry))).toString()).toBe('small')
      expect((await collect(archive.openEntry(linkEntry))).toString()).toBe('dir/small.txt')
      // Entries can be read again, and concurrently.
      const both = await Promise.all([
        collect(archive.openEntry(smallEntry)),
        collect(archive.openEntry(bigEntry)),
      ])
      expect(both[0].toString()).toBe('small')
      expect(both[1].length).toBe(big.length)
    } finally {
      await archive.close()
    }
  })

  it('leaves name rules to validateZip', async () => {
    const archive = await openZip(await writeZip([{ name: '../outside', data: 'x' }]))
    expect(archive.entries[0]?.name).toBe('../outside')
    await archive.close()
  })

  it('throws the first layout problem with the count of the others', async () => {
    const path = await writeZip([
      { name: 'a', data: 'x', local: { crc32: 1 } },
      { name: 'b', data: 'y', local: { name: 'c' } },
    ])
    await expect(openZip(path)).rejects.toMatchObject({
      code: 'ZIP_HEADER_MISMATCH',
      message: expect.stringContaining('(and 1 more problem)') as unknown,
      details: { entry: 'a' },
    })
  })

  it('fails the stream with the code of a CRC or size lie', async () => {
    const path = await writeZip([
      { name: 'crc', data: 'content', deflate: true, crc32: 3 },
      { name: 'size', data: Buffer.alloc(100_000), deflate: true, uncompressedSize: 10 },
    ])
    const archive = await openZip(path)
    try {
      const [crcEntry, sizeEntry] = archive.entries
      if (crcEntry === undefined || sizeEntry === undefined) throw new Error('entries missing')
      await expect(collect(archive.openEntry(crcEntry))).rejects.toMatchObject({
        code: 'ZIP_ENTRY_CRC_MISMATCH',
      })
      await expect(collect(archive.openEntry(sizeEntry))).rejects.toMatchObject({
        code: 'ZIP_ENTRY_SIZE_MISMATCH',
      })
    } finally {
      await archive.close()
    }
  })

  it('stops a stream when its signal aborts, and lets a consumer stop early', async () => {
    const data = Buffer.from(Array.from({ length: 4 * 1024 * 1024 }, (_, i) => (i * 31) % 256))
    const archive = await openZip(await writeZip([{ name: 'big', data, deflate: true }]))
    try {
      const [entry] = archive.entries
      if (entry === undefined) throw new Error('entry missing')
      const controller = new AbortController()
      const stream = archive.openEntry(entry, { signal: controller.signal })
      let received = 0
      const reading = (async () => {
        for await (const chunk of stream) {
          received += (chunk as Buffer).length
          controller.abort()
        }
      })()
      await expect(reading).rejects.toMatchObject({ code: 'ABORTED' })
      expect(received).toBeLessThan(data.length)
      await expect(
        collect(archive.openEntry(entry, { signal: AbortSignal.abort() })),
      ).rejects.toMatchObject({
        code: 'ABORTED',
      })

      for await (const chunk of archive.openEntry(entry)) {
        expect((chunk as Buffer).length).toBeGreaterThan(0)
        break
      }
      expect((await collect(archive.openEntry(entry))).equals(data)).toBe(true)
    } finally {
      await archive.close()
    }
  })

  it('refuses entries of another archive and reads after close', async () => {
    const first = await openZip(await writeZip([{ name: 'a', data: 'x' }]))
    const second = await openZip(await writeZip([{ name: 'a', data: 'x' }]))
    const [entry] = second.entries
    if (entry === undefined) throw new Error('entry missing')
    expect(() => first.openEntry(entry)).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }) as Error,
    )
    await second.close()
    await expect(collect(second.openEntry(entry))).rejects.toMatchObject({
      code: 'ZIP_READ_FAILED',
    })
    await first.close()
    await first.close()
  })

  it('refuses unsupported entries only when they are read', async () => {
    const archive = await openZip(await writeZip([{ name: 'bz', data: 'x', method: 12 }]))
    try {
      const [entry] = archive.entries
      if (entry === undefined) throw new Error('entry missing')
      await expect(collect(archive.openEntry(entry))).rejects.toMatchObject({
        code: 'ZIP_UNSUPPORTED',
      })
    } finally {
      await archive.close()
    }
  })
})

describe('openZip entry streams', () => {
  it('names the entry and the zip when an entry of another archive is given', async () => {
    const firstPath = await writeZip([{ name: 'a', data: 'x' }])
    const first = await openZip(firstPath)
    const second = await openZip(await writeZip([{ name: 'a', data: 'x' }]))
    try {
      const [entry] = second.entries
      if (entry === undefined) throw new Error('entry missing')
      expect(() => first.openEntry(entry)).toThrow(
        `Entry "a" does not belong to the zip ${JSON.stringify(firstPath)}.`,
      )
    } finally {
      await first.close()
      await second.close()
    }
  })

  it('streams bytes, not objects', async () => {
    const archive = await openZip(await writeZip([{ name: 'a', data: 'abcdef' }]))
    try {
      const [entry] = archive.entries
      if (entry === undefined) throw new Error('entry missing')
      const stream = archive.openEntry(entry)
      expect(stream.readableObjectMode).toBe(false)
      expect((await collect(stream)).toString()).toBe('abcdef')
    } finally {
      await archive.close()
    }
  })

  it('destroys the stream at once when the signal has already fired', async () => {
    const archive = await openZip(await writeZip([{ name: 'a', data: 'x' }]))
    try {
      const [entry] = archive.entries
      if (entry === undefined) throw new Error('entry missing')
      const stream = archive.openEntry(entry, { signal: AbortSignal.abort() })
      expect(stream.destroyed).toBe(true)
      await expect(collect(stream)).rejects.toMatchObject({ code: 'ABORTED' })
    } finally {
      await archive.close()
    }
  })

  it('leaves no listener on the signal once a stream has ended or the signal has fired', async () => {
    const archive = await openZip(await writeZip([{ name: 'a', data: 'abc' }]))
    try {
      const [entry] = archive.entries
      if (entry === undefined) throw new Error('entry missing')
      const longLived = new AbortController()
      const stream = archive.openEntry(entry, { signal: longLived.signal })
      expect(getEventListeners(longLived.signal, 'abort')).toHaveLength(1)
      const closed = once(stream, 'close')
      expect((await collect(stream)).toString()).toBe('abc')
      await closed
      expect(getEventListeners(longLived.signal, 'abort')).toHaveLength(0)

      const fired = new AbortController()
      const aborted = archive.openEntry(entry, { signal: fired.signal })
      fired.abort()
      expect(getEventListeners(fired.signal, 'abort')).toHaveLength(0)
      await expect(collect(aborted)).rejects.toMatchObject({ code: 'ABORTED' })
    } finally {
      await archive.close()
    }
  })
})

describe('resolveZipLimits', () => {
  it('fills defaults and rejects invalid values', () => {
    expect(resolveZipLimits()).toEqual(DEFAULT_ZIP_LIMITS)
    expect(resolveZipLimits({ maxEntries: 5, maxCompressionRatio: 12.5 })).toMatchObject({
      maxEntries: 5,
      maxCompressionRatio: 12.5,
      maxTotalUncompressedBytes: 1024 ** 3,
    })
    expect(() => resolveZipLimits({ maxEntries: 0 })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }) as Error,
    )
    expect(() => resolveZipLimits({ maxTotalUncompressedBytes: 1.5 })).toThrow(
      /maxTotalUncompressedBytes/,
    )
    expect(() => resolveZipLimits({ maxCompressionRatio: Number.NaN })).toThrow(
      /maxCompressionRatio/,
    )
  })
})
