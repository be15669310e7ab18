import { describe, expect, it } from 'vitest'

import { ZipNameTree } from './zip-name-tree.js'

describe('ZipNameTree', () => {
  it('splits an edge where a shorter name ends inside a stored one', () => {
    const tree = new ZipNameTree<string>()
    const deep = tree.insert('x/y/z', 'deep')
    const shallow = tree.insert('x/y', 'shallow')
    expect(shallow.path).toBe('x/y')
    expect(shallow.value).toBe('shallow')
    expect(shallow.parent).toBe(tree.root)
    expect(deep.parent).toBe(shallow)
    expect([...shallow.children.keys()]).toEqual(['z'])
  })

  it('splits an edge at the last folder two names share', () => {
    const tree = new ZipNameTree<string>()
    const first = tree.insert('a/b', 'first')
    const second = tree.insert('a/bc', 'second')
    const split = first.parent
    expect(split?.path).toBe('a')
    expect(second.parent).toBe(split)
    expect([...(split?.children.keys() ?? [])]).toEqual(['b', 'bc'])
  })
})

describe('NameTreeCursor', () => {
  it('is detached after stepping into a segment no stored name continues with', () => {
    const tree = new ZipNameTree<string>()
    tree.insert('a', 'link')
    const cursor = tree.cursor()
    expect(cursor.detached).toBe(false)
    expect(cursor.enter('b')).toBeUndefined()
    expect(cursor.detached).toBe(true)
  })

  it('does not look a segment up once detached, and counts it to climb back out', () => {
    const tree = new ZipNameTree<string>()
    tree.insert('a', 'link')
    const cursor = tree.cursor()
    cursor.enterUnknown()
    expect(cursor.enter('a')).toBeUndefined()
    expect(cursor.detached).toBe(true)
    expect(cursor.leave()).toBe(true)
    expect(cursor.detached).toBe(true)
    expect(cursor.leave()).toBe(true)
    expect(cursor.detached).toBe(false)
    expect(cursor.enter('a')).toBe('link')
  })

  it('only continues along an edge with a whole segment of the stored path', () => {
    const tree = new ZipNameTree<string>()
    tree.insert('xy/ab', 'link')
    const cursor = tree.cursor()
    expect(cursor.enter('xy')).toBeUndefined()
    expect(cursor.detached).toBe(false)
    expect(cursor.enter('a')).toBeUndefined()
    expect(cursor.detached).toBe(true)
    expect(cursor.leave()).toBe(true)
    expect(cursor.enter('ab')).toBe('link')
  })
})
