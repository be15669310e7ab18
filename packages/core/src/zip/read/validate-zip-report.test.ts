import { describe, expect, it } from 'vitest'

import { type ZipProblem, zipProblemsError } from './validate-zip-report.js'

const problem = (entry: string): ZipProblem => ({
  code: 'ZIP_ENTRY_CRC_MISMATCH',
  message: `Entry ${entry} is wrong.`,
  entry,
})

describe('zipProblemsError', () => {
  it('gives a single problem its own message, with no count', () => {
    const error = zipProblemsError('a.zip', [problem('one')], 5)
    expect(error.code).toBe('ZIP_ENTRY_CRC_MISMATCH')
    expect(error.message).toBe('Entry one is wrong.')
    expect(error.details).toEqual({ path: 'a.zip', entry: 'one', problems: [problem('one')] })
  })

  it('counts one more problem in the singular', () => {
    expect(zipProblemsError('a.zip', [problem('one'), problem('two')], 5).message).toBe(
      'Entry one is wrong. (and 1 more problem)',
    )
  })

  it('counts the others in the plural and keeps only the first few in the details', () => {
    const all = ['one', 'two', 'three', 'four'].map(problem)
    const error = zipProblemsError('b.zip', [problem('zero'), ...all], 2)
    expect(error.message).toBe('Entry zero is wrong. (and 4 more problems)')
    expect(error.details).toEqual({
      path: 'b.zip',
      entry: 'zero',
      problems: [problem('zero'), problem('one')],
    })
  })
})
