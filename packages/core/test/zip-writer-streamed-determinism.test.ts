import { createCipheriv, createHash } from 'node:crypto'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type PlannedEntry, plannedEntryFor } from '../src/plan/planned-entry.js'
import { createLocalFolderReader } from '../src/source/local-folder-reader.js'
import { runZipWriter } from '../src/zip/write/run-zip-writer.js'
import { writeDeterministicZip } from '../src/zip/write/write-deterministic-zip.js'
import {
  AUTO_ZIP_WRITER_TUNING,
  STREAMED_ENTRY_THRESHOLD,
} from '../src/zip/write/zip-writer-tuning.js'
import { pythonInspectZip } from './helpers/inspect-zip.js'
import { createMemorySourceReader } from './helpers/memory-source-reader.js'

/**
 * The sha256 of the fixture's zip with Node 20's bundled zlib (`.node-version`).
 * It changes only when the bytes written change: treat that as a deliberate,
 * documented change of the package digest.
 */
const GOLDEN_SHA256 = 'f636c3ece7520360a8d1f73649c6ae1de98506fb4f1cbb8c88543628142a4e7a'

function seededBytes(seed: number, size: number): Buffer {
  return createCipheriv('aes-128-ctr', Buffer.alloc(16, seed), Buffer.alloc(16)).update(
    Buffer.alloc(size),
  )
}

/** Compressible text of exactly `size` bytes, different for each seed. */
function text(seed: number, size: number): Buffer {
  const lines: string[] = []
  let length = 0
  for (let line = 0; length < size; line++) {
    const next = `${seed}:${line} GET /items/${(line * 7919 + seed) % 1009} ${(line * 31) % 977}ms\n`
    lines.push(next)
    length += next.length
  }
  return Buffer.from(lines.join('')).subarray(0, size)
}

/**
 * Entries on both sides of the streaming threshold: streamed entries deflated
 * in several primed pieces, stored because their probe does not shrink, or
 * deflated although only their probe shrinks; whole entries exactly at the
 * threshold; and enough small files to fill many jobs.
 */
const FILES: Record<string, Buffer> = {
  'logs/requests.log': text(1, 3 * 1024 * 1024 + 12_345),
  'logs/exact-threshold.log': text(2, STREAMED_ENTRY_THRESHOLD),
  'logs/one-past-threshold.log': text(3, STREAMED_ENTRY_THRESHOLD + 1),
  'data/random.bin': seededBytes(4, 1_300_000),
  'data/text-then-random.bin': Buffer.concat([text(5, 16 * 1024), seededBytes(6, 1_200_000)]),
  ...Object.fromEntries(
    Array.from({ length: 150 }, (_, index) => [
      `src/m${String(index).padStart(3, '0')}.txt`,
      text(100 + index, 500 + index * 97),
    ]),
  ),
}

function plan(): PlannedEntry[] {
  return Object.entries(FILES).map(([path, content]) => ({
    zipPath: path,
    sourcePath: path,
    kind: 'file',
    size: content.length,
    executable: false,
  }))
}

const sha256Of = async (path: string): Promise<string> =>
  createHash('sha256')
    .update(await readFile(path))
    .digest('hex')

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'packwright-streamed-determinism-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('streamed entries, pinned', () => {
  it('streams the large entries of the fixture in pieces, with a data descriptor', async () => {
    const outFile = join(dir, 'inspect.zip')
    await runZipWriter(
      { entries: plan(), reader: createMemorySourceReader(FILES), outFile },
      { ...AUTO_ZIP_WRITER_TUNING, threads: 2 },
    )
    const { infos, bad } = await pythonInspectZip(outFile)
    expect(bad).toBeNull()
    const byName = new Map(infos.map((info) => [info.filename, info]))
    const streamed = (name: string) => (byName.get(name)?.flag_bits ?? 0) & 0x0008
    expect(streamed('logs/requests.log')).toBe(8)
    expect(streamed('logs/one-past-threshold.log')).toBe(8)
    expect(streamed('data/random.bin')).toBe(8)
    expect(streamed('logs/exact-threshold.log')).toBe(0)
    expect(byName.get('logs/requests.log')?.compress_type).toBe(8)
    expect(byName.get('data/random.bin')?.compress_type).toBe(0)
    expect(byName.get('data/text-then-random.bin')?.compress_type).toBe(8)
  })

  it('writes the golden bytes on the calling thread and on 1, 2 and 4 worker threads', async () => {
    const digests = new Map<string, string>()
    for (const threads of [0, 1, 2, 4]) {
      const outFile = join(dir, `threads-${threads}.zip`)
      await runZipWriter(
        { entries: plan(), reader: createMemorySourceReader(FILES), outFile },
        { ...AUTO_ZIP_WRITER_TUNING, threads },
      )
      digests.set(`${threads} threads`, await sha256Of(outFile))
    }
    const auto = join(dir, 'auto.zip')
    await writeDeterministicZip({
      entries: plan(),
      reader: createMemorySourceReader(FILES),
      outFile: auto,
    })
    digests.set('auto', await sha256Of(auto))
    expect(Object.fromEntries(digests)).toEqual({
      '0 threads': GOLDEN_SHA256,
      '1 threads': GOLDEN_SHA256,
      '2 threads': GOLDEN_SHA256,
      '4 threads': GOLDEN_SHA256,
      auto: GOLDEN_SHA256,
    })
  })

  it('writes the golden bytes when the workers read the files from disk themselves', async () => {
    const root = join(dir, 'tree')
    for (const [path, content] of Object.entries(FILES)) {
      await mkdir(dirname(join(root, path)), { recursive: true })
      await writeFile(join(root, path), content)
    }
    const reader = await createLocalFolderReader(root)
    const entries = (await reader.list('')).map((entry) => plannedEntryFor(entry))
    for (const threads of [0, 2]) {
      const outFile = join(dir, `local-${threads}.zip`)
      await runZipWriter({ entries, reader, outFile }, { ...AUTO_ZIP_WRITER_TUNING, threads })
      expect(await sha256Of(outFile), `${threads} threads`).toBe(GOLDEN_SHA256)
    }
  })
})
