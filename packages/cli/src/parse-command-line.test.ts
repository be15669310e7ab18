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
    expect(() => parseCommandLine('generate', ['--nope'], options)).toThrow(
      /^generate has no option "--nope"/,
    )
  })

  const problemOf = (args: string[]) => {
    try {
      parseCommandLine('generate', args, { ...options, 'follow-symlinks': { type: 'boolean' } })
    } catch (error) {
      return (error as Error).message
    }
    return undefined
  }

  it.each([
    [['--jsno'], 'generate has no option "--jsno"; did you mean --json?'],
    [['--otu', 'x.zip'], 'generate has no option "--otu"; did you mean --out?'],
    [['--follow'], 'generate has no option "--follow"; did you mean --follow-symlinks?'],
    [['--bogus'], 'generate has no option "--bogus"'],
    [['src', '--out'], '--out needs a value, such as --out VALUE'],
    [
      ['--out', '--json'],
      '--out needs a value, but "--json" looks like an option; write --out=--json if it is the value',
    ],
    [['--json=yes'], '--json is a switch and takes no value; write --json alone, without "=yes"'],
  ])('says what is wrong with %j in its own words', (args, message) => {
    expect(problemOf(args)).toBe(message)
  })

  it('never quotes Node’s argument parser', () => {
    for (const args of [['--bogus'], ['--out'], ['-x'], ['--json=1'], ['--out', '-']]) {
      const message = problemOf(args) ?? ''
      expect(message).not.toMatch(/positional argument|place it at the end|ERR_PARSE_ARGS|'--/)
    }
  })

  it('leaves everything after -- to the positionals', () => {
    const parsed = parseCommandLine('generate', ['--', '--bogus'], options)
    expect(parsed.positionals).toEqual(['--bogus'])
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
