import { describe, expect, it } from 'vitest'
import { type SourceEntry } from '../source/source-reader.js'
import { resolveSymlinkTarget } from './resolve-symlink-target.js'

function links(map: Record<string, string>) {
  return (path: string): SourceEntry | undefined => {
    const target = map[path]
    return target === undefined
      ? undefined
      : { path, kind: 'symlink', size: target.length, executable: false, linkTarget: target }
  }
}

describe('resolveSymlinkTarget', () => {
  it.each([
    ['a/l', 'x.txt', 'a/x.txt'],
    ['a/l', '../b/./x.txt', 'b/x.txt'],
    ['l', '.', ''],
    ['a/b/l', '../../c/', 'c'],
  ])('resolves %s -> %s lexically to %s', async (link, target, expected) => {
    expect(await resolveSymlinkTarget(link, target, links({}))).toEqual({
      kind: 'inside',
      path: expected,
    })
  })

  it('substitutes symlinks met on the way, with physical `..` semantics', async () => {
    const lookup = links({ 'a/dir': '../deep/er' })
    expect(await resolveSymlinkTarget('a/l', 'dir/../x', lookup)).toEqual({
      kind: 'inside',
      path: 'deep/x',
    })
  })

  it.each([
    ['l', '/etc/passwd', 'absolute'],
    ['l', 'C:\\Windows', 'absolute'],
    ['l', '', 'empty'],
    ['a/l', '../../x', '`..`'],
    ['l', '../root/x', '`..`'],
  ])('reports %s -> %s as escaping (%s)', async (link, target, reason) => {
    const result = await resolveSymlinkTarget(link, target, links({}))
    expect(result.kind).toBe('escapes')
    expect(result.kind === 'escapes' && result.reason).toContain(reason)
  })

  it('reports an escape through another symlink', async () => {
    const result = await resolveSymlinkTarget('a/l', 'up/x', links({ 'a/up': '../..' }))
    expect(result).toMatchObject({ kind: 'escapes' })
  })

  it('reports a cycle instead of looping forever', async () => {
    expect(await resolveSymlinkTarget('p', 'q', links({ p: 'q', q: 'p' }))).toEqual({
      kind: 'cycle',
    })
  })
})
