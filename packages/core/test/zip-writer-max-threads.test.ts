import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeDeterministicZip } from '../src/zip/write/write-deterministic-zip.js'
import { createMemorySourceReader } from './helpers/memory-source-reader.js'
import { rejection } from './helpers/rejection.js'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'packwright-zip-threads-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

// Text-like content large enough for the writer to start worker threads when it may.
const files: Record<string, Uint8Array> = {}
for (let index = 0; index < 12; index++) {
  files[`part-${index}.txt`] = Buffer.from(randomBytes(512 * 1024).toString('hex'))
}
const entries = Object.entries(files).map(([path, bytes]) => ({
  zipPath: path,
  sourcePath: path,
  kind: 'file' as const,
  size: bytes.length,
  executable: false,
}))

describe('maxThreads', () => {
  it('never changes the bytes written', async () => {
    const digests = []
    for (const maxThreads of [0, 1, undefined]) {
      const written = await writeDeterministicZip({
        entries,
        reader: createMemorySourceReader(files),
        outFile: join(dir, `threads-${String(maxThreads)}.zip`),
        ...(maxThreads === undefined ? {} : { maxThreads }),
      })
      digests.push(written.sha256)
    }
    expect(new Set(digests).size).toBe(1)
  })

  it.each([-1, 1.5, Number.NaN])('refuses %s', async (maxThreads) => {
    const failure = await rejection(
      writeDeterministicZip({
        entries,
        reader: createMemorySourceReader(files),
        outFile: join(dir, 'bad.zip'),
        maxThreads,
      }),
    )
    expect(failure.code).toBe('INVALID_ARGUMENT')
    expect(failure.message).toContain('Invalid maxThreads')
  })
})
