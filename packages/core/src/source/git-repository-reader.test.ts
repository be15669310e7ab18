import { execFileSync } from 'node:child_process'
import { chmod, mkdtemp, rm, unlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buffer } from 'node:stream/consumers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createGitFixture, type GitFixture } from '../../test/helpers/git-fixture.js'
import { createGitRepositoryReader } from './git-repository-reader.js'
import { planSpicepodPackage } from '../spicepod/plan-spicepod-package.js'
import { rejection } from '../../test/helpers/rejection.js'
import { recordingLogger } from '../../test/helpers/recording-logger.js'

const FIRST_DATE = '2023-11-14T22:13:20Z' // 1700000000
const SECOND_DATE = '2024-01-02T03:04:05Z'

const big = Buffer.alloc(1_500_000)
for (let i = 0; i < big.length; i++) big[i] = (i * 31 + (i >> 8)) & 0xff

describe('createGitRepositoryReader', () => {
  let repo: GitFixture
  let first: string
  let second: string

  beforeAll(async () => {
    repo = await createGitFixture()
    await repo.write({
      'spicepod.yaml': 'version: v1\nkind: Spicepod\nname: demo\n',
      'data/trips.csv': 'id,fare\n1,9.5\n',
      'scripts/refresh.sh': { content: '#!/bin/sh\necho refresh\n', executable: true },
      'latest.csv': { symlink: 'data/trips.csv' },
      '.env.example': 'TOKEN=\n',
      'big.bin': big,
      'a-b': 'dash',
      'a/b': 'slash',
      a0: 'zero',
    })
    first = await repo.commit('first', FIRST_DATE)
    await repo.write({ 'data/trips.csv': 'id,fare\n1,9.5\n2,12\n' })
    second = await repo.commit('second', SECOND_DATE)
  })

  afterAll(async () => {
    await repo.remove()
  })

  it('lists the commit tree with sizes, modes and symlink targets, sorted in code-unit order', async () => {
    const reader = await createGitRepositoryReader({ repoDir: repo.dir, rev: first })
    try {
      const listed = await reader.list('')
      expect(listed.map((entry) => entry.path)).toEqual([
        '.env.example',
        'a-b',
        'a/b',
        'a0',
        'big.bin',
        'data/trips.csv',
        'latest.csv',
        'scripts/refresh.sh',
        'spicepod.yaml',
      ])
      expect(await reader.stat('scripts/refresh.sh')).toEqual({
        path: 'scripts/refresh.sh',
        kind: 'file',
        size: 23,
        executable: true,
      })
      expect(await reader.stat('latest.csv')).toEqual({
        path: 'latest.csv',
        kind: 'symlink',
        size: 14,
        executable: false,
        linkTarget: 'data/trips.csv',
      })
      expect(await reader.stat('data')).toBeUndefined()
      expect(reader.sourceDateEpoch).toBe(1_700_000_000)
      expect(reader.description).toContain(first.slice(0, 12))
    } finally {
      await reader.close()
    }
  })

  it('plans a spicepod in a sub-folder of a commit, with unicode and spaces in its paths', async () => {
    const scratch = await createGitFixture()
    try {
      await scratch.write({
        'pods/ventes été/spicepod.yaml':
          'version: v1\nkind: Spicepod\nname: ventes\ndatasets:\n  - from: file:données/mois 01.csv\n    name: m\n',
        'pods/ventes été/données/mois 01.csv': 'mois,total\n1,42\n',
        'données/mois 01.csv': 'repository root: not packaged\n',
      })
      const sha = await scratch.commit('pods', FIRST_DATE)
      await scratch.write({ 'pods/ventes été/données/mois 01.csv': 'working tree edit\n' })
      const reader = await createGitRepositoryReader({ repoDir: scratch.dir, rev: sha })
      try {
        const entries = await planSpicepodPackage({
          reader,
          manifestPath: 'pods/ventes été/spicepod.yaml',
        })
        expect(entries.map((entry) => [entry.zipPath, entry.sourcePath])).toEqual([
          ['données/mois 01.csv', 'pods/ventes été/données/mois 01.csv'],
          ['spicepod.yaml', 'pods/ventes été/spicepod.yaml'],
        ])
        const bytes = await reader.readBytes('pods/ventes été/données/mois 01.csv')
        expect(bytes.toString()).toBe('mois,total\n1,42\n')
      } finally {
        await reader.close()
      }
    } finally {
      await scratch.remove()
    }
  })

  it('lists under a prefix; a missing folder or a file prefix lists nothing', async () => {
    const reader = await createGitRepositoryReader({ repoDir: repo.dir, rev: first })
    try {
      expect((await reader.list('data')).map((entry) => entry.path)).toEqual(['data/trips.csv'])
      expect((await reader.list('a')).map((entry) => entry.path)).toEqual(['a/b'])
      expect(await reader.list('missing')).toEqual([])
      expect(await reader.list('spicepod.yaml')).toEqual([])
      expect((await rejection(reader.list('../x'))).code).toBe('SOURCE_PATH_INVALID')
    } finally {
      await reader.close()
    }
  })

  it('reads each commit as committed, whichever revision is asked for', async () => {
    const older = await createGitRepositoryReader({ repoDir: repo.dir, rev: first.slice(0, 10) })
    const newer = await createGitRepositoryReader({ repoDir: repo.dir, rev: second })
    try {
      expect((await older.readBytes('data/trips.csv')).toString()).toBe('id,fare\n1,9.5\n')
      expect((await newer.readBytes('data/trips.csv')).toString()).toBe('id,fare\n1,9.5\n2,12\n')
      expect(newer.sourceDateEpoch).toBe(Date.parse(SECOND_DATE) / 1000)
    } finally {
      await older.close()
      await newer.close()
    }
  })

  it('ignores the working tree: edits, deletions, new files and mode changes after the commit', async () => {
    const scratch = await createGitFixture()
    try {
      await scratch.write({
        'keep.txt': 'committed\n',
        'gone.txt': 'committed too\n',
        'run.sh': { content: '#!/bin/sh\n', executable: true },
      })
      const sha = await scratch.commit('only', FIRST_DATE)
      await writeFile(join(scratch.dir, 'keep.txt'), 'edited in the working tree\n')
      await unlink(join(scratch.dir, 'gone.txt'))
      await writeFile(join(scratch.dir, 'untracked.txt'), 'new\n')
      await chmod(join(scratch.dir, 'run.sh'), 0o644)
      const reader = await createGitRepositoryReader({ repoDir: scratch.dir, rev: sha })
      try {
        expect((await reader.list('')).map((entry) => entry.path)).toEqual([
          'gone.txt',
          'keep.txt',
          'run.sh',
        ])
        expect((await reader.readBytes('keep.txt')).toString()).toBe('committed\n')
        expect((await buffer(reader.open('gone.txt'))).toString()).toBe('committed too\n')
        expect((await reader.stat('run.sh'))?.executable).toBe(true)
        expect((await rejection(reader.readBytes('untracked.txt'))).code).toBe('SOURCE_NOT_FOUND')
      } finally {
        await reader.close()
      }
    } finally {
      await scratch.remove()
    }
  })

  it('takes executable bits and symlinks from the tree, not from the disk', async () => {
    const scratch = await createGitFixture()
    try {
      await scratch.write({ tool: 'plain on disk\n' })
      await scratch.git(['add', 'tool'])
      await scratch.git(['update-index', '--chmod=+x', 'tool'])
      // A symlink only in the index (the disk has no such file).
      await writeFile(join(scratch.dir, '.target'), 'docs/README.md')
      const linkBlob = await scratch.git(['hash-object', '-w', '.target'])
      await unlink(join(scratch.dir, '.target'))
      await scratch.git(['update-index', '--add', '--cacheinfo', `120000,${linkBlob},docs-link`])
      await scratch.git(['commit', '-q', '-m', 'modes'], { GIT_COMMITTER_DATE: FIRST_DATE })
      const sha = await scratch.git(['rev-parse', 'HEAD'])
      const reader = await createGitRepositoryReader({ repoDir: scratch.dir, rev: sha })
      try {
        expect(await reader.list('')).toEqual([
          {
            path: 'docs-link',
            kind: 'symlink',
            size: 14,
            executable: false,
            linkTarget: 'docs/README.md',
          },
          { path: 'tool', kind: 'file', size: 14, executable: true },
        ])
        expect((await reader.readBytes('docs-link')).toString()).toBe('docs/README.md')
      } finally {
        await reader.close()
      }
    } finally {
      await scratch.remove()
    }
  })

  it('warns about submodules and leaves them out', async () => {
    const scratch = await createGitFixture()
    try {
      await scratch.write({ 'README.md': 'x\n' })
      await scratch.commit('base', FIRST_DATE)
      await scratch.git(['update-index', '--add', '--cacheinfo', `160000,${first},vendor/lib`])
      await scratch.git(['commit', '-q', '-m', 'submodule'], { GIT_COMMITTER_DATE: FIRST_DATE })
      const logger = recordingLogger()
      const reader = await createGitRepositoryReader({ repoDir: scratch.dir, rev: 'HEAD', logger })
      try {
        expect((await reader.list('')).map((entry) => entry.path)).toEqual(['README.md'])
        expect(logger.lines.filter((line) => line.startsWith('warn'))).toEqual([
          'warn Skipping 1 git submodule (submodules are not packaged): vendor/lib',
        ])
      } finally {
        await reader.close()
      }
    } finally {
      await scratch.remove()
    }
  })

  it('streams large blobs, and a destroyed stream does not disturb later reads', async () => {
    const reader = await createGitRepositoryReader({ repoDir: repo.dir, rev: first })
    try {
      expect((await buffer(reader.open('big.bin'))).equals(big)).toBe(true)
      const partial = reader.open('big.bin')
      await new Promise<void>((done) => partial.once('readable', () => done()))
      expect(partial.read(1000)).toHaveLength(1000)
      partial.destroy()
      expect((await reader.readBytes('spicepod.yaml')).toString()).toContain('name: demo')
      expect((await buffer(reader.open('a0'))).toString()).toBe('zero')
      expect((await buffer(reader.open('latest.csv'))).toString()).toBe('data/trips.csv')
    } finally {
      await reader.close()
    }
  })

  it('serialises concurrent requests to the one git process', async () => {
    const reader = await createGitRepositoryReader({ repoDir: repo.dir, rev: first })
    try {
      const paths = [
        'a-b',
        'a/b',
        'a0',
        'spicepod.yaml',
        'big.bin',
        'data/trips.csv',
        '.env.example',
      ]
      const contents = await Promise.all([...paths, ...paths].map((path) => reader.readBytes(path)))
      expect(contents[0]?.toString()).toBe('dash')
      expect(contents[1]?.toString()).toBe('slash')
      expect(contents[2]?.toString()).toBe('zero')
      expect(contents[4]?.equals(big)).toBe(true)
      expect(contents[7]?.toString()).toBe('dash')
      expect(contents[11]?.equals(big)).toBe(true)
      expect(contents[13]?.toString()).toBe('TOKEN=\n')
    } finally {
      await reader.close()
    }
  })

  it('fails with GIT_COMMIT_NOT_FOUND for an unknown SHA or a non-commit object', async () => {
    const unknown = await rejection(
      createGitRepositoryReader({
        repoDir: repo.dir,
        rev: 'deadbeefdeadbeefdeadbeefdeadbeefdeadbeef',
      }),
    )
    expect(unknown.code).toBe('GIT_COMMIT_NOT_FOUND')
    expect(unknown.message).toContain('deadbeef')
    const blob = await repo.git(['rev-parse', `${first}:spicepod.yaml`])
    expect(
      (await rejection(createGitRepositoryReader({ repoDir: repo.dir, rev: blob }))).code,
    ).toBe('GIT_COMMIT_NOT_FOUND')
  })

  it('fails with GIT_FAILED and git’s message when the folder is not a repository', async () => {
    const plain = await mkdtemp(join(tmpdir(), 'packwright-not-git-'))
    try {
      const error = await rejection(createGitRepositoryReader({ repoDir: plain, rev: first }))
      expect(error.code).toBe('GIT_FAILED')
      expect(error.message).toMatch(/not a git repository/)
      const missing = await rejection(
        createGitRepositoryReader({ repoDir: join(plain, 'missing'), rev: first }),
      )
      expect(missing.code).toBe('GIT_FAILED')
    } finally {
      await rm(plain, { recursive: true, force: true })
    }
  })

  it('refuses option-like revisions', async () => {
    const error = await rejection(createGitRepositoryReader({ repoDir: repo.dir, rev: '--all' }))
    expect(error.code).toBe('INVALID_ARGUMENT')
  })

  it('ends its git process on close; reads after close fail cleanly', async () => {
    const reader = await createGitRepositoryReader({ repoDir: repo.dir, rev: first })
    await reader.close()
    await reader.close()
    expect((await rejection(reader.readBytes('a0'))).code).toBe('GIT_FAILED')
  })

  it('lists 300 symlinks with their own targets, read from git all at once', async () => {
    const scratch = await createGitFixture()
    try {
      const files: Record<string, { symlink: string } | string> = {}
      for (let i = 0; i < 300; i++) {
        files[`links/${String(i).padStart(3, '0')}`] = {
          symlink: `../targets/${'t'.repeat(i % 40)}${i}`,
        }
        if (i % 50 === 0) files[`plain/${i}.txt`] = `plain ${i}\n`
      }
      await scratch.write(files)
      const sha = await scratch.commit('links', FIRST_DATE)
      const reader = await createGitRepositoryReader({ repoDir: scratch.dir, rev: sha })
      try {
        const listed = await reader.list('')
        expect(listed).toHaveLength(306)
        const wrong = listed.filter((entry) => {
          const file = files[entry.path]
          if (typeof file === 'string') return entry.kind !== 'file' || entry.size !== file.length
          return entry.kind !== 'symlink' || entry.linkTarget !== file?.symlink
        })
        expect(wrong).toEqual([])
        expect((await reader.readBytes('links/299')).toString()).toBe(
          `../targets/${'t'.repeat(19)}299`,
        )
      } finally {
        await reader.close()
      }
    } finally {
      await scratch.remove()
    }
  })

  it('reads a 1,000-file commit through one process', async () => {
    const scratch = await createGitFixture()
    try {
      const files: Record<string, string> = {}
      for (let i = 0; i < 1000; i++) files[`dir${i % 10}/file${i}.txt`] = `content ${i}\n`
      await scratch.write(files)
      const sha = await scratch.commit('many', FIRST_DATE)
      const reader = await createGitRepositoryReader({ repoDir: scratch.dir, rev: sha })
      try {
        const listed = await reader.list('')
        expect(listed).toHaveLength(1000)
        let total = 0
        for (const entry of listed) {
          const bytes = await reader.readBytes(entry.path)
          expect(bytes.toString()).toBe(files[entry.path])
          total += bytes.length
        }
        expect(total).toBe(listed.reduce((sum, entry) => sum + entry.size, 0))
      } finally {
        await reader.close()
      }
    } finally {
      await scratch.remove()
    }
  })
})

