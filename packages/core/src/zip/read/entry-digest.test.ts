import { createHash } from 'node:crypto'

import { describe, expect, it } from 'vitest'

import { PackwrightError } from '../../errors.js'
import { FLAG_DATA_DESCRIPTOR, METHOD_DEFLATE, METHOD_STORE } from '../zip-constants.js'
import { EntryDigest, type EntryResult, digestEntryBytes } from './entry-digest.js'
import { type ZipEntryInfo } from './zip-entry-info.js'

/** An entry whose data starts at offset 1000; only the fields digesting looks at matter. */
function entryInfo(fields: Partial<ZipEntryInfo>): ZipEntryInfo {
  return {
    index: 0,
    name: 'entry',
    kind: 'file',
    method: METHOD_STORE,
    flags: 0,
    versionMadeBy: 0x0314,
    externalAttributes: 0,
    compressedSize: 64,
    uncompressedSize: 64,
    crc32: 0,
    mode: 0o644,
    localHeaderOffset: 960,
    dataOffset: 1000,
    endOffset: 1080,
    zip64: false,
    encrypted: false,
    ...fields,
  }
}

/** 20 bytes, then a data descriptor signature whose compressed size is 20: the offset it sits at. */
const HIDING_A_DESCRIPTOR = (() => {
  const bytes = Buffer.alloc(64, 'a')
  bytes.writeUInt32LE(0x08074b50, 20)
  bytes.writeUInt32LE(0, 24)
  bytes.writeUInt32LE(20, 28)
  bytes.writeUInt32LE(20, 32)
  return bytes
})()

const sha = (algorithm: string, data: Buffer): string =>
  createHash(algorithm).update(data).digest('hex')

function digestInChunks(entry: ZipEntryInfo, chunks: readonly Buffer[]): EntryResult {
  const digest = new EntryDigest(entry)
  for (const chunk of chunks) digest.update(chunk)
  return digest.finish()
}

function thrown(digest: () => unknown): PackwrightError {
  try {
    digest()
  } catch (error) {
    if (error instanceof PackwrightError) return error
    throw error
  }
  throw new Error('expected an error')
}

const bothWays: [string, (entry: ZipEntryInfo, data: Buffer) => EntryResult][] = [
  ['in chunks', (entry, data) => digestInChunks(entry, [data.subarray(0, 7), data.subarray(7)])],
  ['in one piece', digestEntryBytes],
]

describe.each(bothWays)('digesting an entry %s', (_, digest) => {
  it('refuses stored data with a data descriptor that hides one matching the bytes before it', () => {
    const entry = entryInfo({ name: 'hide', flags: FLAG_DATA_DESCRIPTOR })
    const error = thrown(() => digest(entry, HIDING_A_DESCRIPTOR))
    expect(error.code).toBe('ZIP_UNACCOUNTED_BYTES')
    expect(error.message).toBe(
      'Stored entry "hide" holds a data descriptor at offset 1020 that matches the data before it: streaming readers end the entry there and read bytes 1020..1064 as further entries the central directory does not list; expected no such descriptor inside the data.',
    )
    expect(error.details).toEqual({ entry: 'hide' })
  })

  it('accepts the same bytes without a data descriptor, or deflated with one', () => {
    for (const entry of [
      entryInfo({ flags: 0 }),
      entryInfo({ method: METHOD_DEFLATE, flags: FLAG_DATA_DESCRIPTOR, compressedSize: 30 }),
    ]) {
      expect(digest(entry, HIDING_A_DESCRIPTOR)).toEqual({
        size: 64,
        sha1: sha('sha1', HIDING_A_DESCRIPTOR),
        sha256: sha('sha256', HIDING_A_DESCRIPTOR),
      })
    }
  })

  it("gives a symlink's whole target", () => {
    const target = Buffer.from('../some/where/else')
    expect(digest(entryInfo({ kind: 'symlink' }), target)).toEqual({
      size: target.length,
      sha1: sha('sha1', target),
      sha256: sha('sha256', target),
      linkTarget: '../some/where/else',
    })
  })
})

describe('EntryDigest', () => {
  it('gives a symlink fed no bytes an empty target, and one fed a single chunk that chunk', () => {
    expect(digestInChunks(entryInfo({ kind: 'symlink' }), [])).toEqual({
      size: 0,
      sha1: sha('sha1', Buffer.alloc(0)),
      sha256: sha('sha256', Buffer.alloc(0)),
      linkTarget: '',
    })
    expect(digestInChunks(entryInfo({ kind: 'symlink' }), [Buffer.from('t')]).linkTarget).toBe('t')
  })
})
