import { createCipheriv, createHash } from 'node:crypto'
import { lstat, mkdir, mkdtemp, readFile, readdir, readlink, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { runZipWriter } from '../src/zip/write/run-zip-writer.js'
import { AUTO_ZIP_WRITER_TUNING } from '../src/zip/write/zip-writer-tuning.js'
import {
  type WriteZipProgress,
  writeDeterministicZip,
} from '../src/zip/write/write-deterministic-zip.js'
import {
  type MemoryFile,
  createMemorySourceReader,
  planMemoryFiles,
} from './helpers/memory-source-reader.js'
import { pythonInspectZip, pythonReadAll, unzipExtract, unzipTest } from './helpers/inspect-zip.js'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'packwright-zip-format-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

function seededBytes(seed: number, size: number): Buffer {
  const key = Buffer.alloc(16)
  key.writeUInt32LE(seed)
  return createCipheriv('aes-128-ctr', key, Buffer.alloc(16)).update(Buffer.alloc(size))
}

const text = (seed: number, lines: number) =>
  Array.from(
    { length: lines },
    (_, i) => `line ${i} of file ${seed}: ${'lorem ipsum '.repeat(i % 7)}`,
  ).join('\n')

const FIXTURE: Record<string, MemoryFile> = {
  'README.md': text(1, 40),
  'src/index.ts': text(2, 200),
  'src/lib/util.ts': text(3, 90),
  'bin/run.sh': { content: '#!/bin/sh\necho run\n', executable: true },
  'assets/logo.png': seededBytes(7, 3000),
  'data/random.bin': seededBytes(8, 5000),
  'empty.txt': '',
  'tiny.txt': 'x',
  'link-to-readme': { symlink: 'README.md' },
  'docs/ünïcode-名前.txt': text(4, 10),
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex')

describe('writeDeterministicZip output', () => {
  it('passes unzip -t and Python testzip, and extracts to the exact source bytes', async () => {
    const outFile = join(dir, 'out.zip')
    await writeDeterministicZip({
      entries: planMemoryFiles(FIXTURE),
      reader: createMemorySourceReader(FIXTURE),
      outFile,
    })
    expect(await unzipTest(outFile)).toContain('No errors detected')
    const inspected = await pythonInspectZip(outFile)
    expect(inspected.bad).toBeNull()

    const extracted = join(dir, 'x')
    await mkdir(extracted)
    await unzipExtract(outFile, extracted)
    for (const [path, file] of Object.entries(FIXTURE)) {
      const full = join(extracted, path)
      if (typeof file === 'object' && 'symlink' in file) {
        expect((await lstat(full)).isSymbolicLink()).toBe(true)
        expect(await readlink(full)).toBe(file.symlink)
        continue
      }
      const content = typeof file === 'string' || file instanceof Uint8Array ? file : file.content
      expect((await readFile(full)).equals(Buffer.from(content)), path).toBe(true)
    }
    expect((await lstat(join(extracted, 'bin/run.sh'))).mode & 0o777).toBe(0o755)
    expect((await lstat(join(extracted, 'README.md'))).mode & 0o777).toBe(0o644)
  })

  it('writes sorted entries with folder entries, one UTC timestamp, Unix modes and nothing extra', async () => {
    const outFile = join(dir, 'out.zip')
    // 2021-06-15T08:30:42Z
    await writeDeterministicZip({
      entries: planMemoryFiles(FIXTURE),
      reader: createMemorySourceReader(FIXTURE),
      outFile,
      sourceDateEpoch: 1_623_745_842,
    })
    const { infos, comment } = await pythonInspectZip(outFile)
    expect(comment).toBe('')
    expect(infos.map((info) => info.filename)).toEqual([
      'README.md',
      'assets/',
      'assets/logo.png',
      'bin/',
      'bin/run.sh',
      'data/',
      'data/random.bin',
      'docs/',
      'docs/ünïcode-名前.txt',
      'empty.txt',
      'link-to-readme',
      'src/',
      'src/index.ts',
      'src/lib/',
      'src/lib/util.ts',
      'tiny.txt',
    ])
    const byName = new Map(infos.map((info) => [info.filename, info]))
    for (const info of infos) {
      expect(info.date_time).toEqual([2021, 6, 15, 8, 30, 42])
      expect(info.extra).toBe('')
      expect(info.comment).toBe('')
      expect(info.create_system).toBe(3)
      expect(info.flag_bits & 0x0800, info.filename).toBe(
        info.filename.startsWith('docs/ü') ? 0x0800 : 0,
      )
    }
    const mode = (name: string) => (byName.get(name)?.external_attr ?? 0) >>> 16
    expect(mode('README.md')).toBe(0o100644)
    expect(mode('bin/run.sh')).toBe(0o100755)
    expect(mode('link-to-readme')).toBe(0o120777)
    expect(mode('src/lib/')).toBe(0o040755)
    expect((byName.get('src/lib/')?.external_attr ?? 0) & 0x10).toBe(0x10)
    // Compression is decided by content and type.
    const method = (name: string) => byName.get(name)?.compress_type
    expect(method('src/index.ts')).toBe(8)
    expect(method('assets/logo.png')).toBe(0)
    expect(method('data/random.bin')).toBe(0)
    expect(method('empty.txt')).toBe(0)
    expect(method('tiny.txt')).toBe(0)
    expect(method('link-to-readme')).toBe(0)
    expect(method('src/')).toBe(0)
  })

  it('returns the manifest, sizes and the sha256 of the bytes on disk', async () => {
    const outFile = join(dir, 'nested', 'out.zip')
    const progress: WriteZipProgress[] = []
    const written = await writeDeterministicZip({
      entries: planMemoryFiles(FIXTURE),
      reader: createMemorySourceReader(FIXTURE, { sourceDateEpoch: 1_700_000_000 }),
      outFile,
      onProgress: (update) => progress.push(update),
    })
    const bytes = await readFile(outFile)
    expect(written.path).toBe(outFile)
    expect(written.size).toBe(bytes.length)
    expect(written.sha256).toBe(sha256(bytes))
    expect(written.fileCount).toBe(Object.keys(FIXTURE).length)
    expect(written.sourceDateEpoch).toBe(1_700_000_000)
    const paths = written.entries.toArray().map((entry) => entry.path)
    expect(paths).toEqual([...paths].sort())
    const run = written.entries.toArray().find((entry) => entry.path === 'bin/run.sh')
    expect(run).toEqual({
      path: 'bin/run.sh',
      kind: 'file',
      size: 19,
      mode: '755',
      sha1: createHash('sha1').update('#!/bin/sh\necho run\n').digest('hex'),
      sha256: sha256(Buffer.from('#!/bin/sh\necho run\n')),
    })
    const link = written.entries.toArray().find((entry) => entry.path === 'link-to-readme')
    expect(link?.mode).toBe('777')
    expect(link?.sha256).toBe(sha256(Buffer.from('README.md')))
    expect(progress.at(-1)).toEqual({
      filesDone: written.fileCount,
      filesTotal: written.fileCount,
      bytesDone: written.entries.toArray().reduce((sum, entry) => sum + entry.size, 0),
      bytesTotal: written.entries.toArray().reduce((sum, entry) => sum + entry.size, 0),
    })
    // Only the zip is left in the folder: no temporary file.
    expect(await readdir(join(dir, 'nested'))).toEqual(['out.zip'])
  })

  it('matches the golden sha256 for a fixed tree (Node 20 bundled zlib)', async () => {
    const outFile = join(dir, 'golden.zip')
    const written = await writeDeterministicZip({
      entries: planMemoryFiles(FIXTURE),
      reader: createMemorySourceReader(FIXTURE),
      outFile,
      sourceDateEpoch: 1_623_745_842,
    })
    expect(written.sha256).toBe('ebeed53c6e147da39575b9fcaac6970f9063609e0e51fa4c5b812d1247333c76')
  })

  it('stores everything at level 0', async () => {
    const outFile = join(dir, 'stored.zip')
    await writeDeterministicZip({
      entries: planMemoryFiles(FIXTURE),
      reader: createMemorySourceReader(FIXTURE),
      outFile,
      compressionLevel: 0,
    })
    const { infos, bad } = await pythonInspectZip(outFile)
    expect(bad).toBeNull()
    expect(new Set(infos.map((info) => info.compress_type))).toEqual(new Set([0]))
  })

  it('streams entries above 1.1 MiB in pieces with a data descriptor, on worker threads', async () => {
    const big = Buffer.from(text(9, 40_000))
    const files: Record<string, MemoryFile> = {
      'big/text.log': big,
      'big/random.dat': seededBytes(11, 1_300_000),
      'big/archive.zip': seededBytes(12, 1_200_000),
      'small.txt': text(10, 30),
    }
    expect(big.length).toBeGreaterThan(2_000_000)
    const outFile = join(dir, 'big.zip')
    const tuning = { ...AUTO_ZIP_WRITER_TUNING, threads: 2, budgetBytes: 2 * 1024 * 1024 }
    const written = await runZipWriter(
      { entries: planMemoryFiles(files), reader: createMemorySourceReader(files), outFile },
      tuning,
    )
    expect(await unzipTest(outFile)).toContain('No errors detected')
    const { infos, bad } = await pythonInspectZip(outFile)
    expect(bad).toBeNull()
    const byName = new Map(infos.map((info) => [info.filename, info]))
    expect(byName.get('big/text.log')?.flag_bits).toBe(0x0008)
    expect(byName.get('big/text.log')?.compress_type).toBe(8)
    expect(byName.get('big/text.log')?.compress_size).toBeLessThan(big.length / 3)
    expect(byName.get('big/random.dat')?.compress_type).toBe(0)
    expect(byName.get('big/archive.zip')?.compress_type).toBe(0)
    expect(byName.get('small.txt')?.flag_bits).toBe(0)
    const extracted = await pythonReadAll(outFile)
    for (const [path, content] of Object.entries(files)) {
      expect(extracted.get(path)?.equals(Buffer.from(content as Uint8Array)), path).toBe(true)
    }
    expect(written.entries.toArray().find((entry) => entry.path === 'big/text.log')?.sha1).toBe(
      createHash('sha1').update(big).digest('hex'),
    )
  })
})
