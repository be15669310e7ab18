import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runPackwright } from './helpers/packwright-cli.js'
import { writeTree } from './helpers/write-tree.js'

let work: string
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'packwright-cli-names-'))
})
afterAll(async () => {
  await rm(work, { recursive: true, force: true })
})

describe('packwright generate with a file name a package cannot hold', () => {
  it('exits 1 with a coded error naming the file whose name has a newline, and writes nothing', async () => {
    const source = join(work, 'app')
    await writeTree(source, { 'ok.txt': 'ok\n', 'a\nb.txt': 'once left out without a word\n' })
    const out = join(work, 'app.zip')
    const run = await runPackwright(['generate', source, '--out', out])
    expect(run.code).toBe(1)
    expect(run.stdout).toBe('')
    expect(run.stderr).toMatch(/^error \[SOURCE_PATH_INVALID\]: Cannot package "a\\nb\.txt" from /)
    expect(run.stderr).not.toContain('\n    at ')
    expect(existsSync(out)).toBe(false)
  })
})
