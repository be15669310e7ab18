import { describe, expect, it } from 'vitest'
import { createBufferPool } from './create-buffer-pool.js'

describe('createBufferPool', () => {
  it('hands a given-back buffer out again for a request it can hold', () => {
    const pool = createBufferPool(2, 1024)
    const first = pool.take(100)
    expect(first.length).toBe(100)
    expect(first.buffer.byteLength).toBe(1024)
    pool.give(first.buffer)
    const second = pool.take(1000)
    expect(second.buffer).toBe(first.buffer)
    expect(second.byteOffset).toBe(0)
    expect(second.length).toBe(1000)
  })

  it('allocates a new buffer when the free ones are too small, and keeps at most `keep`', () => {
    const pool = createBufferPool(1, 16)
    const small = pool.take(16)
    const other = pool.take(16)
    pool.give(small.buffer)
    pool.give(other.buffer)
    const large = pool.take(64)
    expect(large.buffer).not.toBe(small.buffer)
    expect(large.buffer.byteLength).toBe(64)
    expect(pool.take(16).buffer).toBe(small.buffer)
    expect(pool.take(16).buffer).not.toBe(other.buffer)
  })

  it('drops a buffer that was moved to another thread', () => {
    const pool = createBufferPool(2, 16)
    const taken = pool.take(16)
    const moved = structuredClone(taken.buffer, { transfer: [taken.buffer as ArrayBuffer] })
    expect(moved.byteLength).toBe(16)
    pool.give(taken.buffer)
    // A detached buffer kept in the pool would be handed out for an empty request, and fail there.
    expect(pool.take(0).buffer.byteLength).toBe(16)
  })

  it('counts the buffers it creates, not those it hands out again', () => {
    const pool = createBufferPool(4, 8)
    expect(pool.created).toBe(0)
    const first = pool.take(4)
    expect(pool.created).toBe(1)
    pool.give(first.buffer)
    pool.take(8)
    expect(pool.created).toBe(1)
    pool.take(8)
    expect(pool.created).toBe(2)
  })

  it('keeps only plain ArrayBuffers it can hand out again', () => {
    const pool = createBufferPool(2, 16)
    pool.give(new SharedArrayBuffer(64))
    expect(pool.take(32).buffer).toBeInstanceOf(ArrayBuffer)
    expect(pool.created).toBe(1)
  })
})
