import { createHash } from 'node:crypto'
import { type FileHandle, mkdtemp, open, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ZipFileSink } from './zip-file-sink.js'

const KIB = 1024
const MIB = 1024 * KIB

let work: string
let handle: FileHandle
let path: string
beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'packwright-sink-'))
  path = join(work, 'out.bin')
  handle = await open(path, 'w')
})
afterEach(async () => {
  await handle.close().catch(() => undefined)
  await rm(work, { recursive: true, force: true })
})

/** `size` bytes that differ from one call to the next. */
function bytes(size: number, seed: number): Uint8Array {
  const out = new Uint8Array(size)
  for (let i = 0; i < size; i++) out[i] = (i * 31 + seed * 17) & 0xff
  return out
}

function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex')
}

describe('ZipFileSink', () => {
  it('writes short and long appends in the order given, and hashes and counts them', async () => {
    const sink = new ZipFileSink(handle)
    const parts = [bytes(10, 1), bytes(64 * KIB, 2), bytes(64 * KIB - 1, 3), bytes(5, 4)]
    expect(sink.append(new Uint8Array(0))).toBe(false)
    for (const part of parts) expect(sink.append(part)).toBe(false)
    expect(sink.offset).toBe(128 * KIB + 14)
    await sink.flush()
    const expected = Buffer.concat(parts)
    const written = await readFile(path)
    expect(written.equals(expected)).toBe(true)
    expect(sink.digest()).toBe(sha256(expected))
  })

  it('asks for a flush once 1 MiB is pending, and not a byte before', async () => {
    const sink = new ZipFileSink(handle)
    expect(sink.append(bytes(MIB - 1, 1))).toBe(false)
    expect(sink.append(bytes(1, 2))).toBe(true)
    await sink.flush()
    expect(sink.append(bytes(64 * KIB - 1, 3))).toBe(false)
    // Short appends count too.
    for (let i = 0; i < 15; i++) expect(sink.append(bytes(64 * KIB, 4 + i))).toBe(false)
    expect(sink.append(bytes(1, 20))).toBe(true)
  })

  it('copies short appends, so the caller may reuse them at once, but holds long ones until flushed', async () => {
    const sink = new ZipFileSink(handle)
    const short = bytes(64 * KIB - 1, 1)
    const long = bytes(64 * KIB, 2)
    const expected = Buffer.concat([short, long])
    const calls: string[] = []
    sink.append(short)
    sink.afterFlush(() => calls.push('short'))
    // Copied: the callback ran at once, and the caller may overwrite its buffer.
    expect(calls).toEqual(['short'])
    short.fill(0)
    sink.append(long)
    sink.afterFlush(() => calls.push('long'))
    expect(calls).toEqual(['short'])
    sink.afterFlush(() => calls.push('nothing new'))
    expect(calls).toEqual(['short', 'nothing new'])
    await sink.flush()
    expect(calls).toEqual(['short', 'nothing new', 'long'])
    expect((await readFile(path)).equals(expected)).toBe(true)
  })

  it('runs a callback held before a flush after that flush, not after a later one', async () => {
    const sink = new ZipFileSink(handle)
    const calls: string[] = []
    sink.append(bytes(MIB, 1))
    sink.afterFlush(() => calls.push('first'))
    await sink.flush()
    expect(calls).toEqual(['first'])
    sink.append(bytes(10, 2))
    sink.afterFlush(() => calls.push('second'))
    expect(calls).toEqual(['first', 'second'])
  })

  it('keeps a private copy of short appends past the staging space, in order', async () => {
    const sink = new ZipFileSink(handle)
    const parts: Uint8Array[] = []
    // 20 short appends of 64 KiB - 1 without flushing: past the 1 MiB + 64 KiB staged.
    for (let i = 0; i < 20; i++) {
      const part = bytes(64 * KIB - 1, i)
      parts.push(part.slice())
      sink.append(part)
      part.fill(0xee)
    }
    const long = bytes(100 * KIB, 99)
    parts.push(long)
    sink.append(long)
    parts.push(bytes(3, 100))
    sink.append(bytes(3, 100))
    await sink.flush()
    // The staging space is free again after a flush.
    const after = bytes(1000, 7)
    sink.append(after)
    parts.push(after.slice())
    after.fill(0)
    await sink.flush()
    const expected = Buffer.concat(parts)
    const written = await readFile(path)
    expect(written.length).toBe(expected.length)
    expect(written.equals(expected)).toBe(true)
    expect(sink.digest()).toBe(sha256(expected))
  })

  it('finishes a short write by writing the rest', async () => {
    // A regular file never takes part of a write; this handle passes on at most 1,000 bytes a call.
    const partial = {
      writev: async (buffers: Uint8Array[]) => {
        const all = Buffer.concat(buffers)
        const { bytesWritten } = await handle.write(all, 0, Math.min(all.length, 1000))
        return { bytesWritten, buffers }
      },
    } as unknown as FileHandle
    const sink = new ZipFileSink(partial)
    const parts = [bytes(700, 1), bytes(64 * KIB, 2), bytes(1300, 3)]
    for (const part of parts) sink.append(part)
    await sink.flush()
    expect((await readFile(path)).equals(Buffer.concat(parts))).toBe(true)
  })

  it('ignores an empty append, even with a flush due', () => {
    const sink = new ZipFileSink(handle)
    expect(sink.append(bytes(MIB, 1))).toBe(true)
    expect(sink.append(new Uint8Array(0))).toBe(false)
    expect(sink.offset).toBe(MIB)
  })

  it('stages short appends in one buffer: hundreds of them do not ask for a flush', async () => {
    const sink = new ZipFileSink(handle)
    const parts: Uint8Array[] = []
    for (let i = 0; i < 600; i++) {
      const part = bytes(1 + (i % 3), i)
      parts.push(part)
      expect(sink.append(part)).toBe(false)
    }
    await sink.flush()
    expect((await readFile(path)).equals(Buffer.concat(parts))).toBe(true)
  })

  it('does not touch the file when nothing is pending', async () => {
    const sink = new ZipFileSink(handle)
    await handle.close()
    await expect(sink.flush()).resolves.toBeUndefined()
  })
})
