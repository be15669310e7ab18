import { mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runPackwright } from './helpers/packwright-cli.js'
import { type TreeFile, writeTree } from './helpers/write-tree.js'

/** Twelve folders, each with a file and three links to the next: 3^11 copies of the last one when followed. */
function amplifyingTree(): Record<string, TreeFile> {
  const files: Record<string, TreeFile> = {}
  for (let level = 0; level < 12; level++) {
    files[`L${level}/data.txt`] = 'x'.repeat(4000)
    if (level === 11) continue
    for (const link of ['a', 'b', 'c']) files[`L${level}/${link}`] = { symlink: `../L${level + 1}` }
  }
  return files
}

let work: string
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'packwright-limits-'))
  await writeTree(join(work, 'tree'), amplifyingTree())
})
afterAll(async () => {
  await rm(work, { recursive: true, force: true })
})

describe('packwright generate within the limits of packwright inspect', () => {
  it('refuses to follow links into a package inspect would refuse, writing nothing', async () => {
    const out = join(work, 'amplified.zip')
    const run = await runPackwright([
      'generate',
      join(work, 'tree'),
      '--follow-symlinks',
      '--out',
      out,
    ])
    expect(run.code).toBe(1)
    expect(run.stderr).toContain('PACKAGE_LIMIT_EXCEEDED')
    expect(run.stderr).toContain('more than 100000 entries')
    expect(run.stderr).toContain('--max-entries')
    await expect(stat(out)).rejects.toThrow()
  })

  it('takes lower limits from --max-entries and --max-total-bytes', async () => {
    const tree = join(work, 'tree')
    const entries = await runPackwright([
      'generate',
      tree,
      '--max-entries',
      '12',
      '--out',
      join(work, 'e.zip'),
    ])
    expect(entries.stderr).toContain('more than 12 entries')
    const bytes = await runPackwright([
      'generate',
      tree,
      '--max-total-bytes',
      '10000',
      '--out',
      join(work, 'b.zip'),
    ])
    expect(bytes.stderr).toContain('more than 10000 bytes')
    const usage = await runPackwright(['generate', tree, '--max-entries', '0'])
    expect(usage.code).toBe(2)
    expect(usage.stderr).toContain('--max-entries must be a whole number')
  })

  it('refuses a file deflate shrinks past the ratio inspect accepts, unless --max-compression-ratio allows it', async () => {
    const tree = join(work, 'zeros')
    await writeTree(tree, { 'zeros.bin': Buffer.alloc(64 * 1024 * 1024) })
    const out = join(work, 'zeros.zip')
    const refused = await runPackwright(['generate', tree, '--out', out])
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain('PACKAGE_LIMIT_EXCEEDED')
    expect(refused.stderr).toContain('more than the 200 zip readers accept')
    expect(refused.stderr).toContain('--max-compression-ratio')
    await expect(stat(out)).rejects.toThrow()
    const allowed = await runPackwright([
      'generate',
      tree,
      '--out',
      out,
      '--max-compression-ratio',
      '5000',
    ])
    expect(allowed.code).toBe(0)
    expect((await stat(out)).size).toBeGreaterThan(0)
  })
})
