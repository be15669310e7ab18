import { createHash } from 'node:crypto'
import { mkdir, mkdtemp, readFile, rm, symlink, utimes, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import fc from 'fast-check'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type PlannedEntry } from '../src/plan/planned-entry.js'
import { runZipWriter } from '../src/zip/write/run-zip-writer.js'
import { AUTO_ZIP_WRITER_TUNING } from '../src/zip/write/zip-writer-tuning.js'
import { writeDeterministicZip } from '../src/zip/write/write-deterministic-zip.js'
import { arbitraryPackagePaths } from './helpers/arbitrary-package-paths.js'
import { createFsTestReader, planAll } from './helpers/fs-test-reader.js'
import { pythonInspectZip } from './helpers/inspect-zip.js'
import { type MemoryFile, createMemorySourceReader } from './helpers/memory-source-reader.js'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'packwright-zip-determinism-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

const TREE: Record<string, string> = {
  'b.txt': 'bravo\n'.repeat(300),
  'a/z.js': 'export const z = 1\n'.repeat(120),
  'a/b/c.json': JSON.stringify({ values: Array.from({ length: 400 }, (_, i) => i) }),
  'A.md': '# Title\n',
  'a-b/x.css': 'body { margin: 0 }\n'.repeat(50),
}

function planMemory(files: Readonly<Record<string, string>>): PlannedEntry[] {
  return Object.entries(files).map(([path, content]) => ({
    zipPath: path,
    sourcePath: path,
    kind: 'file',
    size: Buffer.byteLength(content),
    executable: false,
  }))
}

const digest = async (path: string) =>
  createHash('sha256')
    .update(await readFile(path))
    .digest('hex')

async function writeTree(
  root: string,
  files: Record<string, string>,
  order: string[],
  mtime: Date,
) {
  for (const path of order) {
    const full = join(root, path)
    await mkdir(dirname(full), { recursive: true })
    await writeFile(full, files[path] as string)
    await utimes(full, mtime, mtime)
  }
}

