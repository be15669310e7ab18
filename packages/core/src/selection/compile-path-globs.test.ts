import { describe, expect, it } from 'vitest'
import { PackwrightError } from '../errors.js'
import { compilePathGlobs } from './compile-path-globs.js'

function matches(pattern: string, path: string): boolean {
  return compilePathGlobs([pattern], 'include')(path)
}

function syntaxFailure(pattern: string): PackwrightError {
  try {
    compilePathGlobs([pattern], 'exclude')
  } catch (error) {
    expect(error).toBeInstanceOf(PackwrightError)
    return error as PackwrightError
  }
  throw new Error(`expected ${JSON.stringify(pattern)} to be refused`)
}

/** Milliseconds `run` takes. */
function timed(run: () => void): number {
  const started = performance.now()
  run()
  return performance.now() - started
}

describe('compilePathGlobs', () => {
  it('matches every path with the default include, as the automaton for ** does', () => {
    const everything = compilePathGlobs(['**'], 'include')
    const twice = compilePathGlobs(['**', '**'], 'include')
    const spelledOut = compilePathGlobs(['**/*'], 'include')
    for (const path of [
      'a',
      '.env',
      'a/.b/c',
      'deep/'.repeat(40) + 'x',
      'é/😀 x',
      'line\nbreak',
      '*',
    ]) {
      expect(everything(path)).toBe(true)
      expect(twice(path)).toBe(true)
      expect(spelledOut(path)).toBe(true)
    }
  })

  it.each([
    ['**', '.env', true],
    ['*.md', 'docs/a.md', false],
    ['**/*.md', 'a.md', true],
    ['a/**/b', 'a/b', true],
    ['a/**/b', 'a/x/y/b', true],
    ['a/**', 'a', false],
    ['a/**', 'a/b/c', true],
    ['a/', 'a', false],
    ['a/', 'a/b', true],
    ['a**b', 'a/x/b', false],
    ['?.txt', 'é.txt', true],
    ['?.txt', '😀.txt', true],
    ['[!a].txt', 'a.txt', false],
    ['[^a].txt', 'b.txt', true],
    ['[[:digit:]]*', '7up', true],
    ['[a-c]x', 'bx', true],
    ['[a-c]x', '/x', false],
    ['*.{js,ts}', 'a.ts', true],
    ['src/{a,b/c}/*.js', 'src/b/c/x.js', true],
    ['file{1..3}.txt', 'file2.txt', true],
    ['file{1..3}.txt', 'file4.txt', false],
    ['v{a..c}', 'vb', true],
    ['{a}', '{a}', true],
    ['@(a|b).txt', 'b.txt', true],
    ['+(ab).txt', 'ababab.txt', true],
    ['+(ab).txt', '.txt', false],
    ['*(ab).txt', '.txt', true],
    ['?(a).txt', 'aa.txt', false],
    ['(a|b)/x', 'a/x', true],
    ['a\\*b', 'a*b', true],
    ['a\\*b', 'axb', false],
    ['./src/', 'src/a.ts', true],
    ['line\nbreak', 'line\nbreak', true],
    ['*', 'a\nb', true],
  ])('%j matches %j: %s', (pattern, path, expected) => {
    expect(matches(pattern, path)).toBe(expected)
  })

  it.each([
    ['a `!(…)` group, which has no linear-time matcher', 'src/!(*.test).ts', '`!(…)`'],
    ['an unclosed parenthesis', '@(a|b', 'Missing closing ")"'],
    ['a range of too many values', 'f{1..100000}', 'more than 1000 values'],
    ['groups nested too deep', `${'@('.repeat(40)}a${')'.repeat(40)}`, 'more than 32 deep'],
  ])('refuses %s as SELECTION_PATTERN_INVALID', (_title, pattern, reason) => {
    const failure = syntaxFailure(pattern)
    expect(failure.code).toBe('SELECTION_PATTERN_INVALID')
    expect(failure.message).toContain(reason)
  })

  describe('takes time linear in the path, whatever the pattern', () => {
    // Each of these takes picomatch's backtracking regular expressions minutes or more.
    const name = 'a'.repeat(4000)

    it('40 stars against 4,000-character names', () => {
      const exclude = compilePathGlobs(['*a'.repeat(40) + 'b', '*a*a*a*a*a*a*a*a*a*a*b'], 'exclude')
      const elapsed = timed(() => {
        expect(exclude(name)).toBe(false)
        expect(exclude(`${'a'.repeat(45)}`)).toBe(false)
        expect(exclude(`${name}b`)).toBe(true)
        expect(exclude(`${name}b/inside.txt`)).toBe(true)
      })
      expect(elapsed).toBeLessThan(2000)
    })

    it('runs of `**/` against a path of 2,000 folders', () => {
      const deep = Array.from({ length: 2000 }, () => 'a').join('/')
      const include = compilePathGlobs(['**/a/**/a/**/a/**/a/**/a/**/a/**/b'], 'include')
      const elapsed = timed(() => {
        expect(include(deep)).toBe(false)
        expect(include(`${deep}/b`)).toBe(true)
      })
      expect(elapsed).toBeLessThan(2000)
    })

    it('nested repeated groups against long names', () => {
      const exclude = compilePathGlobs(['+(+(a|aa)|*(a))b', '*(?|a)*(a|?)c'], 'exclude')
      const elapsed = timed(() => {
        expect(exclude(name)).toBe(false)
        expect(exclude(`${name}b`)).toBe(true)
      })
      expect(elapsed).toBeLessThan(2000)
    })
  })
})
