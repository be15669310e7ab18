import { crc32 } from 'node:zlib'

import { describe, expect, it } from 'vitest'

import { EmbeddedDataDescriptorFinder } from './find-embedded-data-descriptor.js'

/** A signed data descriptor for `data`, with 4-byte sizes. */
function descriptorFor(data: Buffer): Buffer {
  const bytes = Buffer.alloc(16)
  bytes.writeUInt32LE(0x08074b50, 0)
  bytes.writeUInt32LE(crc32(data), 4)
  bytes.writeUInt32LE(data.length, 8)
  bytes.writeUInt32LE(data.length, 12)
  return bytes
}

function find(chunks: Buffer[]): number | undefined {
  const finder = new EmbeddedDataDescriptorFinder()
  for (const chunk of chunks) finder.push(chunk)
  return finder.found
}

describe('EmbeddedDataDescriptorFinder', () => {
  const prefix = Buffer.from('stored bytes before the fake end')
  const data = Buffer.concat([prefix, descriptorFor(prefix), Buffer.from('PK\x03\x04 and more')])

  it('finds a descriptor matching the data before it, however the data is split', () => {
    expect(find([data])).toBe(prefix.length)
    for (let cut = 0; cut <= data.length; cut++)
      expect(find([data.subarray(0, cut), data.subarray(cut)])).toBe(prefix.length)
    expect(find([...data].map((byte) => Buffer.from([byte])))).toBe(prefix.length)
  })

  it('finds one at the very start (an empty first entry)', () => {
    expect(find([Buffer.concat([descriptorFor(Buffer.alloc(0)), prefix])])).toBe(0)
  })

  it('ignores signatures whose size is not their offset, and plain data', () => {
    const other = Buffer.concat([prefix, descriptorFor(Buffer.from('x')), prefix])
    expect(find([other])).toBeUndefined()
    expect(find([Buffer.alloc(3 * 1024 * 1024, 'PK')])).toBeUndefined()
  })
})
