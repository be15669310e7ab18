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

describe('readInputs whole numbers', () => {
  // Number() alone would read these as 5, 10, 16 and 0.
  it.each(['+5', '1e1', '0x10', '0b0'])('refuses %j, which only looks like a number', (raw) => {
    useInputs({ 'retention-days': raw, 'compression-level': raw })
    const message = inputErrorOf(readInputs).message
    expect(message).toContain(
      `\`retention-days\` must be a whole number from 0 to 90, got "${raw}"`,
    )
    expect(message).toContain(
      `\`compression-level\` must be a whole number from 0 to 9, got "${raw}"`,
    )
  })
})

describe('readInputs release', () => {
  it('defaults to auto, published, named after its tag', () => {
    const inputs = readInputs()
    expect(inputs.release).toBe('auto')
    expect(inputs.releaseDraft).toBe(false)
    expect(inputs.releaseName).toBeUndefined()
  })

  it.each(['auto', 'true', 'false'])('reads release %j', (raw) => {
    useInputs({ release: raw })
    expect(readInputs().release).toBe(raw)
  })

  it('reads a draft with its own title', () => {
    useInputs({ 'release-draft': 'true', 'release-name': 'Nightly 42' })
    const inputs = readInputs()
    expect(inputs.releaseDraft).toBe(true)
    expect(inputs.releaseName).toBe('Nightly 42')
  })

  it.each(['Nightly\u000742', 'a\u007fb', 'tab\there'])(
    'refuses a release name holding a control character: %j',
    (raw) => {
      useInputs({ 'release-name': raw })
      expect(inputErrorOf(readInputs).message).toContain(
        `\`release-name\` contains a control character: ${JSON.stringify(raw)}`,
      )
    },
  )
})

describe('readInputs quotes the values it refuses', () => {
  it('quotes a value of 200 characters whole', () => {
    const raw = 'r'.repeat(200)
    useInputs({ release: raw })
    expect(inputErrorOf(readInputs).message).toContain(`got ${JSON.stringify(raw)}`)
  })

  it('cuts a longer value after 200 characters and marks the cut', () => {
    useInputs({ release: `${'r'.repeat(200)}TAIL` })
    const message = inputErrorOf(readInputs).message
    expect(message).toContain(`got "${'r'.repeat(200)}…"`)
    expect(message).not.toContain('TAIL')
  })
})

describe('readInputs spicepod selection', () => {
  it('reads the manifest path, normalised', () => {
    useInputs({ spicepod: './pods//spicepod.yaml' })
    expect(readInputs().selection).toEqual({ kind: 'spicepod', manifest: 'pods/spicepod.yaml' })
  })

  it.each([
    ['include', 'src/**'],
    ['exclude', '*.md'],
  ])('refuses %s globs beside a manifest', (input, glob) => {
    useInputs({ spicepod: 'spicepod.yaml', [input]: glob })
    expect(inputErrorOf(readInputs).message).toContain(
      '`include` and `exclude` apply to directory packages; a spicepod package holds the manifest',
    )
  })
})
