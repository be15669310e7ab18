import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { deflateRawSync } from 'node:zlib'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { writeDeterministicZip } from '../src/zip/write/write-deterministic-zip.js'
import { createMemorySourceReader } from './helpers/memory-source-reader.js'
import { pythonInspectZip } from './helpers/inspect-zip.js'

const STORED = 0
const DEFLATED = 8

/** 20 bytes that raw deflate at level 6 turns into exactly 20 bytes. */
const SAVES_NOTHING = Buffer.from('e779e86b79766bf46468f46668f46668ecf46c6c', 'hex')
/** 20 bytes that raw deflate at level 6 turns into 19 bytes. */
const SAVES_ONE_BYTE = Buffer.from('71616c6561707679e66f796d6f6878e46878e468', 'hex')

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'packwright-zip-store-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('writeDeterministicZip store-or-deflate', () => {
  it('stores content that deflate does not make smaller, and deflates content it shrinks by one byte', async () => {
    expect(deflateRawSync(SAVES_NOTHING, { level: 6 })).toHaveLength(20)
    expect(deflateRawSync(SAVES_ONE_BYTE, { level: 6 })).toHaveLength(19)
    const files = { 'even.bin': SAVES_NOTHING, 'smaller.bin': SAVES_ONE_BYTE }
    const outFile = join(dir, 'out.zip')
    await writeDeterministicZip({
      entries: Object.entries(files).map(([path, content]) => ({
        zipPath: path,
        sourcePath: path,
        kind: 'file' as const,
        size: content.length,
        executable: false,
      })),
      reader: createMemorySourceReader(files),
      outFile,
      compressionLevel: 6,
    })
    const { bad, infos } = await pythonInspectZip(outFile)
    expect(bad).toBeNull()
    expect(
      infos.map(({ filename, compress_type, compress_size, file_size, data }) => ({
        filename,
        compress_type,
        compress_size,
        file_size,
        data: Buffer.from(data, 'base64').toString('hex'),
      })),
    ).toEqual([
      {
        filename: 'even.bin',
        compress_type: STORED,
        compress_size: 20,
        file_size: 20,
        data: SAVES_NOTHING.toString('hex'),
      },
      {
        filename: 'smaller.bin',
        compress_type: DEFLATED,
        compress_size: 19,
        file_size: 20,
        data: SAVES_ONE_BYTE.toString('hex'),
      },
    ])
  })
})
