import { describe, expect, it } from 'vitest'
import { PackwrightError } from '../errors.js'
import { resolveZipLimits } from '../zip/read/zip-limits.js'
import { createPackageBudget } from './package-budget.js'
import { type PlannedEntry } from './planned-entry.js'

function file(zipPath: string, size = 1): PlannedEntry {
  return { zipPath, sourcePath: zipPath, kind: 'file', size, executable: false }
}

function budget(limits: Parameters<typeof resolveZipLimits>[0] = {}) {
  return createPackageBudget({
    limits: resolveZipLimits(limits),
    activity: 'testing',
    remedy: 'Test less',
  })
}

function failure(run: () => void): PackwrightError {
  try {
    run()
  } catch (error) {
    expect(error).toBeInstanceOf(PackwrightError)
    return error as PackwrightError
  }
  throw new Error('expected PACKAGE_LIMIT_EXCEEDED')
}

describe('createPackageBudget', () => {
  it('counts each folder entry once, as the writer writes it', () => {
    const counted = budget()
    for (const path of ['a/b/c.txt', 'a/b/d.txt', 'a/e.txt', 'f.txt']) counted.add(file(path, 10))
    // a/, a/b/ and four files
    expect(counted.totals).toEqual({
      entries: 6,
      uncompressedBytes: 40,
      centralDirectoryBytes: 6 * 46 + 'a/a/b/a/b/c.txta/b/d.txta/e.txtf.txt'.length,
    })
  })

  it('stops at the central directory limit', () => {
    const counted = budget({ maxCentralDirectoryBytes: 200 })
    counted.add(file('x'.repeat(100)))
    const error = failure(() => counted.add(file('y'.repeat(100))))
    expect(error.code).toBe('PACKAGE_LIMIT_EXCEEDED')
    expect(error.details).toMatchObject({
      limit: 'maxCentralDirectoryBytes',
      max: 200,
      reached: 292,
    })
    expect(error.message).toContain('the limit given')
  })

  it('refuses a name longer than zip readers accept, in bytes', () => {
    const error = failure(() => budget().add(file(`${'é'.repeat(2048)}x`)))
    expect(error.code).toBe('PACKAGE_LIMIT_EXCEEDED')
    expect(error.details).toMatchObject({ limit: 'entryNameBytes', max: 4096, reached: 4097 })
  })

  it('says the default limit is what packwright inspect accepts, and how to raise it', () => {
    const counted = budget({ maxTotalUncompressedBytes: 1024 ** 3 })
    const error = failure(() => counted.add(file('big.bin', 1024 ** 3 + 1)))
    expect(error.message).toContain('the most `packwright inspect` accepts by default')
    expect(error.hint).toContain('--max-total-bytes')
  })
})
