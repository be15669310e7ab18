import * as crypto from 'node:crypto'
import * as zlib from 'node:zlib'
import { describe, expect, it } from 'vitest'
import {
  type ChunkJobResult,
  type DeflateLayout,
  type EntryJob,
  type FilesJobResult,
  createEntryJobProcessor,
} from './entry-job-processor.js'

/** Small pieces, so the boundaries are reached with a few hundred bytes. */
const layout: DeflateLayout = { level: 6, probeSize: 64, chunkSize: 256, dictionarySize: 128 }

function seededBytes(seed: number, size: number): Buffer {
  return crypto
    .createCipheriv('aes-128-ctr', Buffer.alloc(16, seed), Buffer.alloc(16))
    .update(Buffer.alloc(size))
}

function filesResult(run: (job: EntryJob) => unknown, job: EntryJob): FilesJobResult {
  const result = run(job) as FilesJobResult | ChunkJobResult
  if (result.kind !== 'files') throw new Error('expected a files result')
  return result
}

function chunkResult(run: (job: EntryJob) => unknown, job: EntryJob): ChunkJobResult {
  const result = run(job) as FilesJobResult | ChunkJobResult
  if (result.kind !== 'chunk') throw new Error('expected a chunk result')
  return result
}

/** `random` incompressible bytes, then zeros up to the probe size, then `tail`. */
function probeThenTail(random: number, tail: Buffer): Buffer {
  return Buffer.concat([seededBytes(3, random), Buffer.alloc(layout.probeSize - random), tail])
}

describe('createEntryJobProcessor at the deflate boundaries', () => {
  it('deflates an entry of exactly the probe size into one finished stream', () => {
    const run = createEntryJobProcessor(layout)
    const content = Buffer.from('ab'.repeat(layout.probeSize / 2))
    const result = filesResult(run, {
      kind: 'files',
      data: new Uint8Array(content),
      lengths: [content.length],
      deflate: [true],
    })
    const length = result.deflatedLengths[0] as number
    expect(length).toBeGreaterThan(0)
    expect(zlib.inflateRawSync(result.output.subarray(0, length)).equals(content)).toBe(true)
  })

  it('stores an entry whose first piece does not shrink, however well the rest would', () => {
    const run = createEntryJobProcessor(layout)
    let probesOfExactlyTheProbeSize = 0
    for (let random = 0; random <= layout.probeSize; random++) {
      const content = probeThenTail(random, Buffer.alloc(4 * layout.chunkSize))
      const probe = zlib.deflateRawSync(content.subarray(0, layout.probeSize), {
        level: layout.level,
        finishFlush: zlib.constants.Z_SYNC_FLUSH,
      })
      if (probe.length === layout.probeSize) probesOfExactlyTheProbeSize++
      const result = filesResult(run, {
        kind: 'files',
        data: new Uint8Array(content),
        lengths: [content.length],
        deflate: [true],
      })
      expect(result.deflatedLengths[0] === -1).toBe(probe.length >= layout.probeSize)
    }
    // The boundary itself was met: a first piece that deflates to exactly its own size.
    expect(probesOfExactlyTheProbeSize).toBeGreaterThan(0)
  })

  it('keeps an entry deflated only when all its pieces together are smaller than its content', () => {
    const run = createEntryJobProcessor(layout)
    const lengths: number[] = []
    for (let random = 0; random < layout.probeSize; random++) {
      // A first piece that shrinks a little, then incompressible pieces that each grow a little.
      const content = probeThenTail(random, seededBytes(4, 4 * layout.chunkSize))
      const result = filesResult(run, {
        kind: 'files',
        data: new Uint8Array(content),
        lengths: [content.length],
        deflate: [true],
      })
      const length = result.deflatedLengths[0] as number
      if (length !== -1) {
        expect(length).toBeLessThan(content.length)
        expect(zlib.inflateRawSync(result.output).equals(content)).toBe(true)
      }
      lengths.push(length)
    }
    // Both outcomes occur: deflated while the first piece saves more than the rest costs, then stored.
    expect(lengths[0]).toBeGreaterThan(0)
    expect(lengths.at(-1)).toBe(-1)
  })
})

describe('createEntryJobProcessor output space', () => {
  const text = Buffer.from('output space of just the right size\n'.repeat(40))

  it('writes a files job into given space of exactly the deflated length', () => {
    const run = createEntryJobProcessor(layout)
    const job = {
      kind: 'files',
      data: new Uint8Array(text),
      lengths: [text.length],
      deflate: [true],
    }
    const fresh = filesResult(run, { ...job, kind: 'files' })
    const space = new Uint8Array(fresh.output.length)
    const result = filesResult(run, { ...job, kind: 'files', output: space })
    expect(result.output.buffer).toBe(space.buffer)
    expect(Buffer.from(result.output).equals(Buffer.from(fresh.output))).toBe(true)
  })

  it('uses fresh memory for a files job whose given space is too small', () => {
    const run = createEntryJobProcessor(layout)
    const job = {
      kind: 'files',
      data: new Uint8Array(text),
      lengths: [text.length],
      deflate: [true],
    }
    const fresh = filesResult(run, { ...job, kind: 'files' })
    const space = new Uint8Array(fresh.output.length - 1)
    const result = filesResult(run, { ...job, kind: 'files', output: space })
    expect(result.output.buffer).not.toBe(space.buffer)
    expect(Buffer.from(result.output).equals(Buffer.from(fresh.output))).toBe(true)
  })

  it('writes a chunk into given space of exactly the deflated length', () => {
    const run = createEntryJobProcessor(layout)
    const job = { kind: 'chunk', data: new Uint8Array(text), dictionary: undefined, final: true }
    const fresh = chunkResult(run, { ...job, kind: 'chunk' })
    const space = new Uint8Array(fresh.output.length)
    const result = chunkResult(run, { ...job, kind: 'chunk', output: space })
    expect(result.output.buffer).toBe(space.buffer)
    expect(Buffer.from(result.output).equals(Buffer.from(fresh.output))).toBe(true)
  })

  it('hands a chunk back in memory of its own, sized to the piece, when no space fits', () => {
    const run = createEntryJobProcessor(layout)
    // Small and large pieces: zlib's output comes from its shared pool or from a larger buffer.
    for (const size of [200, 3000, 20_000, 100_000]) {
      const data = new Uint8Array(seededBytes(5, size))
      for (const output of [undefined, new Uint8Array(8)]) {
        const result = chunkResult(run, {
          kind: 'chunk',
          data,
          dictionary: undefined,
          final: true,
          ...(output === undefined ? {} : { output }),
        })
        expect(result.output.byteOffset).toBe(0)
        expect(result.output.buffer.byteLength).toBe(result.output.length)
        expect(zlib.inflateRawSync(result.output).equals(data)).toBe(true)
      }
    }
  })
})

describe('createEntryJobProcessor with a failed read', () => {
  it('returns no hashes and no deflated content for a job whose file could not be read', () => {
    const run = createEntryJobProcessor(layout)
    const text = Buffer.from('in memory, fine\n'.repeat(20))
    const data = new Uint8Array(text.length + 4)
    data.set(text)
    const result = filesResult(run, {
      kind: 'files',
      data,
      lengths: [text.length, 4],
      deflate: [true, true],
      readFrom: [null, '/nonexistent/packwright/missing.txt'],
      output: new Uint8Array(data.length),
    })
    expect(result.readFailures.map((failure) => failure.index)).toEqual([1])
    expect(result.crc32.length).toBe(0)
    expect(result.digests.length).toBe(0)
    expect(result.deflatedLengths).toEqual([])
    expect(result.output.length).toBe(0)
  })
})
