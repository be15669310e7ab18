import { execFileSync } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runPackwright } from './helpers/packwright-cli.js'
import { writeTree } from './helpers/write-tree.js'

let work: string
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'packwright-inspect-'))
})
afterAll(async () => {
  await rm(work, { recursive: true, force: true })
})

describe('packwright inspect', () => {
  it('lists the entries of a package it wrote and calls it valid', async () => {
    await writeTree(join(work, 'tree'), { 'a.txt': 'alpha\n', 'dir/b.txt': 'beta\n' })
    const zip = join(work, 'tree.zip')
    expect(
      (await runPackwright(['generate', join(work, 'tree'), '--out', zip, '--json'])).code,
    ).toBe(0)
    const run = await runPackwright(['inspect', zip])
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('dir/b.txt')
    expect(run.stdout).toContain('verdict: valid')
    const json = await runPackwright(['inspect', zip, '--json'])
    const report = JSON.parse(json.stdout) as { valid: boolean; entries: { path: string }[] }
    expect(report.valid).toBe(true)
    expect(report.entries.map((e) => e.path)).toEqual(['a.txt', 'dir/', 'dir/b.txt'])
  })

  it('fails on a zip whose stored bytes no longer match their CRC', async () => {
    const dir = join(work, 'crc')
    await writeTree(dir, { 'hello.txt': 'hello world\n' })
    const zip = join(work, 'crc.zip')
    execFileSync('zip', ['-q', '-X', '-0', zip, 'hello.txt'], { cwd: dir })
    const bytes = await readFile(zip)
    const dataStart = 30 + 'hello.txt'.length
    bytes[dataStart] = (bytes[dataStart] as number) ^ 0xff
    await writeFile(zip, bytes)
    const run = await runPackwright(['inspect', zip])
    expect(run.code).toBe(1)
    expect(run.stdout).toContain('verdict: INVALID')
    expect(run.stdout).toContain('[ZIP_ENTRY_CRC_MISMATCH]')
    expect(run.stdout).toContain('hello.txt')
  })

  it('says clearly when the file is not a zip at all', async () => {
    const path = join(work, 'not.zip')
    await writeFile(path, 'plain text, no zip records here\n')
    const run = await runPackwright(['inspect', path])
    expect(run.code).toBe(1)
    expect(`${run.stdout}${run.stderr}`).toContain('ZIP_NOT_A_ZIP')
  })
})
