import { describe, expect, it } from 'vitest'
import { createMemorySourceReader } from '../../test/helpers/memory-source-reader.js'
import { selectDirectoryFiles } from './select-directory-files.js'

// Backtracking matchers take minutes or more on each of these; ours read each name once.
const STARS = '*a*a*a*a*a*a*a*a*a*a*b'
const files = {
  [`${'a'.repeat(45)}`]: '',
  [`${'a'.repeat(4000)}`]: '',
  [`deep/${Array.from({ length: 500 }, () => 'a').join('/')}`]: '',
  'keep.txt': '',
}

describe('selectDirectoryFiles with adversarial patterns', () => {
  it('applies exclude globs in time linear in the names', async () => {
    const started = performance.now()
    const selected = await selectDirectoryFiles({
      reader: createMemorySourceReader(files),
      exclude: [STARS, '*a'.repeat(40) + 'b', '**/a/**/a/**/a/**/a/**/b'],
    })
    expect(selected).toHaveLength(4)
    expect(performance.now() - started).toBeLessThan(10_000)
  })

  it('applies ignore-file rules in time linear in the names', async () => {
    // The last rule takes the ignore library's regular expression 20 s on a 100-folder path.
    const rules = [
      STARS,
      ...Array.from({ length: 2000 }, (_, index) => `${STARS}${index}`),
      '**/a/**/a/**/a/**/a/**/a/**/b',
    ]
    const started = performance.now()
    const selected = await selectDirectoryFiles({
      reader: createMemorySourceReader({ ...files, '.packwrightignore': `${rules.join('\n')}\n` }),
    })
    expect(selected.map((entry) => entry.zipPath)).toContain('keep.txt')
    expect(performance.now() - started).toBeLessThan(10_000)
  })
})
