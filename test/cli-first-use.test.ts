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
        'hint: run `packwright generate --help` for its options.\n',
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

describe('the output inside the folder being packaged', () => {
  it('is never packaged: the same command twice gives the same sha256', async () => {
    const dir = join(work, 'twice')
    await writeTree(dir, {
      'a.txt': 'alpha\n',
      'sub/b.txt': 'beta\n',
      '.package.zip.0123456789ab.partial': 'left by a killed run',
    })
    const first = await runPackwright(['generate', '.'], { cwd: dir })
    expect(first.stderr).toBe('')
    const firstSha = await sha256Of(join(dir, 'package.zip'))
    const second = await runPackwright(['generate', '.'], { cwd: dir })
    expect(second.code).toBe(0)
    expect(await sha256Of(join(dir, 'package.zip'))).toBe(firstSha)
    expect(second.stdout).toContain('packaged 2 files')
  })

  it('leaves out --out’s folder and the --manifest file', async () => {
    const dir = join(work, 'out-inside')
    await writeTree(dir, {
      'a.txt': 'alpha\n',
      'dist/older.zip': 'PK',
    })
    const run = await runPackwright(
      ['generate', '.', '--out', 'dist/app.zip', '--manifest', 'files.json'],
      { cwd: dir },
    )
    expect(run.stderr).toBe('')
    const again = await runPackwright(
      ['generate', '.', '--out', 'dist/app.zip', '--manifest', 'files.json', '--json'],
      { cwd: dir },
    )
    const result = JSON.parse(again.stdout) as { entries: { path: string }[] }
    expect(result.entries.map((entry) => entry.path)).toEqual(['a.txt'])
  })
})

describe('ignore files', () => {
  const checkout = {
    '.gitignore': 'node_modules/\n.turbo/\n',
    'node_modules/dep/index.js': 'module.exports = 1\n',
    '.turbo/cache/blob': 'cache\n',
    'src/index.ts': 'export {}\n',
    'src/.gitignore': '*.generated.ts\n',
    'src/api.generated.ts': 'export {}\n',
  }

  it('apply .gitignore files, nested ones too, and the summary names them', async () => {
    const dir = join(work, 'checkout')
    await writeTree(dir, checkout)
    const run = await runPackwright(['generate', dir, '--out', join(work, 'checkout.zip')])
    expect(run.stderr).toBe('')
    expect(run.stdout).toContain('packaged 3 files')
    expect(run.stdout).toContain('  ignore  .gitignore, src/.gitignore\n')
  })

  it('give way to a folder’s .packwrightignore', async () => {
    const dir = join(work, 'checkout-own')
    await writeTree(dir, { ...checkout, '.packwrightignore': '.turbo/\n' })
    const run = await runPackwright(['generate', dir, '--out', join(work, 'own.zip'), '--json'])
    const result = JSON.parse(run.stdout) as { entries: { path: string }[] }
    expect(result.entries.map((entry) => entry.path)).toEqual([
      '.gitignore',
      '.packwrightignore',
      'node_modules/dep/index.js',
      'src/.gitignore',
      'src/index.ts',
    ])
  })

  it('are all turned off by --no-ignore-files', async () => {
    const dir = join(work, 'checkout-all')
    await writeTree(dir, checkout)
    const run = await runPackwright([
      'generate',
      dir,
      '--out',
      join(work, 'all.zip'),
      '--no-ignore-files',
    ])
    expect(run.stdout).toContain('packaged 6 files')
    expect(run.stdout).toContain('  ignore  no ignore file applied\n')
  })
})

describe('a plain file as the source', () => {
  it('is an error that says it is not a spicepod manifest, even with --allow-empty', async () => {
    const dir = join(work, 'plain')
    await writeTree(dir, { 'notes.txt': 'remember the milk\n' })
    const run = await runPackwright(['generate', 'notes.txt', '--allow-empty'], { cwd: dir })
    expect(run.code).toBe(1)
    expect(run.stderr).toMatch(
      /^error \[SPICEPOD_PARSE_FAILED\]: "notes.txt" in local folder .* is a file, not a folder or a spicepod manifest/,
    )
    await expect(readFile(join(dir, 'package.zip'))).rejects.toThrow()
  })
})

describe('spicepod errors on the command line', () => {
  it('say what happened in packwright’s words, not Spice’s', async () => {
    const dir = join(work, 'pod-missing-link')
    await writeTree(dir, {
      'spicepod.yaml':
        'version: v1\nkind: Spicepod\nname: pod\ndatasets:\n  - from: file:missing.csv\n    name: d\n',
    })
    const run = await runPackwright(['generate', 'spicepod.yaml', '--out', join(work, 'p.zip')], {
      cwd: dir,
    })
    expect(run.code).toBe(1)
    expect(run.stderr).toMatch(/^error \[SPICEPOD_LINK_NOT_FOUND\]: /)
    expect(run.stderr).not.toContain('object store')
  })

  it('show the offending YAML line with a caret under the problem', async () => {
    const dir = join(work, 'pod-bad-yaml')
    await writeTree(dir, { 'spicepod.yaml': 'version: v1\nkind: Spicepod\nname: "unclosed' })
    const run = await runPackwright(['generate', 'spicepod.yaml', '--out', join(work, 'y.zip')], {
      cwd: dir,
    })
    expect(run.code).toBe(1)
    expect(run.stderr).toBe(
      'error [SPICEPOD_PARSE_FAILED]: spicepod.yaml: Missing closing "quote at line 3, column 16.\n' +
        '    name: "unclosed\n' +
        '                   ^\n',
    )
  })
})

describe('problems of one planning pass', () => {
  it('are reported together, capped, with their count', async () => {
    const dir = join(work, 'links-out')
    const tree: Record<string, { symlink: string } | string> = { 'readme.txt': 'hello\n' }
    for (let i = 1; i <= 13; i++)
      tree[`doc-${String(i).padStart(2, '0')}`] = { symlink: `/etc/f${i}` }
    await writeTree(dir, tree)
    const run = await runPackwright(['generate', dir, '--out', join(work, 'links.zip')])
    expect(run.code).toBe(1)
    const lines = run.stderr.split('\n')
    expect(lines[0]).toMatch(
      /^error \[SYMLINK_ESCAPES_ROOT\]: 13 problems stop the package of local folder .* \(the first 10 below\):$/,
    )
    expect(lines.filter((line) => line.startsWith('    - Symlink "doc-'))).toHaveLength(10)
    expect(lines).toContain('    - and 3 more.')
    expect(lines.at(-2)).toBe(
      'hint: Point the link at a path inside the package root, or exclude it.',
    )
  })

  it('hint nothing the user already does: a cycle without --follow-symlinks', async () => {
    const dir = join(work, 'cycle')
    await writeTree(dir, { 'a.txt': 'a\n', loop: { symlink: 'loop' } })
    const run = await runPackwright(['generate', dir, '--out', join(work, 'cycle.zip')])
    expect(run.code).toBe(1)
    expect(run.stderr).toMatch(/^error \[SYMLINK_CYCLE\]/)
    expect(run.stderr).not.toContain('without following')
  })
})
