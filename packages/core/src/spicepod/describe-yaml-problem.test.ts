import { describe, expect, it } from 'vitest'
import { describeYamlProblem } from './describe-yaml-problem.js'

describe('describeYamlProblem', () => {
  it('splits a message into its first line, without the closing colon, and the excerpt', () => {
    expect(
      describeYamlProblem('Map keys must be unique at line 2, column 1:\n\nname: a\nname: b\n^\n'),
    ).toStrictEqual({
      reason: 'Map keys must be unique at line 2, column 1',
      excerpt: 'name: a\nname: b\n^',
    })
  })

  it('gives a reason alone, with no excerpt field, for a message of one line', () => {
    const problem = describeYamlProblem(
      'Excessive alias count indicates a resource exhaustion attack',
    )
    expect(problem).toStrictEqual({
      reason: 'Excessive alias count indicates a resource exhaustion attack',
    })
    expect('excerpt' in problem).toBe(false)
  })

  it.each([
    ['only blank lines after the first', 'Problem:\n\n  \n\n'],
    ['no caret line at the end', 'Problem:\n\nname: a\nname: b\n'],
    ['text before the carets', 'Problem:\n\nname: a\nx ^^\n'],
    ['text after the carets', 'Problem:\n\nname: a\n^^ x\n'],
  ])('gives no excerpt when the later lines hold %s', (_, message) => {
    expect(describeYamlProblem(message)).toStrictEqual({ reason: 'Problem' })
  })

  it('keeps a caret line with spaces on either side, and trims blank lines around the excerpt', () => {
    expect(describeYamlProblem('Problem:\n\n \n  a: !x y\n     ^^  \n  \n\n')).toStrictEqual({
      reason: 'Problem',
      excerpt: '  a: !x y\n     ^^  ',
    })
  })

  it('cuts excerpt lines after 200 characters, and keeps a line of exactly 200', () => {
    const exact = 'e'.repeat(200)
    const long = 'l'.repeat(201)
    expect(describeYamlProblem(`Problem:\n\n${exact}\n${long}\n^\n`)).toStrictEqual({
      reason: 'Problem',
      excerpt: `${exact}\n${'l'.repeat(200)}…\n^`,
    })
  })

  it('keeps a first line of exactly 300 characters and cuts a longer one', () => {
    const exact = `${'r'.repeat(299)}:`
    expect(describeYamlProblem(exact)).toStrictEqual({ reason: 'r'.repeat(299) })
    expect(describeYamlProblem(`${'r'.repeat(300)}:`)).toStrictEqual({
      reason: `${'r'.repeat(300)}…`,
    })
  })

  it('removes only a colon that closes the reason', () => {
    expect(describeYamlProblem('Unresolved tag: !x at line 1, column 4')).toStrictEqual({
      reason: 'Unresolved tag: !x at line 1, column 4',
    })
  })
})
