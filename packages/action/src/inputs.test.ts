import { afterEach, describe, expect, it, vi } from 'vitest'
import { InputError } from './input-error.js'
import { readInputs } from './inputs.js'

/** Sets action inputs the way the runner does: as INPUT_<NAME> environment variables. */
function useInputs(inputs: Record<string, string>): void {
  for (const [name, value] of Object.entries(inputs)) {
    vi.stubEnv(`INPUT_${name.toUpperCase()}`, value)
  }
}

function inputErrorOf(read: () => unknown): InputError {
  try {
    read()
  } catch (error) {
    if (error instanceof InputError) return error
    throw error
  }
  throw new Error('expected an InputError')
}

afterEach(() => {
  vi.unstubAllEnvs()
})

describe('readInputs retention-days', () => {
  it.each([
    ['1', 1],
    ['90', 90],
    ['0', undefined],
    ['', undefined],
  ])('reads %j as %s', (raw, expected) => {
    useInputs({ 'retention-days': raw })
    expect(readInputs().retentionDays).toBe(expected)
  })

  it.each(['91', '-1', '1.5', '9007199254740993'])('refuses %j', (raw) => {
    useInputs({ 'retention-days': raw })
    expect(inputErrorOf(readInputs).message).toContain(
      `\`retention-days\` must be a whole number from 0 to 90, got ${JSON.stringify(raw)}`,
    )
  })
})

describe('readInputs compression-level', () => {
  it.each([
    ['0', 0],
    ['9', 9],
    ['', 6],
  ])('reads %j as %s', (raw, expected) => {
    useInputs({ 'compression-level': raw })
    expect(readInputs().compressionLevel).toBe(expected)
  })

  it('refuses 10', () => {
    useInputs({ 'compression-level': '10' })
    expect(inputErrorOf(readInputs).message).toContain(
      '`compression-level` must be a whole number from 0 to 9, got "10"',
    )
  })
})

describe('readInputs provenance', () => {
  it.each([
    ['', true],
    ['true', true],
    ['false', false],
  ])('reads %j as %s', (raw, expected) => {
    useInputs({ provenance: raw })
    expect(readInputs().provenance).toBe(expected)
  })

  it('refuses a value that is not true or false', () => {
    useInputs({ provenance: 'signed' })
    expect(inputErrorOf(readInputs).message).toContain(
      '`provenance` must be true or false, got "signed"',
    )
  })
})
