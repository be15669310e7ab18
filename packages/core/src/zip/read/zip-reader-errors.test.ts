import { describe, expect, it } from 'vitest'

import { PackwrightError } from '../../errors.js'
import {
  throwIfZipReadAborted,
  zipReadAbortedError,
  zipReadFailedError,
  zipStructureError,
} from './zip-reader-errors.js'

describe('zip reader errors', () => {
  it('says which zip an abort stopped, with the reason as cause', () => {
    const reason = new Error('user stopped')
    const error = zipReadAbortedError(AbortSignal.abort(reason), '/tmp/a.zip')
    expect(error.code).toBe('ABORTED')
    expect(error.message).toBe('Reading zip "/tmp/a.zip" was aborted.')
    expect(error.cause).toBe(reason)
    expect(() => throwIfZipReadAborted(undefined, '/tmp/a.zip')).not.toThrow()
    expect(() => throwIfZipReadAborted(new AbortController().signal, '/tmp/a.zip')).not.toThrow()
  })

  it('wraps a system error with its code, path and cause', () => {
    const cause = Object.assign(new Error('no such file'), { code: 'ENOENT' })
    const error = zipReadFailedError(cause, '/tmp/b.zip')
    expect(error.code).toBe('ZIP_READ_FAILED')
    expect(error.message).toBe('Cannot read zip "/tmp/b.zip" (ENOENT).')
    expect(error.details).toEqual({ path: '/tmp/b.zip', code: 'ENOENT' })
    expect(error.cause).toBe(cause)
  })

  it('calls the code of an error without one unknown, and passes its own errors through', () => {
    const error = zipReadFailedError('not an error object', '/tmp/c.zip')
    expect(error.message).toBe('Cannot read zip "/tmp/c.zip" (unknown).')
    expect(error.details).toEqual({ path: '/tmp/c.zip', code: 'unknown' })
    const own = new PackwrightError('ZIP_TRUNCATED', 'cut short')
    expect(zipReadFailedError(own, '/tmp/c.zip')).toBe(own)
  })

  it('names the entry of a structure error only when there is one', () => {
    expect(Object.keys(zipStructureError('ZIP_NOT_A_ZIP', 'no entry').details)).toEqual([])
    expect(zipStructureError('ZIP_TRUNCATED', 'one entry', 'a/b').details).toEqual({
      entry: 'a/b',
    })
  })
})
