import { describe, expect, it } from 'vitest'
import { isPackwrightError } from '../../errors.js'
import { type PlannedEntry } from '../../plan/planned-entry.js'
import { sourceChangedError } from './source-changed-error.js'

const ENTRY: PlannedEntry = {
  zipPath: 'docs/readme.txt',
  sourcePath: 'src/docs/readme.txt',
  kind: 'file',
  size: 12,
  executable: false,
}

describe('sourceChangedError', () => {
  it('names the source, the planned size and what was read', () => {
    const error = sourceChangedError(ENTRY, '15')
    expect(isPackwrightError(error, 'ZIP_SOURCE_CHANGED')).toBe(true)
    expect(error.message).toBe(
      'Source "src/docs/readme.txt" changed while it was packaged: expected 12 bytes, read 15.',
    )
  })

  it('tells the caller not to modify the source while it is packaged', () => {
    expect(sourceChangedError(ENTRY, '15').hint).toBe(
      'Do not modify the source while a package is written, then try again.',
    )
  })

  it('gives the zip path, the source path and the planned size as details', () => {
    expect(sourceChangedError(ENTRY, '15').details).toEqual({
      path: 'docs/readme.txt',
      sourcePath: 'src/docs/readme.txt',
      expected: 12,
    })
  })
})
