import { describe, expect, it } from 'vitest'
import { type PlannedEntry } from '../../plan/planned-entry.js'
import { METHOD_DEFLATE, METHOD_STORE } from '../zip-constants.js'
import { CentralDirectoryBuffer } from './central-directory-buffer.js'
import { createContentRecord, createDirectoryRecord } from './create-zip-entry-record.js'
import { type ZipLayoutItem } from './plan-zip-layout.js'
import { type ZipEntryRecord, encodeCentralDirectoryHeader } from './zip-records.js'

const when = { date: 0x5a21, time: 0x7c3e }

function file(zipPath: string, size: number, executable = false): PlannedEntry {
  return { zipPath, sourcePath: zipPath, kind: 'file', size, executable }
}

/** Copies every slice out: the slices share one buffer. */
function collect(directory: CentralDirectoryBuffer): Buffer[] {
  const copies: Buffer[] = []
  for (const slice of directory.slices()) copies.push(Buffer.from(slice))
  return copies
}

describe('CentralDirectoryBuffer', () => {
  it('encodes each added entry as the header of its record, in layout order', () => {
    const link: PlannedEntry = {
      zipPath: 'a/link',
      sourcePath: 'a/link',
      kind: 'symlink',
      size: 4,
      executable: false,
      linkTarget: 'file',
    }
    const layout: ZipLayoutItem[] = [
      { kind: 'directory', zipPath: 'a/' },
      file('a/deflated.txt', 5000),
      file('a/run.sh', 12, true),
      link,
      file('a/streamed.bin', 7_000_000_000),
    ]
    const records: ZipEntryRecord[] = [
      createDirectoryRecord('a/'),
      createContentRecord('a/deflated.txt', 'file', false, 5000, {
        method: METHOD_DEFLATE,
        dataDescriptor: false,
        zip64Local: false,
        crc32: 0xfedcba98,
        compressedSize: 321,
      }),
      createContentRecord('a/run.sh', 'file', true, 12, {
        method: METHOD_STORE,
        dataDescriptor: false,
        zip64Local: false,
        crc32: 0x01020304,
        compressedSize: 12,
      }),
      createContentRecord('a/link', 'symlink', false, 4, {
        method: METHOD_STORE,
        dataDescriptor: false,
        zip64Local: false,
        crc32: 0x11111111,
        compressedSize: 4,
      }),
      createContentRecord('a/streamed.bin', 'file', false, 7_000_000_000, {
        method: METHOD_DEFLATE,
        dataDescriptor: true,
        zip64Local: true,
        crc32: 0xffffffff,
        compressedSize: 5_000_000_000,
      }),
    ]
    let offset = 0
    for (const record of records) {
      record.localHeaderOffset = offset
      offset += 100_000 + record.compressedSize
    }
    const directory = new CentralDirectoryBuffer(layout, when)
    for (const record of records) directory.add(record)
    expect(directory.entryCount).toBe(5)

    const expected = Buffer.concat(
      records.map((record) => encodeCentralDirectoryHeader(record, when)),
    )
    const slices = collect(directory)
    expect(slices).toHaveLength(1)
    expect(Buffer.concat(slices).equals(expected)).toBe(true)
  })

  it('refuses more entries than the layout holds', () => {
    const directory = new CentralDirectoryBuffer([{ kind: 'directory', zipPath: 'a/' }], when)
    directory.add(createDirectoryRecord('a/'))
    expect(() => directory.add(createDirectoryRecord('b/'))).toThrow(
      'more central directory entries than planned',
    )
    expect(directory.entryCount).toBe(1)
  })

  it('yields nothing for an empty archive, and only the entries added so far', () => {
    const layout: ZipLayoutItem[] = [
      { kind: 'directory', zipPath: 'a/' },
      { kind: 'directory', zipPath: 'b/' },
    ]
    expect(collect(new CentralDirectoryBuffer([], when))).toEqual([])
    const directory = new CentralDirectoryBuffer(layout, when)
    expect(collect(directory)).toEqual([])
    directory.add(createDirectoryRecord('a/'))
    expect(Buffer.concat(collect(directory))).toEqual(
      encodeCentralDirectoryHeader(createDirectoryRecord('a/'), when),
    )
  })

  it('hands a directory larger than one slice out in full slices of 1 MiB and a last partial one', () => {
    // 300 headers of 46 + 4,000 bytes: 1,213,800 bytes, a header split across the slice edge.
    const layout: ZipLayoutItem[] = []
    const records: ZipEntryRecord[] = []
    for (let index = 0; index < 300; index++) {
      const name = `${String(index).padStart(4, '0')}${'x'.repeat(3996)}`
      layout.push(file(name, index))
      const record = createContentRecord(name, 'file', false, index, {
        method: METHOD_STORE,
        dataDescriptor: false,
        zip64Local: false,
        crc32: index * 7919,
        compressedSize: index,
      })
      record.localHeaderOffset = index * 4100
      records.push(record)
    }
    const directory = new CentralDirectoryBuffer(layout, when)
    for (const record of records) directory.add(record)
    const slices = collect(directory)
    expect(slices.map((slice) => slice.length)).toEqual([1024 * 1024, 300 * 4046 - 1024 * 1024])
    const expected = Buffer.concat(
      records.map((record) => encodeCentralDirectoryHeader(record, when)),
    )
    expect(Buffer.concat(slices).equals(expected)).toBe(true)
  })

  it('yields exactly one full slice when the headers fill it to the byte', () => {
    // 256 headers of 46 + 4,050 bytes: 1,048,576 bytes, one slice exactly.
    const layout: ZipLayoutItem[] = []
    const records: ZipEntryRecord[] = []
    for (let index = 0; index < 256; index++) {
      const name = `${String(index).padStart(4, '0')}${'y'.repeat(4046)}`
      layout.push(file(name, 1))
      records.push(
        createContentRecord(name, 'file', false, 1, {
          method: METHOD_STORE,
          dataDescriptor: false,
          zip64Local: false,
          crc32: index,
          compressedSize: 1,
        }),
      )
    }
    const directory = new CentralDirectoryBuffer(layout, when)
    for (const record of records) directory.add(record)
    const slices = collect(directory)
    expect(slices.map((slice) => slice.length)).toEqual([1024 * 1024])
    const expected = Buffer.concat(
      records.map((record) => encodeCentralDirectoryHeader(record, when)),
    )
    expect(Buffer.concat(slices).equals(expected)).toBe(true)
  })

  it('keeps the ZIP64 mark of a streamed entry whose sizes still fit 32 bits', () => {
    // Streamed entries from 0xF0000000 bytes carry ZIP64 sizes locally: version needed 4.5.
    const size = 0xf0000000
    const layout: ZipLayoutItem[] = [file('huge.bin', size)]
    const record = createContentRecord('huge.bin', 'file', false, size, {
      method: METHOD_DEFLATE,
      dataDescriptor: true,
      zip64Local: true,
      crc32: 0x5555aaaa,
      compressedSize: 1000,
    })
    const directory = new CentralDirectoryBuffer(layout, when)
    directory.add(record)
    const [header] = collect(directory)
    expect(header?.readUInt16LE(6)).toBe(45)
    expect(header?.equals(encodeCentralDirectoryHeader(record, when))).toBe(true)
  })
})
