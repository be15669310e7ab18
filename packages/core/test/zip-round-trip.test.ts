import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type PlannedEntry } from '../src/plan/planned-entry.js'
import { validateZip } from '../src/zip/read/validate-zip.js'
import { writeDeterministicZip } from '../src/zip/write/write-deterministic-zip.js'
import { arbitraryPackagePaths } from './helpers/arbitrary-package-paths.js'
import { type MemoryFile, createMemorySourceReader } from './helpers/memory-source-reader.js'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'packwright-round-trip-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

const tree = arbitraryPackagePaths({ maxDepth: 3, maxFiles: 20 })
const content = fc.oneof(
  { arbitrary: fc.uint8Array({ maxLength: 2000 }), weight: 4 },
  {
    arbitrary: fc.string({ maxLength: 500 }).map((s) => new TextEncoder().encode(s.repeat(4))),
    weight: 4,
  },
  // now and then an entry large enough to be written in streamed pieces
  {
    arbitrary: fc.integer({ min: 0, max: 255 }).map((byte) => new Uint8Array(1_100_000).fill(byte)),
    weight: 1,
  },
)

describe('write, then read back with our own validator', () => {
  it('gives back every file and link with its kind, size, mode and checksums, and calls the zip valid', async () => {
    let run = 0
    await fc.assert(
      fc.asyncProperty(
        tree.chain((paths) =>
          fc.tuple(
            fc.constant(paths),
            fc.array(content, { minLength: paths.length, maxLength: paths.length }),
            fc.array(fc.constantFrom('file', 'executable', 'link'), {
              minLength: paths.length,
              maxLength: paths.length,
            }),
          ),
        ),
        async ([paths, contents, kinds]) => {
          const files: Record<string, MemoryFile> = {}
          const entries: PlannedEntry[] = []
          paths.forEach((path, i) => {
            const kind = kinds[i] as string
            // links point at the first path, which stays inside the package
            if (kind === 'link' && i > 0) {
              const target = path
                .split('/')
                .slice(1)
                .map(() => '..')
                .concat(paths[0] as string)
                .join('/')
              files[path] = { symlink: target }
              entries.push({
                zipPath: path,
                sourcePath: path,
                kind: 'symlink',
                size: Buffer.byteLength(target),
                executable: false,
                linkTarget: target,
              })
              return
            }
            const bytes = contents[i] as Uint8Array
            files[path] = { content: bytes, executable: kind === 'executable' }
            entries.push({
              zipPath: path,
              sourcePath: path,
              kind: 'file',
              size: bytes.length,
              executable: kind === 'executable',
            })
          })
          const written = await writeDeterministicZip({
            entries,
            reader: createMemorySourceReader(files),
            outFile: join(dir, `tree-${run++}.zip`),
          })
          const report = await validateZip(written.path)
          expect(report.problems).toEqual([])
          expect(report.valid).toBe(true)
          expect(report.sha256).toBe(written.sha256)
          expect(report.size).toBe(written.size)
          const readBack = report.entries
            .filter((entry) => entry.kind !== 'directory')
            .map(({ path, kind, size, mode, sha1, sha256 }) => ({
              path,
              kind,
              size,
              mode,
              sha1,
              sha256,
            }))
          expect(readBack).toEqual(
            written.entries.toArray().map(({ path, kind, size, mode, sha1, sha256 }) => ({
              path,
              kind,
              size,
              mode,
              sha1,
              sha256,
            })),
          )
        },
      ),
      { numRuns: 20 },
    )
  })
})
