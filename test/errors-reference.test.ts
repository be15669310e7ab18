import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ERROR_CODES } from '@packwright/core'
import { describe, expect, it } from 'vitest'
import { ACTION_ERROR_CODES } from '../packages/action/src/action-error-codes.js'
import { CLI_ERROR_CODES } from '../packages/cli/src/cli-error-codes.js'

const root = fileURLToPath(new URL('..', import.meta.url))

/** The codes docs/errors.md documents: one `### \`CODE\`` heading each. */
function documentedCodes(): string[] {
  const text = readFileSync(join(root, 'docs/errors.md'), 'utf8')
  return [...text.matchAll(/^### `([^`]+)`$/gm)].map((match) => match[1] as string)
}

/** Every `'CF-…'` title the server's source answers with (tests left out). */
function serverErrorTitles(): string[] {
  const titles = new Set<string>()
  const folder = join(root, 'packages/server/src')
  for (const file of readdirSync(folder, { recursive: true, encoding: 'utf8' })) {
    if (!file.endsWith('.ts') || file.endsWith('.test.ts')) continue
    const text = readFileSync(join(folder, file), 'utf8')
    for (const match of text.matchAll(/'(CF-[A-Za-z]+)'/g)) titles.add(match[1] as string)
  }
  return [...titles]
}

describe('docs/errors.md', () => {
  const documented = documentedCodes()
  const existing = [
    ...ERROR_CODES,
    ...CLI_ERROR_CODES,
    ...ACTION_ERROR_CODES,
    ...serverErrorTitles(),
  ]

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
