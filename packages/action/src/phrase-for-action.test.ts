import { PackwrightError } from '@packwright/core'
import { describe, expect, it } from 'vitest'
import { phraseForAction, type PhraseForActionOptions } from './phrase-for-action.js'

const SHA = 'abc1234def5678abc1234def5678abc1234def56'

const options: PhraseForActionOptions = {
  selection: { kind: 'directory', path: '', include: [], exclude: [] },
  source: { kind: 'git', repoDir: '/nowhere', rev: SHA, path: '' },
  sha: SHA,
  githubToken: undefined,
  apiUrl: 'https://api.github.com',
}

function limitError(limit: string): PackwrightError {
  return new PackwrightError('PACKAGE_LIMIT_EXCEEDED', 'The package would hold too much.', {
    hint: 'Leave files out, or raise limits.maxEntries (`--max-entries`) if whoever reads the package accepts more.',
    details: { limit },
  })
}

describe('phraseForAction', () => {
  it.each([
    ['maxEntries', 'Package less: narrow `path`'],
    ['maxTotalUncompressedBytes', 'Package less: narrow `path`'],
    ['maxCompressionRatio', '(`compression-level: 0`)'],
    ['entryNameBytes', 'Leave the file out with `exclude`'],
  ])('hints a package over the %s limit with the action inputs, not flags', async (limit, hint) => {
    const phrased = (await phraseForAction(limitError(limit), options)) as PackwrightError

    expect(phrased.code).toBe('PACKAGE_LIMIT_EXCEEDED')
    expect(phrased.message).toBe('The package would hold too much.')
    expect(phrased.hint).toContain(hint)
    expect(phrased.hint).not.toContain('--')
    expect(phrased.details).toEqual({ limit })
  })

  it.each([
    [
      { listed: 0, ignored: 0 },
      'The folder holds no files in the commit: set `path` to another folder',
    ],
    [
      { listed: 3, ignored: 3 },
      'Every file is ignored: check the `.packwrightignore`, `.cfignore` or `.gitignore` files',
    ],
    [
      { listed: 3, ignored: 1 },
      'Check `path`, the `include`/`exclude` patterns and the ignore files',
    ],
  ])(
    'hints an empty selection (%j) with the action inputs and if-empty: warn',
    async (details, hint) => {
      const error = new PackwrightError('SELECTION_EMPTY', 'No files were selected.', {
        hint: 'Check the root, or pass `--allow-empty` to create an empty package.',
        details,
      })
      const phrased = (await phraseForAction(error, options)) as PackwrightError

      expect(phrased.code).toBe('SELECTION_EMPTY')
      expect(phrased.hint).toContain(hint)
      expect(phrased.hint).toMatch(/, or set `if-empty: warn` to upload an empty package\.$/)
      expect(phrased.hint).not.toContain('--')
    },
  )

  it('keeps other failures as they are', async () => {
    const error = new PackwrightError('SYMLINK_CYCLE', 'A cycle.', { hint: 'Break it.' })
    const other = new Error('plain')

    expect(await phraseForAction(error, options)).toBe(error)
    expect(await phraseForAction(other, options)).toBe(other)
  })
})
