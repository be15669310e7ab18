import { createCipheriv } from 'node:crypto'
import { readdirSync, readlinkSync } from 'node:fs'
import { appendFile, mkdir, mkdtemp, rm, truncate, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { isPackwrightError } from '../../errors.js'
import { type PlannedEntry, plannedEntryFor } from '../../plan/planned-entry.js'
import { createLocalFolderReader } from '../../source/local-folder-reader.js'
import { type ReadOptions, type SourceReader } from '../../source/source-reader.js'
import { createMemorySourceReader } from '../../../test/helpers/memory-source-reader.js'
import { type BufferPool, createBufferPool } from './create-buffer-pool.js'
import { readSourcePieces } from './read-source-pieces.js'

const SIZES = { firstSize: 100, pieceSize: 1000 }
const content = createCipheriv('aes-128-ctr', Buffer.alloc(16, 1), Buffer.alloc(16)).update(
  Buffer.alloc(2345),
)

let work: string
beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'packwright-pieces-edges-'))
})
afterEach(async () => {
  await rm(work, { recursive: true, force: true })
})

function entryOf(size: number, path = 'data.bin'): PlannedEntry {
  return plannedEntryFor({ path, kind: 'file', size, executable: false })
}

/** A reader of one file whose stream is made by `open`, with the options it was given. */
function streamReader(open: (options: ReadOptions | undefined) => Readable): SourceReader {
  return {
    ...createMemorySourceReader({ 'data.bin': content }),
    open: (_path, options) => open(options),
  }
}

/** Reads `entry` through `reader` (or from `localFile`), giving every buffer back; copies of the pieces. */
async function piecesOf(
  reader: SourceReader,
  entry: PlannedEntry,
  options: { localFile?: string; pool?: BufferPool; signal?: AbortSignal } = {},
): Promise<Buffer[]> {
  const pool = options.pool ?? createBufferPool(2, SIZES.pieceSize)
  const pieces: Buffer[] = []
  await readSourcePieces(
    {
      reader,
      entry,
      localFile: options.localFile,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    },
    SIZES,
    pool,
    (piece) => {
      pieces.push(Buffer.from(piece))
      pool.give(piece.buffer)
      return Promise.resolve()
    },
  )
  return pieces
}

async function failureOf(read: Promise<unknown>): Promise<Error> {
  const failure = await read.then(
    () => undefined,
    (error: unknown) => error,
  )
  if (!(failure instanceof Error)) throw new Error('expected the read to fail')
  return failure
}

describe('readSourcePieces from a stream', () => {
  it('cuts chunks of any size into the same pieces', async () => {
    // Chunks of 7 bytes: pieces fill across many chunks, and chunks span piece ends.
    const chunks = Array.from({ length: Math.ceil(content.length / 7) }, (_, i) =>
      content.subarray(i * 7, i * 7 + 7),
    )
    const pieces = await piecesOf(
      streamReader(() => Readable.from(chunks)),
      entryOf(content.length),
    )
    expect(pieces.map((piece) => piece.length)).toEqual([100, 1000, 1000, 245])
    expect(Buffer.concat(pieces).equals(content)).toBe(true)
  })

  it('takes no buffer from the pool past the end of the content', async () => {
    const pool = createBufferPool(2, SIZES.pieceSize)
    await piecesOf(createMemorySourceReader({ 'data.bin': content }), entryOf(content.length), {
      pool,
    })
    // The one buffer that served every piece is back in the pool for the next entry.
    pool.take(SIZES.pieceSize)
    expect(pool.created).toBe(1)
  })

  it('says how much it read when the content is shorter or longer than planned', async () => {
    const memory = createMemorySourceReader({ 'data.bin': content })
    const shorter = await failureOf(piecesOf(memory, entryOf(content.length + 1)))
    expect(isPackwrightError(shorter, 'ZIP_SOURCE_CHANGED')).toBe(true)
    expect(shorter.message).toContain(
      `expected ${content.length + 1} bytes, read ${content.length}.`,
    )
    const longer = await failureOf(piecesOf(memory, entryOf(content.length - 1)))
    expect(isPackwrightError(longer, 'ZIP_SOURCE_CHANGED')).toBe(true)
    expect(longer.message).toContain(`expected ${content.length - 1} bytes, read more.`)
  })

  it('stops at the planned size, before what lies past it is copied anywhere', async () => {
    const handed: number[] = []
    const pool = createBufferPool(2, SIZES.pieceSize)
    const chunks = [content.subarray(0, 1100), content.subarray(1100)]
    const failure = await failureOf(
      readSourcePieces(
        {
          reader: streamReader(() => Readable.from(chunks)),
          entry: entryOf(1100),
          localFile: undefined,
        },
        SIZES,
        pool,
        (piece) => {
          handed.push(piece.length)
          return Promise.resolve()
        },
      ),
    )
    expect(failure.message).toContain('expected 1100 bytes, read more.')
    expect(handed).toEqual([100, 1000])
  })

  it('gives the reader the abort signal, and no signal when there is none', async () => {
    const given: (ReadOptions | undefined)[] = []
    const reader = streamReader((options) => {
      given.push(options)
      return Readable.from([content])
    })
    const controller = new AbortController()
    await piecesOf(reader, entryOf(content.length), { signal: controller.signal })
    await piecesOf(reader, entryOf(content.length))
    expect(given[0]?.signal).toBe(controller.signal)
    expect(given[1]?.signal).toBeUndefined()
  })

  it(
    'stops on abort even when the reader’s stream does not watch the signal',
    { timeout: 5000 },
    async () => {
      // Only the first piece ever arrives; the stream neither ends nor fails by itself.
      let pushed = false
      const reader = streamReader(
        () =>
          new Readable({
            read() {
              if (pushed) return
              pushed = true
              this.push(content.subarray(0, 100))
            },
          }),
      )
      const controller = new AbortController()
      const failure = await failureOf(
        readSourcePieces(
          {
            reader,
            entry: entryOf(content.length),
            localFile: undefined,
            signal: controller.signal,
          },
          SIZES,
          createBufferPool(1, SIZES.pieceSize),
          () => {
            controller.abort()
            return Promise.resolve()
          },
        ),
      )
      expect(failure.name).toBe('AbortError')
    },
  )
})

