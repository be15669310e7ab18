import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'
import { describe, expect, it } from 'vitest'
import {
  DEFAULTS,
  IF_EMPTY_VALUES,
  INPUTS,
  NAME_PLACEHOLDERS,
  OUTPUTS,
  RELEASE_VALUES,
} from '../src/constants.js'

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..')

interface ActionInput {
  description?: string
  required?: boolean
  default?: string
}
interface ActionMetadata {
  name?: string
  description?: string
  branding?: { icon?: string; color?: string }
  inputs?: Record<string, ActionInput>
  outputs?: Record<string, { description?: string }>
  runs?: { using?: string; main?: string }
}

const action = parse(readFileSync(join(repoRoot, 'action.yml'), 'utf8')) as ActionMetadata
const inputs = action.inputs ?? {}
const outputs = action.outputs ?? {}

describe('action.yml', () => {
  it('declares exactly the inputs the code reads', () => {
    expect(Object.keys(inputs).sort()).toEqual(Object.values(INPUTS).sort())
  })

  it('declares exactly the outputs the code sets', () => {
    expect(Object.keys(outputs).sort()).toEqual(Object.values(OUTPUTS).sort())
  })

  it('documents every input and output', () => {
    for (const [name, input] of Object.entries(inputs)) {
      expect(input.description?.length ?? 0, name).toBeGreaterThan(40)
      expect(input.required, name).not.toBe(true)
    }
    for (const [name, output] of Object.entries(outputs)) {
      expect(output.description?.length ?? 0, name).toBeGreaterThan(20)
    }
  })

  it('gives the same defaults as the code', () => {
    expect(inputs[INPUTS.name]?.default).toBe(DEFAULTS.name)
    expect(inputs[INPUTS.uploadArtifact]?.default).toBe(String(DEFAULTS.uploadArtifact))
    expect(inputs[INPUTS.compressionLevel]?.default).toBe(String(DEFAULTS.compressionLevel))
    expect(inputs[INPUTS.overwrite]?.default).toBe(String(DEFAULTS.overwrite))
    expect(inputs[INPUTS.ifEmpty]?.default).toBe(DEFAULTS.ifEmpty)
    expect(inputs[INPUTS.release]?.default).toBe(DEFAULTS.release)
    expect(inputs[INPUTS.releaseDraft]?.default).toBe(String(DEFAULTS.releaseDraft))
    expect(inputs[INPUTS.githubToken]?.default).toBe('${{ github.token }}')
    for (const [name, input] of Object.entries(inputs)) {
      if (input.default !== undefined && name !== INPUTS.githubToken) {
        expect(input.description, name).toContain(`Default: \`${input.default}\``)
      }
    }
  })

  it('lists the allowed values in the descriptions', () => {
    for (const value of IF_EMPTY_VALUES) {
      expect(inputs[INPUTS.ifEmpty]?.description).toContain(`\`${value}\``)
    }
    for (const value of RELEASE_VALUES) {
      expect(inputs[INPUTS.release]?.description).toContain(`\`${value}\``)
    }
    for (const placeholder of NAME_PLACEHOLDERS) {
      expect(inputs[INPUTS.name]?.description).toContain(`\`{${placeholder}}\``)
    }
  })

  it('runs the committed bundle on node24, with branding', () => {
    expect(action.runs?.using).toBe('node24')
    expect(action.runs?.main).toBe('packages/action/dist/index.js')
    expect(existsSync(join(repoRoot, action.runs?.main ?? 'missing'))).toBe(true)
    expect(action.branding?.icon).toMatch(/^[a-z-]+$/)
    expect(action.branding?.color).toMatch(
      /^(white|black|yellow|blue|green|orange|red|purple|gray-dark)$/,
    )
    expect(action.name).toBeTruthy()
    expect(action.description).toBeTruthy()
  })
})
