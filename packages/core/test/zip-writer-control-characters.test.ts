import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { PackwrightError } from '../src/errors.js'
import { writeDeterministicZip } from '../src/zip/write/write-deterministic-zip.js'
import { createMemorySourceReader } from './helpers/memory-source-reader.js'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'packwright-zip-control-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

const RAW_CONTROL = /[\p{Cc}\p{Bidi_Control}\u2028\u2029]/u

describe('writeDeterministicZip refuses names with control characters', () => {
  it.each([
    ['ESC[2K', 'logs/\u001b[2Kok.txt', '\\u001b'],
    ['CSI (U+009B)', 'a\u009b2K.txt', '\\u009b'],
    ['RLO (U+202E)', 'invoice\u202etxt.exe', '\\u202e'],
    ['a newline', 'a\nb.txt', '\\n'],
    ['a carriage return', 'a\rb.txt', '\\r'],
  ])(
    '%s: ZIP_PATH_INVALID, rule ZIP_ENTRY_PATH_CONTROL_CHARACTER, nothing written',
    async (_, name, escape) => {
      const reader = createMemorySourceReader({ 'ok.txt': 'fine', [name]: 'sneaky' })
      const caught = await writeDeterministicZip({
        entries: ['ok.txt', name].map((path) => ({
          zipPath: path,
          sourcePath: path,
          kind: 'file' as const,
          size: path === 'ok.txt' ? 4 : 6,
          executable: false,
        })),
        reader,
        outFile: join(dir, 'out.zip'),
      }).catch((error: unknown) => error)
      expect(caught).toBeInstanceOf(PackwrightError)
      const error = caught as PackwrightError
      expect(error.code).toBe('ZIP_PATH_INVALID')
      expect(error.details.rule).toBe('ZIP_ENTRY_PATH_CONTROL_CHARACTER')
      expect(error.message).toContain(escape)
      expect(error.message).not.toMatch(RAW_CONTROL)
      expect(await readdir(dir)).toEqual([])
    },
  )
})
