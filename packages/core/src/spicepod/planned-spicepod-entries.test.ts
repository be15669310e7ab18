import { describe, expect, it } from 'vitest'
import { PackwrightError } from '../errors.js'
import { type Logger } from '../logger.js'
import { type PlannedEntry } from '../plan/planned-entry.js'
import { PlannedSpicepodEntries } from './planned-spicepod-entries.js'
import { spiceMessageOf } from './spicepod-error.js'

function fileEntry(zipPath: string, sourcePath = zipPath): PlannedEntry {
  return { zipPath, sourcePath, kind: 'file', size: 1, executable: false }
}

function recordingLogger(): Logger & { readonly debugged: string[] } {
  const debugged: string[] = []
  return { debugged, debug: (m) => debugged.push(m), info: () => {}, warn: () => {} }
}

describe('PlannedSpicepodEntries', () => {
  it('returns the entries sorted by zip path in code-unit order', () => {
    const planned = new PlannedSpicepodEntries(recordingLogger())
    for (const path of ['b.csv', 'B.csv', 'a/z.csv', 'a.csv']) planned.add(fileEntry(path), 'x')
    expect(planned.sorted().map((entry) => entry.zipPath)).toEqual([
      'B.csv',
      'a.csv',
      'a/z.csv',
      'b.csv',
    ])
    expect(planned.has('a/z.csv')).toBe(true)
    expect(planned.has('a')).toBe(false)
  })

  it('keeps a file linked twice once, and says so at debug level', () => {
    const logger = recordingLogger()
    const planned = new PlannedSpicepodEntries(logger)
    planned.add(fileEntry('data.csv'), '`datasets[0].from` in spicepod.yaml')
    planned.add(fileEntry('data.csv'), '`datasets[1].from` in spicepod.yaml')
    expect(planned.sorted()).toEqual([fileEntry('data.csv')])
    expect(logger.debugged).toEqual([
      'data.csv is linked more than once (`datasets[0].from` in spicepod.yaml; `datasets[1].from` in spicepod.yaml); packaged once.',
    ])
  })

  it('fails with SPICEPOD_ZIP_FAILED when two files would share a zip path', () => {
    const planned = new PlannedSpicepodEntries(recordingLogger())
    planned.add(fileEntry('m/model.yaml', 'm/model.yaml'), 'first')
    let failure: unknown
    try {
      planned.add(fileEntry('m/model.yaml', 'm/model.yml'), 'second')
    } catch (error) {
      failure = error
    }
    expect(failure).toBeInstanceOf(PackwrightError)
    const error = failure as PackwrightError
    expect(error.code).toBe('SPICEPOD_ZIP_FAILED')
    expect(error.details).toEqual({
      path: 'm/model.yaml',
      spiceFirstSentence: 'Failed to create zip archive.',
    })
    expect(error.message).toMatch(/^Two different files would be stored as /)
    expect(spiceMessageOf(error)).toBe(`Failed to create zip archive. ${error.message}`)
    expect(error.message).toContain('"m/model.yml" (second)')
    expect(planned.sorted()).toEqual([fileEntry('m/model.yaml')])
  })
})
