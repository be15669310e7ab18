import { describe, expect, it } from 'vitest'
import {
  nonUtf8LinkTargetError,
  nonUtf8NameError,
  showNonUtf8Name,
  unaddressablePathError,
  unpackageableNameError,
} from './source-name-errors.js'

describe('source name errors', () => {
  it('shows a name that ends in a cut character, and a four-byte character', () => {
    expect(showNonUtf8Name(Buffer.from([0x61, 0xf0, 0x9f, 0x98]))).toBe('a\\xf0\\x9f\\x98')
    expect(showNonUtf8Name(Buffer.concat([Buffer.from('😀'), Buffer.from([0x80])]))).toBe('😀\\x80')
    expect(showNonUtf8Name(Buffer.from([0x0a]))).toBe('\n')
    expect(showNonUtf8Name(new Uint8Array(Buffer.from('xab').subarray(1)))).toBe('ab')
  })

  it('words a name that is not UTF-8', () => {
    const error = nonUtf8NameError(Buffer.from([0x61, 0xfe]), 'the local folder /src')
    expect(error.message).toBe(
      'Cannot package "a\\\\xfe" from the local folder /src: its name is not valid UTF-8 (its invalid bytes are shown as \\xHH), so a zip cannot store it and no pattern can name it; expected UTF-8 names.',
    )
    expect(error.hint).toBe(
      'Rename it to a UTF-8 name (for example with `convmv -f latin1 -t utf8 --notest`), or package a folder that does not hold it.',
    )
    expect(error.details).toEqual({
      path: '"a\\\\xfe"',
      pathBytes: '61fe',
      problem: 'is not valid UTF-8',
    })
  })

  it('words a link target that is not UTF-8', () => {
    const error = nonUtf8LinkTargetError('dir/link', Buffer.from([0xff]), 'git commit abc')
    expect(error.code).toBe('SOURCE_PATH_INVALID')
    expect(error.message).toBe(
      'Cannot package the symlink "dir/link" from git commit abc: its target "\\\\xff" is not valid UTF-8 (its invalid bytes are shown as \\xHH), so a zip cannot store it as it is; expected a UTF-8 target.',
    )
    expect(error.hint).toBe(
      'Point the link at a UTF-8 path, or package a folder that does not hold it.',
    )
    expect(error.details).toEqual({
      path: '"dir/link"',
      linkTarget: '"\\\\xff"',
      linkTargetBytes: 'ff',
      problem: 'has a target that is not valid UTF-8',
    })
  })

  it('words a path a source holds but cannot address', () => {
    const error = unaddressablePathError('a/../b', 'has a `..` segment', 'git commit abc')
    expect(error.code).toBe('SOURCE_PATH_INVALID')
    expect(error.message).toBe(
      'Cannot package "a/../b" from git commit abc: the path has a `..` segment; expected a relative POSIX path inside the source.',
    )
    expect(error.hint).toBe(
      'The tree was not made by ordinary git commands; rewrite the commit without that entry.',
    )
    expect(error.details).toEqual({ path: '"a/../b"', problem: 'has a `..` segment' })
  })

  it('words a name the package rules refuse', () => {
    const error = unpackageableNameError('a\\b', 'contains a backslash', 'the local folder /src')
    expect(error.code).toBe('SOURCE_PATH_INVALID')
    expect(error.message).toBe(
      'Cannot package "a\\\\b" from the local folder /src: its path contains a backslash; expected a relative POSIX path of printable characters, without backslashes.',
    )
    expect(error.hint).toBe(
      'Rename it, or leave it out on purpose with an exclude pattern or an ignore file.',
    )
    expect(error.details).toEqual({ path: '"a\\\\b"', problem: 'contains a backslash' })
  })
})
