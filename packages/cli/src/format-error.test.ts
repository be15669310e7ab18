import { PackwrightError } from '@packwright/core'
import { describe, expect, it } from 'vitest'
import { formatError } from './format-error.js'
import { UsageError } from './usage-error.js'

describe('formatError', () => {
  it('prints the code, the message and the hint of a PackwrightError', () => {
    const error = new PackwrightError('SELECTION_EMPTY', 'No files selected under "app".', {
      hint: 'Pass --allow-empty to write an empty package.',
    })
    expect(formatError(error)).toBe(
      'error [SELECTION_EMPTY]: No files selected under "app".\nhint: Pass --allow-empty to write an empty package.\n',
    )
  })

  it('prints an excerpt on indented lines of its own, and cannot be made to print a line of its own', () => {
    const excerpt = new PackwrightError(
      'SPICEPOD_PARSE_FAILED',
      'spicepod.yaml: Missing closing "quote at line 1, column 7.\n    name: "x\n          ^',
    )
    expect(formatError(excerpt)).toBe(
      'error [SPICEPOD_PARSE_FAILED]: spicepod.yaml: Missing closing "quote at line 1, column 7.\n' +
        '    name: "x\n' +
        '          ^\n',
    )
    const forged = formatError(new PackwrightError('SOURCE_READ_FAILED', 'a\nerror [FAKE]: b\r'))
    expect(forged).toBe('error [SOURCE_READ_FAILED]: a\n    error [FAKE]: b\\u000d\n')
  })

  it.each([
    [
      'a command’s usage error',
      new UsageError('bad', 'generate'),
      'run `packwright generate --help` for its options.',
    ],
    ['a usage error of no command', new UsageError('bad'), 'run `packwright --help` for usage.'],
    [
      'an unexpected failure',
      new TypeError('boom'),
      'this is a bug in packwright; please report it with the command you ran.',
    ],
  ])('gives the CLI’s own hint for %s', (_kind, error, hint) => {
    expect(formatError(error).split('\n').at(-2)).toBe(`hint: ${hint}`)
  })

  it('leaves the hint line out when there is none', () => {
    expect(formatError(new PackwrightError('ABORTED', 'Stopped.'))).toBe(
      'error [ABORTED]: Stopped.\n',
    )
  })

  it('marks usage errors and points at --help', () => {
    expect(formatError(new UsageError('generate takes one <source>'))).toMatch(
      /^error \[USAGE\]: generate takes one <source>\nhint: .*--help/,
    )
  })

  it('never prints a stack trace, even for unexpected errors', () => {
    const text = formatError(new TypeError('boom'))
    expect(text).toMatch(/^error \[INTERNAL\]: boom\n/)
    expect(text).not.toContain('    at ')
    expect(formatError('a thrown string')).toContain('a thrown string')
  })

  it('escapes control characters in messages and hints, whatever the error', () => {
    const packwright = formatError(
      new PackwrightError('ZIP_READ_FAILED', 'Cannot read a\u001b[2K\u009bb.zip.', {
        hint: 'Rename \u202eit.',
      }),
    )
    expect(packwright).toBe(
      'error [ZIP_READ_FAILED]: Cannot read a\\u001b[2K\\u009bb.zip.\nhint: Rename \\u202eit.\n',
    )
    expect(formatError(new UsageError('bad\rargument'))).toContain('bad\\u000dargument')
    expect(formatError(new Error('line\nbreak'))).toMatch(/^error \[INTERNAL\]: line\\u000abreak\n/)
  })
})