describe('writeDeterministicZip determinism', () => {
  it('writes the same bytes whatever the TZ environment variable says', async () => {
    const original = process.env.TZ
    const offsets: number[] = []
    const digests: string[] = []
    try {
      for (const zone of ['America/Los_Angeles', 'Asia/Kathmandu']) {
        process.env.TZ = zone
        // Node resets its time zone cache when TZ is assigned; prove that it did.
        offsets.push(new Date(Date.UTC(2021, 5, 15)).getTimezoneOffset())
        const outFile = join(dir, `${zone.replace('/', '-')}.zip`)
        await writeDeterministicZip({
          entries: planMemory(TREE),
          reader: createMemorySourceReader(TREE),
          outFile,
          sourceDateEpoch: 1_623_745_842,
        })
        digests.push(await digest(outFile))
      }
    } finally {
      if (original === undefined) delete process.env.TZ
      else process.env.TZ = original
    }
    expect(offsets[0]).not.toBe(offsets[1])
    expect(digests[0]).toBe(digests[1])
    const { infos } = await pythonInspectZip(join(dir, 'Asia-Kathmandu.zip'))
    expect(infos[0]?.date_time).toEqual([2021, 6, 15, 8, 30, 42])
  })

  it('writes the same bytes whatever the order of the planned entries', async () => {
    const entries = planMemory(TREE)
    const orders = [
      entries,
      [...entries].reverse(),
      [entries[2], entries[0], entries[4], entries[1], entries[3]],
    ]
    const digests = new Set<string>()
    for (const [i, order] of orders.entries()) {
      const outFile = join(dir, `order-${i}.zip`)
      await writeDeterministicZip({
        entries: order as PlannedEntry[],
        reader: createMemorySourceReader(TREE),
        outFile,
      })
      digests.add(await digest(outFile))
    }
    expect(digests.size).toBe(1)
  })

  it('ignores file times and creation order on disk', async () => {
    const paths = Object.keys(TREE)
    const first = join(dir, 'first')
    const second = join(dir, 'second')
    await writeTree(first, TREE, paths, new Date('2001-02-03T04:05:06Z'))
    await writeTree(second, TREE, [...paths].reverse(), new Date('2023-11-12T13:14:15Z'))
    for (const root of [first, second]) await symlink('b.txt', join(root, 'link'))
    const digests: string[] = []
    for (const root of [first, second]) {
      const reader = createFsTestReader(root)
      const outFile = join(dir, `${root === first ? 'first' : 'second'}.zip`)
      await writeDeterministicZip({ entries: await planAll(reader), reader, outFile })
      digests.push(await digest(outFile))
    }
    expect(digests[0]).toBe(digests[1])
  })

  it('writes the same bytes on the calling thread and on worker threads, whatever the batching', async () => {
    const files: Record<string, string> = { ...TREE }
    for (let i = 0; i < 40; i++) files[`gen/f${i}.txt`] = `file ${i} `.repeat(50 + i * 13)
    files['gen/big.log'] = Array.from({ length: 90_000 }, (_, i) => `${i % 977} event`).join('\n')
    const entries = planMemory(files)
    const tunings = [
      { ...AUTO_ZIP_WRITER_TUNING, threads: 0 },
      { ...AUTO_ZIP_WRITER_TUNING, threads: 2, batchEntries: 3, budgetBytes: 64 * 1024 },
      { ...AUTO_ZIP_WRITER_TUNING, threads: 3, batchEntries: 1000, batchBytes: 1 << 30 },
    ]
    const digests = new Set<string>()
    for (const [i, tuning] of tunings.entries()) {
      const outFile = join(dir, `threads-${i}.zip`)
      await runZipWriter({ entries, reader: createMemorySourceReader(files), outFile }, tuning)
      digests.add(await digest(outFile))
    }
    expect(digests.size).toBe(1)
  })

  it('round-trips random trees: same files, same bytes, folders before contents', async () => {
    const tree = arbitraryPackagePaths()
    const content = fc.oneof(
      fc.uint8Array({ maxLength: 3000 }),
      fc.string({ maxLength: 2000 }).map((s) => new TextEncoder().encode(s.repeat(3))),
    )
    let run = 0
    await fc.assert(
      fc.asyncProperty(
        tree.chain((paths) =>
          fc.tuple(
            fc.constant(paths),
            fc.array(content, { minLength: paths.length, maxLength: paths.length }),
            fc.boolean(),
          ),
        ),
        async ([paths, contents, executable]) => {
          const files: Record<string, MemoryFile> = {}
          paths.forEach((path, i) => {
            files[path] = {
              content: contents[i] as Uint8Array,
              executable: executable && i % 2 === 0,
            }
          })
          const entries: PlannedEntry[] = paths.map((path, i) => ({
            zipPath: path,
            sourcePath: path,
            kind: 'file',
            size: (contents[i] as Uint8Array).length,
            executable: executable && i % 2 === 0,
          }))
          const outFile = join(dir, `random-${run++}.zip`)
          const written = await writeDeterministicZip({
            entries,
            reader: createMemorySourceReader(files),
            outFile,
          })
          const { infos, bad } = await pythonInspectZip(outFile)
          expect(bad).toBeNull()
          const extracted = new Map(
            infos
              .filter((info) => !info.filename.endsWith('/'))
              .map((info) => [info.filename, Buffer.from(info.data, 'base64')]),
          )
          expect([...extracted.keys()].sort()).toEqual([...paths].sort())
          paths.forEach((path, i) => {
            expect(extracted.get(path)?.equals(Buffer.from(contents[i] as Uint8Array)), path).toBe(
              true,
            )
          })
          const names = infos.map((info) => info.filename)
          expect(names).toEqual([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)))
          for (const name of names) {
            const slash = name.lastIndexOf('/', name.length - 2)
            if (slash > 0)
              expect(names.indexOf(name.slice(0, slash + 1))).toBeLessThan(names.indexOf(name))
          }
          expect(written.entries.toArray().map((entry) => entry.path)).toEqual([...paths].sort())
        },
      ),
      { numRuns: 25 },
    )
    // 25 trees, each written and read back by a Python process: slow on a loaded machine.
  }, 120_000)
})
