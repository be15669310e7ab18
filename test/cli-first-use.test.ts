import { createHash } from 'node:crypto'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runPackwright } from './helpers/packwright-cli.js'
import { writeTree } from './helpers/write-tree.js'

let work: string
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'packwright-first-use-'))
})
afterAll(async () => {
  await rm(work, { recursive: true, force: true })
})

const sha256Of = async (path: string) =>
  createHash('sha256')
    .update(await readFile(path))
    .digest('hex')

describe('usage errors', () => {
  it('speak in packwright’s words and suggest the closest option for a typo', async () => {
    const run = await runPackwright(['generate', '.', '--exlude', '*.log'], { cwd: work })
    expect(run.code).toBe(2)
    expect(run.stderr).toBe(
      'error [USAGE]: generate has no option "--exlude"; did you mean --exclude?\n' +
        'hint: run `packwright --help` for usage.\n',
    )
  })

  it('suggest the closest command', async () => {
    const run = await runPackwright(['genrate', '.'], { cwd: work })
    expect(run.code).toBe(2)
    expect(run.stderr).toContain(
      'packwright has no command "genrate"; did you mean `packwright generate`?',
    )
  })
})

describe('--out naming a folder', () => {
  it('writes package.zip inside it', async () => {
    const dir = join(work, 'out-folder')
    await writeTree(join(dir, 'src'), { 'a.txt': 'a\n' })
    await mkdir(join(dir, 'dist'))
    const run = await runPackwright(['generate', 'src', '--out', 'dist'], { cwd: dir })
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect(run.stdout).toContain(join(dir, 'dist', 'package.zip'))
    expect((await readFile(join(dir, 'dist', 'package.zip'))).subarray(0, 2).toString()).toBe('PK')
  })
})

describe('inspect of a file that is not a zip', () => {
  it('prints the verdict and the reason only', async () => {
    const file = join(work, 'notes.txt')
    await writeFile(file, 'just some notes, not a zip at all\n')
    const run = await runPackwright(['inspect', file])
    expect(run.code).toBe(1)
    expect(run.stdout).toMatch(/^verdict: INVALID \(1 problem\)\n {2}\[ZIP_NOT_A_ZIP\] [^\n]+\n$/)
  })
})
