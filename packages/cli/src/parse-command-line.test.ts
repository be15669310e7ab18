import { describe, expect, it } from 'vitest'
import { parseCommandLine, parseIntegerOption } from './parse-command-line.js'
import { UsageError } from './usage-error.js'

describe('parseCommandLine', () => {
  const options = { out: { type: 'string' }, json: { type: 'boolean' } } as const

  it('returns values and positionals', () => {
    const parsed = parseCommandLine('generate', ['src', '--out', 'x.zip', '--json'], options)
    expect(parsed.positionals).toEqual(['src'])
    expect(parsed.values).toEqual({ out: 'x.zip', json: true })
  })

  it('turns unknown options into a usage error naming the command', () => {
    expect(() => parseCommandLine('generate', ['--nope'], options)).toThrow(UsageError)
    expect(() => parseCommandLine('generate', ['--nope'], options)).toThrow(/^generate: .*--nope/)
  })
})

describe('parseIntegerOption', () => {
  it('accepts whole numbers within bounds and passes undefined through', () => {
    expect(parseIntegerOption('compression-level', '9', 0, 9)).toBe(9)
    expect(parseIntegerOption('compression-level', undefined, 0, 9)).toBeUndefined()
  })

  it.each(['10', '-1', '1.5', 'six', ''])('rejects %j with the option name and range', (value) => {
    expect(() => parseIntegerOption('compression-level', value, 0, 9)).toThrow(
      /--compression-level must be a whole number from 0 to 9/,
    )
  })
})
