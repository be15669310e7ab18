import { describe, expect, it } from 'vitest'
import { findNameTemplateProblems, packageFileName, renderNameTemplate } from './name-template.js'

const values = { repo: 'hello-pod', sha: 'a'.repeat(40), sha7: 'aaaaaaa', ref: 'main' }

describe('renderNameTemplate', () => {
  it('replaces every forbidden character of a value, not only the first', () => {
    expect(renderNameTemplate('pkg-{ref}', { ...values, ref: 'feature/a/b' })).toBe(
      'pkg-feature-a-b',
    )
  })

  it('replaces each kind of forbidden character, every time it occurs', () => {
    expect(
      renderNameTemplate('{ref}', { ...values, ref: 'a:b:c"d"e<f>g|h*i?j\\k\\l\rm\nn/o' }),
    ).toBe('a-b-c-d-e-f-g-h-i-j-k-l-m-n-o')
  })

  it('substitutes every placeholder, repeated ones too, and trims the template', () => {
    expect(renderNameTemplate('  {repo}-{sha7}-{sha7}-{sha}  ', values)).toBe(
      `hello-pod-aaaaaaa-aaaaaaa-${'a'.repeat(40)}`,
    )
  })

  it('substitutes the innermost braces and leaves unknown placeholders as written', () => {
    expect(renderNameTemplate('{{ref}}-{x}-{}', values)).toBe('{main}-{x}-{}')
  })
})

describe('findNameTemplateProblems', () => {
  it('accepts a template of known placeholders and safe text', () => {
    expect(findNameTemplateProblems('{repo}-{sha7}-{sha}-{ref}.zip')).toEqual([])
  })

  it('refuses an empty template', () => {
    expect(findNameTemplateProblems('  ')).toEqual([
      'is empty; give a name such as "{repo}-{sha7}"',
    ])
  })

  it('lists unknown placeholders once each, and forbidden literal characters by label', () => {
    expect(findNameTemplateProblems('{branch}:{branch}/{x}')).toEqual([
      'has unknown placeholder {branch}, {x}; the placeholders are {repo}, {sha}, {sha7}, {ref}',
      'contains characters artifact names cannot hold: colon :, forward slash / ' +
        '(the artifact service rejects them because some file systems cannot store them)',
    ])
  })

  it('counts empty braces as a placeholder, and the characters inside braces as its name', () => {
    expect(findNameTemplateProblems('{}-{a|b}-{{repo}}')).toEqual([
      'has unknown placeholder {}, {a|b}; the placeholders are {repo}, {sha}, {sha7}, {ref}',
    ])
  })
})

describe('packageFileName', () => {
  it('adds .zip unless the name already ends in it, in any case', () => {
    expect(packageFileName('pkg')).toBe('pkg.zip')
    expect(packageFileName('pkg.zip')).toBe('pkg.zip')
    expect(packageFileName('pkg.ZIP')).toBe('pkg.ZIP')
    expect(packageFileName('pkg.zipx')).toBe('pkg.zipx.zip')
  })
})
