import { describe, expect, it } from 'vitest'
import { GitignoreRuleSet } from './gitignore-rule-set.js'

function rules(text: string): GitignoreRuleSet {
  const set = new GitignoreRuleSet()
  set.add(text)
  return set
}

describe('GitignoreRuleSet', () => {
  it.each([
    ['*.log', 'sub/a.log', false, 'ignored'],
    ['*.log\n!keep.log', 'keep.log', false, 'unignored'],
    ['build/', 'sub/build', true, 'ignored'],
    ['build/', 'build', false, undefined],
    ['/root.txt', 'sub/root.txt', false, undefined],
    ['docs/*.md', 'docs/x/a.md', false, undefined],
    ['a/**/b', 'a/x/y/b', false, 'ignored'],
    ['**/foo', 'x/y/foo', true, 'ignored'],
    ['foo/**', 'foo', true, undefined],
    ['foo/**', 'foo/x/y', false, 'ignored'],
    ['\\#x\n\\!y', '#x', false, 'ignored'],
    ['\\#x\n\\!y', '!y', false, 'ignored'],
    ['# a comment', '# a comment', false, undefined],
    ['trail  ', 'trail', false, 'ignored'],
    ['sp\\ ', 'sp ', false, 'ignored'],
    ['[!a]*.c', 'a.c', false, undefined],
    ['[!a]*.c', 'b.c', false, 'ignored'],
    ['a[', 'a[', false, undefined],
    ['*.LOG', 'Sub/A.log', false, 'ignored'],
    ['[A-C].txt', 'b.TXT', false, 'ignored'],
    ['*.txt\r\n!/x/*.txt\r\n', 'x/q.txt', false, 'unignored'],
  ] as const)('%j decides %j (folder: %s) as %s', (text, path, isDirectory, expected) => {
    expect(rules(text).test(path, isDirectory)).toBe(expected)
  })

  it('lets the later file of a folder win over the earlier one', () => {
    const set = rules('*.tmp\n')
    set.add('!keep.tmp\n')
    expect(set.test('keep.tmp', false)).toBe('unignored')
    expect(set.test('x.tmp', false)).toBe('ignored')
  })

  it('takes time linear in the path with adversarial rules, many rules and long names', () => {
    const text = [
      '*a'.repeat(40) + 'b',
      '**/a/**/a/**/a/**/a/**/a/**/b/',
      ...Array.from({ length: 5000 }, (_, index) => `*a*a*a*a*a*a*a*a*a*a*${index}`),
      ...Array.from({ length: 5000 }, (_, index) => `dir${index}/**/*.log`),
    ].join('\n')
    const set = rules(text)
    const long = 'a'.repeat(4000)
    const deep = Array.from({ length: 1000 }, () => 'a').join('/')
    const started = performance.now()
    for (let file = 0; file < 200; file++) {
      expect(set.test(`${long}${file % 10 === 0 ? 'x' : ''}`, false)).toBeUndefined()
    }
    expect(set.test(`${long}7`, false)).toBe('ignored')
    expect(set.test(deep, true)).toBeUndefined()
    expect(set.test(`${deep}/b`, true)).toBe('ignored')
    expect(set.test('dir4999/x/y.log', false)).toBe('ignored')
    expect(performance.now() - started).toBeLessThan(15_000)
  })
})
