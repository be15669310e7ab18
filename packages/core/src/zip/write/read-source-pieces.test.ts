import { createCipheriv } from 'node:crypto'
import { appendFile, mkdir, mkdtemp, rm, symlink, truncate, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { isPackwrightError } from '../../errors.js'
import { plannedEntryFor } from '../../plan/planned-entry.js'
import { createLocalFolderReader } from '../../source/local-folder-reader.js'
import { type SourceReader } from '../../source/source-reader.js'
import { createMemorySourceReader } from '../../../test/helpers/memory-source-reader.js'
import { createBufferPool } from './create-buffer-pool.js'
import { readSourcePieces } from './read-source-pieces.js'
import { writeDeterministicZip } from './write-deterministic-zip.js'
import { DEFLATE_PIECES } from './zip-writer-tuning.js'

const SIZES = { firstSize: 100, pieceSize: 1000 }

function seededBytes(seed: number, size: number): Buffer {
  return createCipheriv('aes-128-ctr', Buffer.alloc(16, seed), Buffer.alloc(16)).update(
    Buffer.alloc(size),
  )
}

let work: string
beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'packwright-pieces-'))
})
afterEach(async () => {
  await rm(work, { recursive: true, force: true })
})

/** Reads `path` of `reader` in pieces, giving every buffer back, and returns copies of the pieces. */
async function readAll(
  reader: SourceReader,
  path: string,
  options: { size?: number; local?: boolean } = {},
): Promise<{ pieces: Buffer[]; buffers: Set<ArrayBufferLike> }> {
  const listed = await reader.stat(path)
  if (listed === undefined) throw new Error(`no ${path}`)
  const entry = { ...plannedEntryFor(listed), size: options.size ?? listed.size }
  const localFile = options.local === false ? undefined : reader.localFilePath?.(path)
  const pool = createBufferPool(2, SIZES.pieceSize)
  const pieces: Buffer[] = []
  const buffers = new Set<ArrayBufferLike>()
  await readSourcePieces({ reader, entry, localFile }, SIZES, pool, (piece) => {
    pieces.push(Buffer.from(piece))
    buffers.add(piece.buffer)
    pool.give(piece.buffer)
    return Promise.resolve()
  })
  return { pieces, buffers }
}

describe('readSourcePieces', () => {
  const content = seededBytes(1, 2345)

  it('cuts a local file and a streamed source into the same pieces, reusing pooled buffers', async () => {
    await writeFile(join(work, 'data.bin'), content)
    const local = await createLocalFolderReader(work)
    const fromDisk = await readAll(local, 'data.bin')
    const fromStream = await readAll(createMemorySourceReader({ 'data.bin': content }), 'data.bin')
    for (const read of [fromDisk, fromStream]) {
      expect(read.pieces.map((piece) => piece.length)).toEqual([100, 1000, 1000, 245])
      expect(Buffer.concat(read.pieces).equals(content)).toBe(true)
      // Every piece was given back before the next was taken: one buffer served them all.
      expect(read.buffers.size).toBe(1)
    }
  })

  it('fails with ZIP_SOURCE_CHANGED when the content is shorter or longer than planned', async () => {
    await writeFile(join(work, 'data.bin'), content)
    const local = await createLocalFolderReader(work)
    const memory = createMemorySourceReader({ 'data.bin': content })
    for (const size of [content.length - 1, content.length + 1]) {
      for (const reader of [local, memory]) {
        const failure = await readAll(reader, 'data.bin', { size }).catch((error: unknown) => error)
        expect(isPackwrightError(failure, 'ZIP_SOURCE_CHANGED')).toBe(true)
        expect((failure as Error).message).toContain(`expected ${size} bytes`)
      }
    }
  })

  it('notices a local file that grows or shrinks while it is read', async () => {
    for (const change of ['grow', 'shrink'] as const) {
      const path = join(work, `${change}.bin`)
      await writeFile(path, content)
      const reader = await createLocalFolderReader(work)
      const entry = plannedEntryFor({
        path: `${change}.bin`,
        kind: 'file',
        size: content.length,
        executable: false,
      })
      let first = true
      const failure = await readSourcePieces(
        { reader, entry, localFile: path },
        SIZES,
        createBufferPool(1, SIZES.pieceSize),
        async () => {
          if (!first) return
          first = false
          if (change === 'grow') await appendFile(path, 'more')
          else await truncate(path, 1000)
        },
      ).catch((error: unknown) => error)
      expect(isPackwrightError(failure, 'ZIP_SOURCE_CHANGED')).toBe(true)
    }
  })

  it('never reads a local file through a symlink', async () => {
    await writeFile(join(work, 'target.bin'), content)
    await symlink(join(work, 'target.bin'), join(work, 'link.bin'))
    const reader = await createLocalFolderReader(work)
    const entry = plannedEntryFor({
      path: 'link.bin',
      kind: 'file',
      size: content.length,
      executable: false,
    })
    const failure = await readSourcePieces(
      { reader, entry, localFile: join(work, 'link.bin') },
      SIZES,
      createBufferPool(1, SIZES.pieceSize),
      () => Promise.resolve(),
    ).catch((error: unknown) => error)
    expect((failure as { code?: string }).code).toBe('ELOOP')
  })

  it('lets the writer stream large local files to the same bytes as the same content in memory', async () => {
    const large = DEFLATE_PIECES.probeSize + 2 * DEFLATE_PIECES.chunkSize + 12_345
    const files = {
      'logs/app.log': Buffer.from(
        Array.from({ length: large / 32 }, (_, i) => `line ${i} of the log\n`).join(''),
      ),
      'noise.bin': seededBytes(2, large),
    }
    const tree = join(work, 'tree')
    await mkdir(join(tree, 'logs'), { recursive: true })
    for (const [path, bytes] of Object.entries(files)) await writeFile(join(tree, path), bytes)
    const write = async (reader: SourceReader, name: string) => {
      const entries = (await reader.list('')).map((entry) => plannedEntryFor(entry))
      return writeDeterministicZip({ entries, reader, outFile: join(work, name) })
    }
    const fromDisk = await write(await createLocalFolderReader(tree), 'disk.zip')
    const fromMemory = await write(createMemorySourceReader(files), 'memory.zip')
    expect(fromDisk.sha256).toBe(fromMemory.sha256)
    // One entry deflated (smaller than its content), one stored (the zip holds it whole).
    expect(fromDisk.size).toBeLessThan(files['logs/app.log'].length + files['noise.bin'].length)
    expect(fromDisk.size).toBeGreaterThan(files['noise.bin'].length)
  })
})
