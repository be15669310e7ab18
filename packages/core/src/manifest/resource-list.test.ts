import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { ResourceList } from './resource-list.js'
import { type ResourceEntry } from './resource-manifest.js'

function entryOf(index: number): ResourceEntry {
  const content = `content ${index}`
  const link = index % 5 === 0
  return {
    path: `dir/file-${index}`,
    kind: link ? 'symlink' : 'file',
    size: content.length + index * 4096,
    mode: link ? '777' : index % 2 === 0 ? '755' : '644',
    sha1: createHash('sha1').update(content).digest('hex'),
    sha256: createHash('sha256').update(content).digest('hex'),
  }
}

describe('ResourceList', () => {
  it('gives back every entry as added, with hex digests, past its first capacity', () => {
    const entries = Array.from({ length: 1000 }, (_, index) => entryOf(index))
    const list = new ResourceList(3)
    const digests = new Uint8Array(52 * entries.length)
    entries.forEach((entry, index) => {
      digests.set(Buffer.from(entry.sha1 + entry.sha256, 'hex'), index * 52)
    })
    entries.forEach((entry, index) => {
      list.add(entry.path, entry.mode, entry.size, digests, index * 52)
    })
    expect(list.length).toBe(1000)
    expect(list.at(999)).toEqual(entries[999])
    expect(list.toArray()).toEqual(entries)
    expect([...list]).toEqual(entries)
    expect(list.at(1000)).toBeUndefined()
    expect(list.at(-1)).toBeUndefined()
  })

  it('keeps large sizes exactly', () => {
    const big = { ...entryOf(1), size: 5 * 1024 ** 3 + 7 }
    expect(ResourceList.from([big]).at(0)).toEqual(big)
  })

  it('refuses digests that are not lowercase hex of their length', () => {
    expect(() => ResourceList.from([{ ...entryOf(1), sha1: 'ABC' }])).toThrow(TypeError)
    expect(() => ResourceList.from([{ ...entryOf(1), sha256: 'x'.repeat(64) }])).toThrow(
      /Invalid digests/,
    )
  })
})
