import { execFileSync, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { chmod, mkdir, mkdtemp, readdir, rm, symlink, unlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { git } from './helpers/git.js'
import { startGitHubApi } from './helpers/start-github-api.js'
import { CLI_PATH, runPackwright } from './helpers/packwright-cli.js'
import { type TreeFile, writeTree } from './helpers/write-tree.js'

const TREE: Record<string, TreeFile> = {
  'README.md': '# verify me\n'.repeat(50),
  'src/app.js': 'console.log("app")\n'.repeat(300),
  'src/lib/util.js': 'export const id = (x) => x\n',
  'bin/run.sh': { content: '#!/bin/sh\necho run\n', executable: true },
  'data/empty.txt': '',
  'docs/ünïcode name.txt': 'utf-8 names\n',
  current: { symlink: 'src/app.js' },
}

interface Entry {
  path: string
  kind: string
  mode: string
  size: number
  sha256: string
  linkTarget?: string
}

interface VerifyJson {
  verdict: 'identical' | 'same-content' | 'different'
  zip: { path: string; sha256: string; size: number; contentDigest: string }
  source: {
    description: string
    commit?: string
    sha256: string
    size: number
    contentDigest: string
  }
  missing: Entry[]
  extra: Entry[]
  changed: { path: string; differences: string[]; expected: Entry; actual: Entry }[]
}

let work: string
let temp: string
let tree: string
let packageZip: string

/** Runs the CLI with its own TMPDIR, so that the test can see what it leaves behind. */
const packwright = (args: string[]) => runPackwright(args, { env: { TMPDIR: temp } })

async function verifyJson(zip: string, source: string, ...options: string[]): Promise<VerifyJson> {
  const run = await packwright(['verify', zip, source, '--json', ...options])
  expect(run.stderr).toBe('')
  const result = JSON.parse(run.stdout) as VerifyJson
  expect(run.code).toBe(result.verdict === 'different' ? 1 : 0)
  return result
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'packwright-verify-e2e-'))
  temp = join(work, 'tmp')
  await mkdir(temp)
  tree = join(work, 'tree')
  await writeTree(tree, TREE)
  packageZip = join(work, 'package.zip')
  const run = await packwright(['generate', tree, '--out', packageZip])
  expect(run.code).toBe(0)
})
afterAll(async () => {
  await rm(work, { recursive: true, force: true })
})

