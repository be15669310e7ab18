import { describe, expect, it } from 'vitest'
import { SourceEntryIndex } from './source-entry-index.js'

describe('SourceEntryIndex', () => {
  const entry = (path: string) => ({ path, kind: 'file' as const, size: 0, executable: false })
  const index = new SourceEntryIndex(['a0', 'a/b/c', 'a-b', 'a/b', 'B', 'ab/x'].map(entry))

  it('lists a folder prefix in code-unit order, never a sibling sharing the prefix', () => {
    expect(index.list('').map((e) => e.path)).toEqual(['B', 'a-b', 'a/b', 'a/b/c', 'a0', 'ab/x'])
    expect(index.list('a').map((e) => e.path)).toEqual(['a/b', 'a/b/c'])
    expect(index.list('a/b').map((e) => e.path)).toEqual(['a/b/c'])
    expect(index.list('ab').map((e) => e.path)).toEqual(['ab/x'])
    expect(index.list('a0')).toEqual([])
    expect(index.list('zz')).toEqual([])
  })

  it('sorts entries given out of order before listing or searching them', () => {
    const unsorted = new SourceEntryIndex(['z', 'b/y', 'a', 'b/x', 'B'].map(entry))
    expect(unsorted.list('').map((e) => e.path)).toEqual(['B', 'a', 'b/x', 'b/y', 'z'])
    expect(unsorted.list('b').map((e) => e.path)).toEqual(['b/x', 'b/y'])
    expect(unsorted.size).toBe(5)
  })
})
