import { describe, expect, it } from 'vitest'
import { DEFAULT_IGNORED_NAMES, isDefaultIgnored } from './default-ignored-names.js'

describe('isDefaultIgnored', () => {
  it.each(DEFAULT_IGNORED_NAMES)('ignores %s as a whole segment at any depth', (name) => {
    expect(isDefaultIgnored(name)).toBe(true)
    expect(isDefaultIgnored(`${name}/config`)).toBe(true)
    expect(isDefaultIgnored(`src/${name}`)).toBe(true)
    expect(isDefaultIgnored(`src/deep/${name}/objects/pack`)).toBe(true)
  })

  it.each([
    '.github/workflows/ci.yml',
    '.gitignore',
    'src/.gitkeep',
    'x.git',
    'a/b.git/c',
    'my.hg',
    '.svn-base/x',
    'darcs/_darcs.txt',
    '.DS_Store.txt',
    'a/x.DS_Store',
    '.git.',
    'a/.gi/t',
  ])('keeps %s, where a name is only part of a segment', (path) => {
    expect(isDefaultIgnored(path)).toBe(false)
  })

  it('finds a name that first appears inside another segment of the path', () => {
    expect(isDefaultIgnored('x.git/.git')).toBe(true)
    expect(isDefaultIgnored('.github/.git/HEAD')).toBe(true)
    expect(isDefaultIgnored('a.hg/b/.hg')).toBe(true)
  })
})