describe('createGitRepositoryReader commits and messages', () => {
  let repo: GitFixture
  let first: string

  beforeAll(async () => {
    repo = await createGitFixture()
    await repo.write({ 'a.txt': 'a\n', 'big.bin': big })
    first = await repo.commit('first', FIRST_DATE)
  })

  afterAll(async () => {
    await repo.remove()
  })

  /** Writes a commit object as given (no checks) over the first commit's tree. */
  async function handMadeCommit(headers: string, message: string): Promise<string> {
    const tree = await repo.git(['rev-parse', `${first}^{tree}`])
    const text = `tree ${tree}\n${headers}\n${message}`
    const file = join(repo.dir, '.git', 'hand-made-commit')
    await writeFile(file, text)
    return repo.git(['hash-object', '-t', 'commit', '--literally', '-w', file])
  }

  it('takes the commit time from the committer header only, negative times included', async () => {
    const cases: [string, string, number | undefined][] = [
      ['author A <a@x> 5 +0000\ncommitter C <c@x> -1000 +0130\n', 'm\n', -1000],
      ['author A <a@x> 5 +0000\ncommitter C <c@x> 1234 -0500\n', 'm\n', 1234],
      // No committer header; a message line that looks like one is not one.
      ['author A <a@x> 5 +0000\n', 'committer C <c@x> 77 +0000\n', undefined],
      ['author A <a@x> 5 +0000\ncommitter C <c@x> soon +0000\n', 'm\n', undefined],
      ['author A <a@x> 5 +0000\ncommitter C <c@x> 42 +0000 trailing\n', 'm\n', undefined],
    ]
    for (const [headers, message, expected] of cases) {
      const sha = await handMadeCommit(headers, message)
      const reader = await createGitRepositoryReader({ repoDir: repo.dir, rev: sha })
      try {
        expect(reader.sourceDateEpoch).toBe(expected)
        expect(reader.commit).toBe(sha)
      } finally {
        await reader.close()
      }
    }
  })

  it('reads a SHA-256 repository', async () => {
    const sha256 = await mkdtemp(join(tmpdir(), 'packwright-sha256-'))
    try {
      const git = (args: string[]) =>
        execFileSync('git', ['-C', sha256, ...args], {
          env: {
            ...process.env,
            GIT_CONFIG_NOSYSTEM: '1',
            GIT_CONFIG_GLOBAL: '/dev/null',
            GIT_AUTHOR_NAME: 'A',
            GIT_AUTHOR_EMAIL: 'a@example.com',
            GIT_COMMITTER_NAME: 'C',
            GIT_COMMITTER_EMAIL: 'c@example.com',
            GIT_COMMITTER_DATE: FIRST_DATE,
          },
        })
          .toString()
          .trim()
      git(['init', '-q', '--object-format=sha256'])
      await writeFile(join(sha256, 'hello.txt'), 'hello\n')
      git(['add', 'hello.txt'])
      git(['commit', '-q', '-m', 'one'])
      const commit = git(['rev-parse', 'HEAD'])
      expect(commit).toMatch(/^[0-9a-f]{64}$/)
      const reader = await createGitRepositoryReader({ repoDir: sha256, rev: 'HEAD' })
      try {
        expect(reader.commit).toBe(commit)
        expect(reader.sourceDateEpoch).toBe(1_700_000_000)
        expect((await reader.readBytes('hello.txt')).toString()).toBe('hello\n')
        expect((await buffer(reader.open('hello.txt'))).toString()).toBe('hello\n')
      } finally {
        await reader.close()
      }
    } finally {
      await rm(sha256, { recursive: true, force: true })
    }
  })

  it('says which commit is missing from which repository, and how to get it', async () => {
    const rev = 'deadbeefdeadbeefdeadbeefdeadbeefdeadbeef'
    const error = await rejection(createGitRepositoryReader({ repoDir: repo.dir, rev }))
    expect(error.message).toBe(
      `No commit "${rev}" in the git repository ${JSON.stringify(repo.dir)}.`,
    )
    expect(error.hint).toBe(
      'Fetch the commit (git fetch) or check the SHA; shallow clones may not have it.',
    )
    expect(error.details).toEqual({ repoDir: repo.dir, rev: `"${rev}"` })
  })

  it.each([
    ['', '""'],
    ['-x', '"-x"'],
    ['ma\nin', '"ma\\nin"'],
    ['ma\u007fin', '"ma\\u007fin"'],
  ])('refuses the revision %j before running git', async (rev, quoted) => {
    const error = await rejection(createGitRepositoryReader({ repoDir: repo.dir, rev }))
    expect(error.code).toBe('INVALID_ARGUMENT')
    expect(error.message).toBe(
      `Invalid git revision ${quoted}: expected a commit SHA or a ref name (not empty, no leading \`-\`, no control characters).`,
    )
    expect(error.details).toEqual({ rev: quoted })
  })

  it('refuses to start once the signal has fired', async () => {
    const controller = new AbortController()
    controller.abort()
    const error = await rejection(
      createGitRepositoryReader({ repoDir: repo.dir, rev: first, signal: controller.signal }),
    )
    expect(error.code).toBe('ABORTED')
    expect(error.message).toBe('Opening the git repository was aborted.')
  })

  it('names the missing file and the commit, and describes itself by folder and commit', async () => {
    const reader = await createGitRepositoryReader({ repoDir: repo.dir, rev: first })
    try {
      expect(reader.description).toBe(`git repository ${repo.dir} at ${first.slice(0, 12)}`)
      const error = await rejection(reader.readBytes('nope.txt'))
      expect(error.code).toBe('SOURCE_NOT_FOUND')
      expect(error.message).toBe(
        `No file at "nope.txt" in git commit ${first.slice(0, 12)} of ${JSON.stringify(repo.dir)}.`,
      )
      expect(error.details).toEqual({ path: 'nope.txt', commit: first })
      const streamed = await rejection(buffer(reader.open('nope.txt')))
      expect(streamed.code).toBe('SOURCE_NOT_FOUND')
    } finally {
      await reader.close()
    }
  })

  it('ends a stream when its own signal fires, and keeps serving later reads', async () => {
    const reader = await createGitRepositoryReader({ repoDir: repo.dir, rev: first })
    try {
      const controller = new AbortController()
      const stream = reader.open('big.bin', { signal: controller.signal })
      await new Promise<void>((done) => stream.once('readable', () => done()))
      controller.abort()
      const error = await rejection(buffer(stream))
      expect(error.code).toBe('ABORTED')
      expect(error.message).toBe('Reading "big.bin" was aborted.')
      expect((await reader.readBytes('a.txt')).toString()).toBe('a\n')
      const fired = await rejection(reader.list('', { signal: controller.signal }))
      expect(fired.message).toBe('Listing the git tree was aborted.')
      const stat = await rejection(reader.stat('a.txt', { signal: controller.signal }))
      expect(stat.message).toBe('Reading the git tree was aborted.')
      const read = await rejection(reader.readBytes('a.txt', { signal: controller.signal }))
      expect(read.message).toBe('Reading "a.txt" was aborted.')
    } finally {
      await reader.close()
    }
  })

  it('counts the submodules it skips and names the first ten', async () => {
    const scratch = await createGitFixture()
    try {
      await scratch.write({ 'README.md': 'x\n' })
      await scratch.commit('base', FIRST_DATE)
      for (let i = 0; i < 11; i++) {
        await scratch.git(['update-index', '--add', '--cacheinfo', `160000,${first},sub${i}`])
      }
      await scratch.git(['commit', '-q', '-m', 'subs'], { GIT_COMMITTER_DATE: FIRST_DATE })
      const logger = recordingLogger()
      const reader = await createGitRepositoryReader({ repoDir: scratch.dir, rev: 'HEAD', logger })
      await reader.close()
      expect(logger.lines.filter((line) => line.startsWith('warn'))).toEqual([
        'warn Skipping 11 git submodules (submodules are not packaged): sub0, sub1, sub10, sub2, sub3, sub4, sub5, sub6, sub7, sub8, …',
      ])
    } finally {
      await scratch.remove()
    }
  })
})
