import { describe, expect, it } from 'vitest'
import { parseYamlMapping } from './parse-yaml-mapping.js'

const aliases = (count: number) => `a: &a [1]\nb: [${Array(count).fill('*a').join(', ')}]\n`

describe('parseYamlMapping results', () => {
  it.each([
    ['', 'empty'],
    ['null\n', 'empty'],
    ['42\n', 'a number'],
    ['hello\n', 'a string'],
    ['- a\n', 'a list'],
  ])('says what a document %j is when it is not a mapping', (text, actual) => {
    expect(parseYamlMapping(text)).toEqual({
      ok: false,
      reason: `the document must be a mapping of keys to values, but it is ${actual}`,
    })
  })

  it('reads the core schema: yes stays a string, hex is a number, ~ is null', () => {
    expect(parseYamlMapping('a: yes\nb: 0x10\nc: ~\n')).toEqual({
      ok: true,
      value: { a: 'yes', b: 16, c: null },
    })
  })

  it('refuses a tag outside the core schema, without the trailing colon of the message', () => {
    expect(parseYamlMapping('a: !custom x\n')).toEqual({
      ok: false,
      reason: 'Unresolved tag: !custom at line 1, column 4',
      excerpt: 'a: !custom x\n   ^^^^^^^',
    })
  })

  it('refuses a tag the library knows outside the core schema, such as !!binary', () => {
    expect(parseYamlMapping('a: !!binary aGk=\n')).toMatchObject({
      ok: false,
      reason: 'Unresolved tag: tag:yaml.org,2002:binary at line 1, column 4',
    })
  })

  it('reads a document whose only warning is not about a tag', () => {
    expect(parseYamlMapping('%YAML 1.3\n---\na: 1\n')).toEqual({ ok: true, value: { a: 1 } })
  })

  it('refuses several documents, and trims blank lines around the excerpt', () => {
    expect(parseYamlMapping('a: 1\n---\nb: 2\n')).toEqual({
      ok: false,
      reason:
        'Source contains multiple documents; please use YAML.parseAllDocuments() at line 2, column 1',
      excerpt: 'a: 1\n---\n^',
    })
    expect(parseYamlMapping('a: [1, 2\n')).toEqual({
      ok: false,
      reason:
        'Flow sequence in block collection must be sufficiently indented and end with a ] at line 2, column 1',
      excerpt: 'a: [1, 2\n\n^',
    })
  })

  it("keeps the library's cut of long excerpt lines, and cuts reasons after 300 characters", () => {
    const key = 'k'.repeat(320)
    expect(parseYamlMapping(`${key}: 1\n${key}: 2\n`)).toEqual({
      ok: false,
      reason: 'Map keys must be unique at line 2, column 1',
      excerpt: `${'k'.repeat(79)}…\n${'k'.repeat(79)}…\n^`,
    })
    const tag = `!${'t'.repeat(400)}`
    const result = parseYamlMapping(`a: ${tag} x\n`)
    expect(result).toMatchObject({
      ok: false,
      reason: `Unresolved tag: ${tag}`.slice(0, 300) + '…',
    })
    const exact = parseYamlMapping(`a: !${'t'.repeat(100)} x\n`)
    expect(exact.ok === false && exact.reason.endsWith('column 4')).toBe(true)
  })

  it('stops alias expansion at 20 by default, or at the limit given', () => {
    expect(parseYamlMapping(aliases(21))).toEqual({
      ok: false,
      reason: 'Excessive alias count indicates a resource exhaustion attack',
    })
    expect(parseYamlMapping(aliases(21), { maxAliasCount: 1000 }).ok).toBe(true)
    expect(parseYamlMapping(aliases(3), { maxAliasCount: 2 }).ok).toBe(false)
  })
})
