import { describe, expect, it } from 'vitest'
import { METHOD_DEFLATE, METHOD_STORE } from '../zip-constants.js'
import { createContentRecord, createDirectoryRecord } from './create-zip-entry-record.js'

const fields = {
  method: METHOD_DEFLATE,
  dataDescriptor: true,
  zip64Local: false,
  crc32: 0x12345678,
  compressedSize: 99,
} as const

describe('createContentRecord', () => {
  it('gives files mode 0644, executables 0755 and symlinks 0777, with the file type bits', () => {
    const modes = [
      createContentRecord('f', 'file', false, 1, fields),
      createContentRecord('x', 'file', true, 1, fields),
      createContentRecord('l', 'symlink', false, 1, fields),
      // A symlink is a symlink whatever the executable flag says.
      createContentRecord('l', 'symlink', true, 1, fields),
    ].map((record) => (record.externalAttributes >>> 16).toString(8))
    expect(modes).toEqual(['100644', '100755', '120777', '120777'])
  })

  it('keeps the name as UTF-8, the size and the given fields, at offset 0', () => {
    const record = createContentRecord('dossier/é.txt', 'file', false, 1234, fields)
    expect(record).toEqual({
      name: Buffer.from('dossier/é.txt', 'utf8'),
      isDirectory: false,
      externalAttributes: 0o100644 * 0x10000,
      uncompressedSize: 1234,
      localHeaderOffset: 0,
      ...fields,
    })
  })
})

describe('createDirectoryRecord', () => {
  it('is a stored empty entry of mode 0755 with the MS-DOS directory bit', () => {
    expect(createDirectoryRecord('a/b/')).toEqual({
      name: Buffer.from('a/b/'),
      isDirectory: true,
      method: METHOD_STORE,
      dataDescriptor: false,
      zip64Local: false,
      externalAttributes: 0o040755 * 0x10000 + 0x10,
      crc32: 0,
      compressedSize: 0,
      uncompressedSize: 0,
      localHeaderOffset: 0,
    })
  })
})
