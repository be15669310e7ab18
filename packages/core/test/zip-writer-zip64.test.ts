import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type PlannedEntry } from '../src/plan/planned-entry.js'
import { writeDeterministicZip } from '../src/zip/write/write-deterministic-zip.js'
import { createMemorySourceReader } from './helpers/memory-source-reader.js'
import { unzipTest } from './helpers/inspect-zip.js'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'

const FILES = 70_000
const FOLDERS = 50

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'packwright-zip64-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('writeDeterministicZip ZIP64', () => {
  it('writes the ZIP64 end records for more than 65,535 entries, readable by unzip and Python', async () => {
    const files: Record<string, string> = {}
    const entries: PlannedEntry[] = []
    for (let i = 0; i < FILES; i++) {
      const path = `d${String(i % FOLDERS).padStart(2, '0')}/f${String(i).padStart(5, '0')}`
      files[path] = String(i)
      entries.push({
        zipPath: path,
        sourcePath: path,
        kind: 'file',
        size: String(i).length,
        executable: false,
      })
    }
    const outFile = join(dir, 'many.zip')
    const written = await writeDeterministicZip({
      entries,
      reader: createMemorySourceReader(files),
      outFile,
    })
    expect(written.fileCount).toBe(FILES)

    const bytes = await readFile(outFile)
    const end = bytes.subarray(bytes.length - 22)
    expect(end.readUInt16LE(10)).toBe(0xffff)
    const locator = bytes.subarray(bytes.length - 42, bytes.length - 22)
    expect(locator.readUInt32LE(0)).toBe(0x07064b50)
    const record = bytes.subarray(Number(locator.readBigUInt64LE(8)))
    expect(record.readUInt32LE(0)).toBe(0x06064b50)
    expect(record.readBigUInt64LE(32)).toBe(BigInt(FILES + FOLDERS))

    expect(await unzipTest(outFile)).toContain('No errors detected')
    const { stdout } = await promisify(execFile)('python3', [
      '-c',
      'import sys, zipfile\nz = zipfile.ZipFile(sys.argv[1])\nprint(z.testzip(), len(z.infolist()), z.read("d07/f12307").decode())',
      outFile,
    ])
    expect(stdout.trim()).toBe(`None ${FILES + FOLDERS} 12307`)
  }, 120_000)
})
