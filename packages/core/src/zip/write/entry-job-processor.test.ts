import * as crypto from 'node:crypto'
import * as zlib from 'node:zlib'
import { describe, expect, it } from 'vitest'
import {
  DIGESTS_BYTES,
  type FilesJobResult,
  createEntryJobProcessor,
} from './entry-job-processor.js'

const layout = { level: 6, probeSize: 1024, chunkSize: 4096, dictionarySize: 2048 }
const process_ = createEntryJobProcessor(layout)

function seededBytes(seed: number, size: number): Buffer {
  return crypto
    .createCipheriv('aes-128-ctr', Buffer.alloc(16, seed), Buffer.alloc(16))
    .update(Buffer.alloc(size))
}

function runFiles(contents: Buffer[], deflate: boolean[]): FilesJobResult {
  const result = process_({
    kind: 'files',
    data: new Uint8Array(Buffer.concat(contents)),
    lengths: contents.map((content) => content.length),
    deflate,
  })
  if (result.kind !== 'files') throw new Error('expected a files result')
  return result
}

describe('createEntryJobProcessor', () => {
  it('hashes every entry and deflates the compressible ones into inflatable streams', () => {
    const text = Buffer.from('the quick brown fox jumps over the lazy dog\n'.repeat(700))
    const small = Buffer.from('hello hello hello hello hello')
    const result = runFiles([text, small], [true, true])
    expect([...result.crc32]).toEqual([zlib.crc32(text), zlib.crc32(small)])
    const digests = Buffer.from(result.digests)
    expect(digests.length).toBe(2 * DIGESTS_BYTES)
    expect(digests.toString('hex', 0, 20)).toBe(
      crypto.createHash('sha1').update(text).digest('hex'),
    )
    expect(digests.toString('hex', 20, DIGESTS_BYTES)).toBe(
      crypto.createHash('sha256').update(text).digest('hex'),
    )
    expect(digests.toString('hex', DIGESTS_BYTES, DIGESTS_BYTES + 20)).toBe(
      crypto.createHash('sha1').update(small).digest('hex'),
    )
    expect(digests.toString('hex', DIGESTS_BYTES + 20)).toBe(
      crypto.createHash('sha256').update(small).digest('hex'),
    )
    const [first, second] = result.deflatedLengths as [number, number]
    expect(first).toBeGreaterThan(0)
    expect(first).toBeLessThan(text.length)
    expect(zlib.inflateRawSync(result.output.subarray(0, first)).equals(text)).toBe(true)
    expect(zlib.inflateRawSync(result.output.subarray(first, first + second)).equals(small)).toBe(
      true,
    )
  })

  it('stores content that deflate does not shrink, and content it is told to store', () => {
    const random = seededBytes(1, 300)
    const text = Buffer.from('abc'.repeat(100))
    const result = runFiles([random, text], [true, false])
    expect(result.deflatedLengths).toEqual([-1, -1])
    expect(result.output.length).toBe(0)
    expect(Buffer.from(result.data).equals(Buffer.concat([random, text]))).toBe(true)
  })

  it('stores a large entry whose first piece is incompressible without deflating the rest', () => {
    const mixed = Buffer.concat([seededBytes(2, layout.probeSize), Buffer.alloc(20_000)])
    expect(runFiles([mixed], [true]).deflatedLengths).toEqual([-1])
  })

  it('cuts large entries into primed pieces that concatenate into one valid stream', () => {
    const words = Array.from({ length: 3000 }, (_, i) => `w${(i * 7919) % 613}`).join(' ')
    const content = Buffer.from(words)
    expect(content.length).toBeGreaterThan(layout.probeSize + 2 * layout.chunkSize)
    const result = runFiles([content], [true])
    const length = result.deflatedLengths[0] as number
    expect(zlib.inflateRawSync(result.output.subarray(0, length)).equals(content)).toBe(true)

    // The same stream, built piece by piece through chunk jobs.
    const pieces: Uint8Array[] = []
    const cuts = [0, layout.probeSize]
    for (let at = layout.probeSize + layout.chunkSize; at < content.length; at += layout.chunkSize)
      cuts.push(at)
    cuts.push(content.length)
    for (let i = 0; i + 1 < cuts.length; i++) {
      const start = cuts[i] as number
      const end = cuts[i + 1] as number
      const done = process_({
        kind: 'chunk',
        data: content.subarray(start, end),
        dictionary:
          start === 0
            ? undefined
            : content.subarray(Math.max(0, start - layout.dictionarySize), start),
        final: end === content.length,
      })
      if (done.kind !== 'chunk') throw new Error('expected a chunk result')
      pieces.push(done.output)
    }
    expect(Buffer.concat(pieces).equals(result.output.subarray(0, length))).toBe(true)
  })

  it('writes into the given output space and hands the input back, with the same bytes', () => {
    const text = Buffer.from('reuse the same memory for every piece\n'.repeat(300))
    const files = process_({
      kind: 'files',
      data: new Uint8Array(text),
      lengths: [text.length],
      deflate: [true],
      output: new Uint8Array(text.length),
    })
    const fresh = runFiles([text], [true])
    if (files.kind !== 'files') throw new Error('expected a files result')
    expect(files.output.byteOffset).toBe(0)
    expect(files.output.buffer.byteLength).toBe(text.length)
    expect(Buffer.from(files.output).equals(Buffer.from(fresh.output))).toBe(true)

    const data = new Uint8Array(text)
    const space = new Uint8Array(text.length + 64)
    const chunk = process_({
      kind: 'chunk',
      data,
      dictionary: undefined,
      final: true,
      output: space,
    })
    if (chunk.kind !== 'chunk') throw new Error('expected a chunk result')
    expect(chunk.data).toBe(data)
    expect(chunk.output.buffer).toBe(space.buffer)
    expect(zlib.inflateRawSync(chunk.output).equals(text)).toBe(true)
    // Too little space: the piece comes back in memory of its own, still whole.
    const cramped = process_({
      kind: 'chunk',
      data,
      dictionary: undefined,
      final: true,
      output: new Uint8Array(8),
    })
    if (cramped.kind !== 'chunk') throw new Error('expected a chunk result')
    expect(Buffer.from(cramped.output).equals(Buffer.from(chunk.output))).toBe(true)
  })
})