describe('readSourcePieces from a local file', () => {
  it('refuses a folder in place of the file', async () => {
    await mkdir(join(work, 'folder'))
    const reader = await createLocalFolderReader(work)
    const failure = await failureOf(
      piecesOf(reader, entryOf(10, 'folder'), { localFile: join(work, 'folder') }),
    )
    expect(failure.message).toBe('it is no longer a regular file')
  })

  it('says the size found, before reading, when the file is no longer the planned size', async () => {
    await writeFile(join(work, 'data.bin'), content)
    const reader = await createLocalFolderReader(work)
    const handed: number[] = []
    const failure = await failureOf(
      readSourcePieces(
        { reader, entry: entryOf(content.length - 1), localFile: join(work, 'data.bin') },
        SIZES,
        createBufferPool(1, SIZES.pieceSize),
        (piece) => {
          handed.push(piece.length)
          return Promise.resolve()
        },
      ),
    )
    expect(failure.message).toContain(
      `expected ${content.length - 1} bytes, read ${content.length}.`,
    )
    expect(handed).toEqual([])
  })

  it('says where it stopped when the file shrinks, and "more" when it grows, while read', async () => {
    for (const change of ['shrink', 'grow'] as const) {
      const path = join(work, `${change}.bin`)
      await writeFile(path, content)
      const reader = await createLocalFolderReader(work)
      let first = true
      const failure = await failureOf(
        readSourcePieces(
          { reader, entry: entryOf(content.length, `${change}.bin`), localFile: path },
          SIZES,
          createBufferPool(1, SIZES.pieceSize),
          async () => {
            if (!first) return
            first = false
            if (change === 'grow') await appendFile(path, 'more')
            else await truncate(path, 1000)
          },
        ),
      )
      expect(isPackwrightError(failure, 'ZIP_SOURCE_CHANGED')).toBe(true)
      expect(failure.message).toContain(
        `expected ${content.length} bytes, read ${change === 'grow' ? 'more' : '1000'}.`,
      )
    }
  })

  it.runIf(process.platform === 'linux')('closes the file, read or refused', async () => {
    const fine = join(work, 'fine.bin')
    const grown = join(work, 'grown.bin')
    await writeFile(fine, content)
    await writeFile(grown, content)
    const reader = await createLocalFolderReader(work)
    await piecesOf(reader, entryOf(content.length, 'fine.bin'), { localFile: fine })
    let first = true
    await failureOf(
      readSourcePieces(
        { reader, entry: entryOf(content.length, 'grown.bin'), localFile: grown },
        SIZES,
        createBufferPool(1, SIZES.pieceSize),
        async () => {
          if (first) await appendFile(grown, 'more')
          first = false
        },
      ),
    )
    const openOn = (path: string) =>
      readdirSync('/proc/self/fd').filter((fd) => {
        try {
          return readlinkSync(`/proc/self/fd/${fd}`) === path
        } catch {
          return false
        }
      })
    expect(openOn(fine)).toEqual([])
    expect(openOn(grown)).toEqual([])
  })
})
