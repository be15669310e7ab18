import { describe, expect, it } from 'vitest'
import { parseYamlMapping } from './parse-yaml-mapping.js'

describe('parseYamlMapping', () => {
  it('shows the offending line with a caret under the column', () => {
    const result = parseYamlMapping('version: v1\nkind: Spicepod\nname: "unclosed')
    expect(result).toEqual({
      ok: false,
      reason: 'Missing closing "quote at line 3, column 16',
      excerpt: 'name: "unclosed\n               ^',
    })
  })

  it('keeps the line before for context when the library gives it', () => {
    const result = parseYamlMapping('name: a\nname: b\n')
    expect(result).toMatchObject({ ok: false, excerpt: 'name: a\nname: b\n^' })
  })

  it('gives no excerpt when the problem is not at a position', () => {
    expect(parseYamlMapping('- a\n- b\n')).toEqual({
      ok: false,
      reason: 'the document must be a mapping of keys to values, but it is a list',
    })
  })
})
