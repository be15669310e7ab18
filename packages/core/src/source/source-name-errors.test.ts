import { describe, expect, it } from 'vitest'
import { nonUtf8NameError, showNonUtf8Name } from './source-name-errors.js'

describe('showNonUtf8Name', () => {
  it('keeps valid characters and shows each byte that starts none as \\xHH', () => {
    const bytes = Buffer.concat([
      Buffer.from('dir/é'),
      Buffer.from([0xff]),
      Buffer.from('€'),
      Buffer.from([0xe2, 0x82]), // a character cut short
      Buffer.from('x'),
      Buffer.from([0xed, 0xa0, 0x80]), // an encoded surrogate
      Buffer.from([0xc0, 0xaf]), // an overlong `/`
    ])
    expect(showNonUtf8Name(bytes)).toBe('dir/é\\xff€\\xe2\\x82x\\xed\\xa0\\x80\\xc0\\xaf')
  })

  it('names the path, its bytes and the rule in the error', () => {
    const error = nonUtf8NameError(Buffer.from([0x61, 0xfe]), 'the local folder /src')
    expect(error.code).toBe('SOURCE_PATH_INVALID')
    expect(error.message).toContain('"a\\\\xfe" from the local folder /src')
    expect(error.message).toContain('not valid UTF-8')
    expect(error.details).toMatchObject({ pathBytes: '61fe', problem: 'is not valid UTF-8' })
  })
})
