import { execFileSync } from 'node:child_process'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { PackwrightError } from '../errors.js'
import { createLocalFolderReader } from './local-folder-reader.js'

let root: string
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'packwright-listing-problems-'))
})
afterEach(async () => {
  await rm(root, { recursive: true, force: true })
})

describe('local folder listing', () => {
  it('reports every name it cannot package in one error, not the first one only', async () => {
    await writeFile(join(root, 'ok.txt'), 'fine')
    await mkdir(join(root, 'sub'))
    await writeFile(Buffer.from(`${root}/caf\xe9.txt`, 'latin1'), 'latin-1 name')
    await writeFile(Buffer.from(`${root}/sub/na\xefve.txt`, 'latin1'), 'latin-1 name')
    execFileSync('mkfifo', [join(root, 'sub', 'pipe')])
    const reader = await createLocalFolderReader(root)
    let caught: unknown
    try {
      await reader.list('')
    } catch (error) {
      caught = error
    }
    expect(caught).toBeInstanceOf(PackwrightError)
    const error = caught as PackwrightError
    expect(error.details.count).toBe(3)
    const lines = error.message.split('\n')
    expect(lines[0]).toMatch(/^3 problems stop the package of local folder /)
    expect(lines.filter((line) => line.includes('[SOURCE_PATH_INVALID]'))).toHaveLength(2)
    expect(lines.filter((line) => line.includes('[SOURCE_READ_FAILED]'))).toHaveLength(1)
    expect(error.message).toContain('caf\\\\xe9.txt')
    expect(error.message).toContain('named pipe')
  })
})
