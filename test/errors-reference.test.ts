import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ERROR_CODES } from '@packwright/core'
import { describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('..', import.meta.url))

/** The codes docs/errors.md documents: one `### \`CODE\`` heading each. */
function documentedCodes(): string[] {
  const text = readFileSync(join(root, 'docs/errors.md'), 'utf8')
  return [...text.matchAll(/^### `([^`]+)`$/gm)].map((match) => match[1] as string)
}

/** The source files of every package (tests left out). */
function* sourceFiles(): Generator<{ path: string; text: string }> {
  for (const name of readdirSync(join(root, 'packages'))) {
    const folder = join(root, 'packages', name, 'src')
    let files: string[]
    try {
      files = readdirSync(folder, { recursive: true, encoding: 'utf8' })
    } catch {
      continue
    }
    for (const file of files) {
      if (!file.endsWith('.ts') || file.endsWith('.test.ts')) continue
      yield { path: join(folder, file), text: readFileSync(join(folder, file), 'utf8') }
    }
  }
}

/**
 * Every code a package lists in an `export const …ERROR_CODES = [ … ]` array
 * (core's, the CLI's, the action's, any package's own), and every `'CF-…'`
 * title the server answers with.
 */
function existingCodes(): Map<string, string> {
  const codes = new Map<string, string>()
  for (const { path, text } of sourceFiles()) {
    for (const list of text.matchAll(/export const \w*ERROR_CODES\b[^=]*= \[([^\]]*)\]/g)) {
      for (const match of list[1]!.matchAll(/'([A-Z][A-Z0-9_]*)'/g)) codes.set(match[1]!, path)
    }
    for (const match of text.matchAll(/'(CF-[A-Za-z]+)'/g)) codes.set(match[1]!, path)
  }
  return codes
}

describe('docs/errors.md', () => {
  const documented = documentedCodes()
  const existing = [...existingCodes().keys()]

  it('finds the code lists of core, the CLI, the action and the server', () => {
    for (const code of [...ERROR_CODES, 'USAGE', 'INTERNAL', 'ACTION_INPUT_INVALID', 'CF-NotFound'])
      expect(existing).toContain(code)
  })

  it('documents every code once', () => {
    const repeated = documented.filter((code, index) => documented.indexOf(code) !== index)
    expect(repeated).toEqual([])
    expect(existing.filter((code) => !documented.includes(code))).toEqual([])
  })

  it('documents no code that does not exist', () => {
    expect(documented.filter((code) => !existing.includes(code))).toEqual([])
  })

  it('says for each code what it means and what to do, in at least one sentence', () => {
    const text = readFileSync(join(root, 'docs/errors.md'), 'utf8')
    for (const code of documented) {
      const start = text.indexOf(`### \`${code}\``)
      const body = text.slice(start).split('\n### ')[0]!.split('\n').slice(1).join(' ').trim()
      expect(body.length, code).toBeGreaterThan(40)
    }
  })
})
