import type * as Zlib from 'node:zlib'

import { describe, expect, it, vi } from 'vitest'

import { buildRawZip } from '../../../test/helpers/build-raw-zip.js'
import { useScratchZipFiles } from '../../../test/helpers/scratch-zip-files.js'
import { incompressibleBytes } from '../../../test/helpers/incompressible-bytes.js'
import { readEntryChunks } from './read-entry-chunks.js'
import { readZipLayout } from './read-zip-layout.js'
import { resolveZipLimits } from './zip-limits.js'
import { ZipReaderFile } from './zip-reader-file.js'

/** Every inflater the reader creates, to see what becomes of it. */
const inflaters = vi.hoisted(() => [] as Zlib.InflateRaw[])

vi.mock('node:zlib', async (importOriginal) => {
  const zlib = await importOriginal<typeof Zlib>()
  return {
    ...zlib,
    createInflateRaw: (...args: Parameters<typeof zlib.createInflateRaw>) => {
      const inflater = zlib.createInflateRaw(...args)
      inflaters.push(inflater)
      return inflater
    },
  }
})

const scratch = useScratchZipFiles('packwright-entry-inflater-')

/** Reads the deflated entry of a fresh zip, taking `take` chunks (all when undefined). */
async function readDeflated(data: Buffer, take?: number): Promise<number> {
  const file = await ZipReaderFile.open(
    await scratch.write(buildRawZip([{ name: 'a', data, deflate: true }])),
  )
  try {
    const [entry] = (await readZipLayout(file, resolveZipLimits())).entries
    if (entry === undefined) throw new Error('no entry')
    let taken = 0
    for await (const chunk of readEntryChunks(file, entry, { limits: resolveZipLimits() })) {
      taken += chunk.length
      if (take !== undefined && --take === 0) break
    }
    return taken
  } finally {
    await file.close()
  }
}

describe('readEntryChunks and its inflater', () => {
  it('destroys the inflater, and so stops the reads feeding it, when its reader stops early', async () => {
    inflaters.length = 0
    const taken = await readDeflated(incompressibleBytes(4 * 1024 * 1024), 1)
    expect(taken).toBeGreaterThan(0)
    expect(inflaters).toHaveLength(1)
    // Left alive, it would hold its buffered output and a suspended read forever.
    expect(inflaters[0]?.destroyed).toBe(true)
    expect(inflaters[0]?.writableFinished).toBe(false)
  })

  it('lets an inflater read to its end finish on its own', async () => {
    inflaters.length = 0
    const data = incompressibleBytes(64 * 1024 + 3)
    expect(await readDeflated(data)).toBe(data.length)
    expect(inflaters).toHaveLength(1)
    expect(inflaters[0]?.writableFinished).toBe(true)
    expect(inflaters[0]?.bytesWritten).toBeGreaterThan(data.length)
  })
})