describe('packwright verify', () => {
  it('says identical for the zip generate wrote, exit 0, and leaves no temp file', async () => {
    const run = await packwright(['verify', packageZip, tree])
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/^verdict: identical \(/)
    expect(run.stdout).toContain(`  source   local folder ${tree}\n`)
    expect(await readdir(temp)).toEqual([])
    expect((await readdir(work)).sort()).toEqual(['package.zip', 'tmp', 'tree'])
  })

  it('prints one JSON object: the verdict, both packages and the three lists', async () => {
    const result = await verifyJson(packageZip, tree)
    expect(Object.keys(result)).toEqual(['verdict', 'zip', 'source', 'missing', 'extra', 'changed'])
    expect(result.verdict).toBe('identical')
    expect(Object.keys(result.zip)).toEqual(['path', 'sha256', 'size', 'contentDigest'])
    expect(result.zip.path).toBe(packageZip)
    expect(result.zip.sha256).toBe(result.source.sha256)
    expect(result.zip.contentDigest).toMatch(/^[0-9a-f]{64}$/)
    expect(result.zip.contentDigest).toBe(result.source.contentDigest)
    expect([result.missing, result.extra, result.changed]).toEqual([[], [], []])
    const generated = await packwright([
      'generate',
      tree,
      '--out',
      join(temp, 'again.zip'),
      '--json',
    ])
    const json = JSON.parse(generated.stdout) as { contentDigest: string }
    expect(json.contentDigest).toBe(result.zip.contentDigest)
    await rm(join(temp, 'again.zip'))
  })

  it('says same-content for the package extracted and zipped again by Info-ZIP (zip -r -9)', async () => {
    const extracted = join(work, 'extracted')
    execFileSync('unzip', ['-q', packageZip, '-d', extracted])
    const rezipped = join(work, 'rezipped.zip')
    execFileSync('zip', ['-q', '-r', '-9', '-y', '-X', rezipped, '.'], { cwd: extracted })
    try {
      const result = await verifyJson(rezipped, tree)
      expect(result.verdict).toBe('same-content')
      expect(result.zip.sha256).not.toBe(result.source.sha256)
      expect(result.zip.contentDigest).toBe(result.source.contentDigest)
      const text = await packwright(['verify', rezipped, tree])
      expect(text.code).toBe(0)
      expect(text.stdout).toMatch(/^verdict: same-content \(/)
    } finally {
      await rm(extracted, { recursive: true, force: true })
      await rm(rezipped, { force: true })
    }
  })

  it('rebuilds with the packaging options given: a stored package is identical at level 0 only', async () => {
    const stored = join(work, 'stored.zip')
    expect(
      (await packwright(['generate', tree, '--out', stored, '--compression-level', '0'])).code,
    ).toBe(0)
    try {
      expect((await verifyJson(stored, tree)).verdict).toBe('same-content')
      expect((await verifyJson(stored, tree, '--compression-level', '0')).verdict).toBe('identical')
      const narrower = await verifyJson(stored, tree, '--exclude', 'docs/**')
      expect(narrower.verdict).toBe('different')
      expect(narrower.extra.map((entry) => entry.path)).toEqual(['docs/ünïcode name.txt'])
    } finally {
      await rm(stored, { force: true })
    }
  })

  it('leaves out a zip written inside the packaged folder, and its folder, as generate does', async () => {
    const copy = join(work, 'inside-tree')
    await writeTree(copy, TREE)
    try {
      for (const out of ['package.zip', 'out/app.zip']) {
        const zip = join(copy, out)
        expect((await packwright(['generate', copy, '--out', zip])).code).toBe(0)
        const result = await verifyJson(zip, copy)
        expect(result.verdict, out).toBe('identical')
      }
      expect((await readdir(copy)).sort()).toEqual(
        [...(await readdir(tree)), 'out', 'package.zip'].sort(),
      )
      expect(await readdir(join(copy, 'out'))).toEqual(['app.zip'])
    } finally {
      await rm(copy, { recursive: true, force: true })
    }
  })

  it('lists a changed mode of a folder source', async () => {
    const copy = join(work, 'mode-tree')
    await writeTree(copy, TREE)
    await chmod(join(copy, 'README.md'), 0o755)
    try {
      const result = await verifyJson(packageZip, copy)
      expect(result.verdict).toBe('different')
      expect(result.changed).toEqual([
        {
          path: 'README.md',
          differences: ['mode'],
          expected: expect.objectContaining({ mode: '755' }) as Entry,
          actual: expect.objectContaining({ mode: '644' }) as Entry,
        },
      ])
    } finally {
      await rm(copy, { recursive: true, force: true })
    }
  })

  it('compares with a git commit: a changed, an added and a removed file, and a moved link', async () => {
    const repo = join(work, 'repo')
    await writeTree(repo, TREE)
    await git(repo, 'init', '-q')
    await git(repo, 'add', '-A')
    await git(repo, 'commit', '-q', '-m', 'first')
    const first = await git(repo, 'rev-parse', 'HEAD')
    const firstZip = join(work, 'first.zip')
    expect((await packwright(['generate', `git:${repo}#${first}`, '--out', firstZip])).code).toBe(0)
    await writeFile(join(repo, 'src/lib/util.js'), 'export const id = (y) => y // changed\n')
    await writeFile(join(repo, 'added.txt'), 'new\n')
    await unlink(join(repo, 'data/empty.txt'))
    await unlink(join(repo, 'current'))
    await symlink('README.md', join(repo, 'current'))
    await git(repo, 'add', '-A')
    await git(repo, 'commit', '-q', '-m', 'second')
    const second = await git(repo, 'rev-parse', 'HEAD')
    try {
      const same = await verifyJson(firstZip, `git:${repo}#${first}`)
      expect(same.verdict).toBe('identical')
      expect(same.source.commit).toBe(first)

      const result = await verifyJson(firstZip, `git:${repo}#${second}`)
      expect(result.verdict).toBe('different')
      expect(result.source.commit).toBe(second)
      // missing: in the source, not in the zip; extra: in the zip, not in the source
      expect(result.missing.map((entry) => [entry.path, entry.kind, entry.size])).toEqual([
        ['added.txt', 'file', 4],
      ])
      expect(result.extra.map((entry) => [entry.path, entry.kind, entry.size])).toEqual([
        ['data/empty.txt', 'file', 0],
      ])
      expect(
        result.changed.map(({ path, differences, expected, actual }) => [
          path,
          differences,
          expected.size,
          actual.size,
          expected.linkTarget,
          actual.linkTarget,
        ]),
      ).toEqual([
        ['current', ['linkTarget'], 9, 10, 'README.md', 'src/app.js'],
        ['src/lib/util.js', ['content'], 38, 27, undefined, undefined],
      ])

      const text = await packwright(['verify', firstZip, `git:${repo}#${second}`])
      expect(text.code).toBe(1)
      expect(text.stdout).toMatch(/^verdict: different \(1 missing, 1 extra, 2 changed\)\n/)
      expect(text.stdout).toContain('  missing  added.txt (file, 644, 4 B)\n')
      expect(text.stdout).toContain('  extra    data/empty.txt (file, 644, 0 B)\n')
      expect(text.stdout).toContain('  changed  current: link target "README.md" -> "src/app.js"\n')
      expect(text.stdout).toContain('  changed  src/lib/util.js: content 38 B -> 27 B\n')
      expect(await readdir(temp)).toEqual([])
    } finally {
      await rm(repo, { recursive: true, force: true })
      await rm(firstZip, { force: true })
    }
  })

  it('rebuilds a spicepod from a GitHub repository at a commit, without printing the token', async () => {
    const repo = join(work, 'pod-repo')
    const token = 'fake-token-for-verify-never-printed'
    await writeTree(repo, {
      'spicepod.yaml':
        'version: v1\nkind: Spicepod\nname: pod\ndatasets:\n  - from: file:data/orders.csv\n    name: orders\n',
      'data/orders.csv': 'id,total\n1,9.5\n',
      'unlinked.txt': 'not in the package\n',
    })
    await git(repo, 'init', '-q')
    await git(repo, 'add', '-A')
    await git(repo, 'commit', '-q', '-m', 'pod')
    const sha = await git(repo, 'rev-parse', 'HEAD')
    const api = await startGitHubApi({ repoDir: repo, owner: 'acme', repo: 'pod', token })
    const zip = join(work, 'pod.zip')
    try {
      const generated = await packwright([
        'generate',
        `git:${repo}#${sha}:spicepod.yaml`,
        '--out',
        zip,
      ])
      expect(generated.code).toBe(0)
      const run = await runPackwright(
        [
          'verify',
          zip,
          `github:acme/pod/${sha}/spicepod.yaml`,
          '--github-api-url',
          api.url,
          '--json',
        ],
        { env: { TMPDIR: temp, GITHUB_TOKEN: token } },
      )
      expect(run.stderr).toBe('')
      expect(run.code).toBe(0)
      expect(run.stdout).not.toContain(token)
      const result = JSON.parse(run.stdout) as VerifyJson
      expect(result.verdict).toBe('identical')
      expect(result.source.commit).toBe(sha)
      expect(api.requests.length).toBeGreaterThan(0)
      expect(await readdir(temp)).toEqual([])
    } finally {
      await api.close()
      await rm(repo, { recursive: true, force: true })
      await rm(zip, { force: true })
    }
  })

  it('refuses a file that is no valid zip with its code, exit 1, before packaging anything', async () => {
    const bad = join(work, 'bad.zip')
    await writeFile(bad, 'this is not a zip at all, only some text\n')
    try {
      for (const json of [[], ['--json']]) {
        const run = await packwright(['verify', bad, join(work, 'no-such-source'), ...json])
        expect(run.code).toBe(1)
        expect(run.stdout).toBe('')
        expect(run.stderr).toMatch(/^error \[ZIP_NOT_A_ZIP\]: [^\n]+\n$/)
      }
      expect(await readdir(temp)).toEqual([])
    } finally {
      await rm(bad, { force: true })
    }
  })

  it('removes the rebuilt package when packaging the source fails', async () => {
    const run = await packwright(['verify', packageZip, join(work, 'no-such-folder')])
    expect(run.code).toBe(1)
    expect(run.stdout).toBe('')
    expect(run.stderr).toMatch(/^error \[SOURCE_NOT_FOUND\]: /)
    expect(await readdir(temp)).toEqual([])
  })

  it('removes the rebuilt package when interrupted, and exits 130 on SIGINT', async () => {
    const big = join(work, 'big')
    await mkdir(big)
    for (const name of ['a.bin', 'b.bin']) await writeFile(join(big, name), randomBytes(40 << 20))
    const bigZip = join(work, 'big.zip')
    expect((await packwright(['generate', big, '--out', bigZip])).code).toBe(0)
    const child = spawn(process.execPath, [CLI_PATH, 'verify', bigZip, big], {
      env: { ...process.env, TMPDIR: temp },
    })
    let stderr = ''
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    const exited = new Promise<number | null>((done) => child.on('close', done))
    try {
      const deadline = Date.now() + 20_000
      while ((await readdir(temp)).length === 0) {
        if (child.exitCode !== null || Date.now() > deadline) {
          throw new Error(`verify ended or stalled before it began packaging: ${stderr}`)
        }
        await new Promise((wait) => setTimeout(wait, 5))
      }
      child.kill('SIGINT')
      expect(await exited).toBe(130)
      expect(stderr).toContain('error [ABORTED]: interrupted by SIGINT')
      expect(await readdir(temp)).toEqual([])
    } finally {
      child.kill('SIGKILL')
      await rm(big, { recursive: true, force: true })
      await rm(bigZip, { force: true })
    }
  })

  it('says what is wrong with a command line that has no source (exit 2)', async () => {
    const run = await packwright(['verify', packageZip])
    expect(run.code).toBe(2)
    expect(run.stderr).toBe(
      'error [USAGE]: verify takes a <zip> and a <source>, got 1 argument\nhint: run `packwright verify --help` for its options.\n',
    )
    const help = await packwright(['verify', '--help'])
    expect(help.code).toBe(0)
    expect(help.stdout).toContain(
      'Exit code: 0 identical or same-content, 1 different or failed, 2 usage.',
    )
  })
})
