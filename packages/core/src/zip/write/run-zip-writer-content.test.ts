import { createHash } from 'node:crypto'
import { getEventListeners } from 'node:events'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createMemorySourceReader } from '../../../test/helpers/memory-source-reader.js'
import { type PlannedEntry } from '../../plan/planned-entry.js'
import { openZip } from '../read/open-zip.js'
import { runZipWriter } from './run-zip-writer.js'
import { AUTO_ZIP_WRITER_TUNING, STREAMED_ENTRY_THRESHOLD } from './zip-writer-tuning.js'

let work: string
beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'packwright-run-content-'))
})
afterEach(async () => {
  await rm(work, { recursive: true, force: true })
})

function fileEntry(path: string, size: number): PlannedEntry {
  return { zipPath: path, sourcePath: path, kind: 'file', size, executable: false }
}

const hex = (algorithm: string, data: string | Buffer) =>
  createHash(algorithm).update(data).digest('hex')

describe('runZipWriter content', () => {
  it('deflates several entries of one job each to its own bytes, and lists their digests', async () => {
    const files: Record<string, string> = {
      'one.txt': 'first file, first file, first file, first file\n'.repeat(20),
      'two.txt': 'second, second, second, second, second\n'.repeat(30),
      'three.txt': 'third third third third third third\n'.repeat(25),
    }
    const entries = Object.entries(files).map(([path, text]) => fileEntry(path, text.length))
    const outFile = join(work, 'out.zip')
    const written = await runZipWriter(
      { entries, reader: createMemorySourceReader(files), outFile },
      { ...AUTO_ZIP_WRITER_TUNING, threads: 0 },
    )
    const archive = await openZip(outFile)
    try {
      for (const entry of archive.entries) {
        expect(entry.method).toBe(8)
        const chunks: Buffer[] = []
        for await (const chunk of archive.openEntry(entry)) chunks.push(chunk as Buffer)
        expect(Buffer.concat(chunks).toString()).toBe(files[entry.name])
      }
    } finally {
      await archive.close()
    }
    expect(
      written.entries.toArray().map((entry) => [entry.path, entry.size, entry.sha1, entry.sha256]),
    ).toEqual(
      ['one.txt', 'three.txt', 'two.txt'].map((path) => [
        path,
        files[path]?.length,
        hex('sha1', files[path] ?? ''),
        hex('sha256', files[path] ?? ''),
      ]),
    )
  })

  it('writes an entry of exactly the streaming threshold whole, and one byte more streamed', async () => {
    const size = STREAMED_ENTRY_THRESHOLD
    const files = { 'whole.txt': 'w'.repeat(size), 'streamed.txt': 's'.repeat(size + 1) }
    const entries = [fileEntry('whole.txt', size), fileEntry('streamed.txt', size + 1)]
    const outFile = join(work, 'out.zip')
    await runZipWriter(
      { entries, reader: createMemorySourceReader(files), outFile },
      { ...AUTO_ZIP_WRITER_TUNING, threads: 0 },
    )
    const archive = await openZip(outFile)
    try {
      const flags = Object.fromEntries(
        archive.entries.map((entry) => [entry.name, entry.flags & 8]),
      )
      expect(flags).toEqual({ 'streamed.txt': 8, 'whole.txt': 0 })
    } finally {
      await archive.close()
    }
  })

  it('leaves no listener on the caller’s signal once it is done', async () => {
    const controller = new AbortController()
    const files = { 'a.txt': 'alpha' }
    await runZipWriter(
      {
        entries: [fileEntry('a.txt', 5)],
        reader: createMemorySourceReader(files),
        outFile: join(work, 'out.zip'),
        signal: controller.signal,
      },
      { ...AUTO_ZIP_WRITER_TUNING, threads: 0 },
    )
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0)
  })
})
