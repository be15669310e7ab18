import { execFileSync } from 'node:child_process'
import { getEventListeners } from 'node:events'
import { access, chmod, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'
import { buffer } from 'node:stream/consumers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createGitFixture, type GitFixture } from '../../test/helpers/git-fixture.js'
import { rejection } from '../../test/helpers/rejection.js'
import { type Logger } from '../logger.js'
import { createGitRepositoryReader } from './git-repository-reader.js'
import { type SourceReader } from './source-reader.js'

// Real repositories, read through a `git` shell script that hands every
// command to the real git unless the test asks it to answer `rev-parse` or
// `ls-tree` itself (with output no real git writes, or after a pause).

const DATE = '2023-11-14T22:13:20Z' // 1700000000

interface FakeAnswers {
  /** The file whose bytes `git ls-tree` prints. */
  readonly lsTree?: string
  /** `git ls-tree` writes this to stderr and exits 128. */
  readonly lsTreeFails?: string
  /** `git rev-parse` prints this and exits with `revParseExit`. */
  readonly revParse?: string
  readonly revParseExit?: number
  readonly revParseStderr?: string
  /** `rev-parse` (or `ls-tree`) creates this file, then sleeps three seconds. */
  readonly pauseIn?: 'rev-parse' | 'ls-tree'
  readonly marker?: string
}

let repo: GitFixture
let work: string
let bin: string
let plain: string
let plainBlob: string
let noSubmodules: string
let tenSubmodules: string
let submodule: string

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'packwright-git-edges-'))
  bin = join(work, 'bin')
  const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim()
  execFileSync('mkdir', [bin])
  await writeFile(
    join(bin, 'git'),
    [
      '#!/bin/sh',
      'if [ "$3" = "$FAKE_PAUSE_IN" ]; then : > "$FAKE_MARKER"; exec sleep 3; fi',
      'if [ "$3" = ls-tree ] && [ -n "$FAKE_LS_TREE" ]; then exec cat "$FAKE_LS_TREE"; fi',
      'if [ "$3" = ls-tree ] && [ -n "$FAKE_LS_TREE_FAILS" ]; then',
      '  printf \'%s\\n\' "$FAKE_LS_TREE_FAILS" >&2; exit 128',
      'fi',
      'if [ "$3" = rev-parse ] && [ -n "$FAKE_REV_PARSE_EXIT" ]; then',
      '  printf \'%s\\n\' "$FAKE_REV_PARSE"',
      '  [ -n "$FAKE_REV_PARSE_STDERR" ] && printf \'%s\\n\' "$FAKE_REV_PARSE_STDERR" >&2',
      '  exit "$FAKE_REV_PARSE_EXIT"',
      'fi',
      `exec '${realGit}' "$@"`,
    ].join('\n'),
  )
  await chmod(join(bin, 'git'), 0o755)

  repo = await createGitFixture()
  await repo.write({
    'plain.txt': 'hello\n',
    'tool.sh': { content: '#!/bin/sh\n', executable: true },
    link: { symlink: 'plain.txt' },
    'odd\uFFFDname.txt': 'valid UTF-8 with a replacement character\n',
  })
  noSubmodules = await repo.commit('files', DATE)
  plain = repo.dir
  plainBlob = await repo.git(['rev-parse', `${noSubmodules}:plain.txt`])
  await repo.git(['update-index', '--add', '--cacheinfo', `160000,${noSubmodules},sub`])
  submodule = await commitIndex('one submodule')
  for (let i = 1; i < 10; i++) {
    await repo.git(['update-index', '--add', '--cacheinfo', `160000,${noSubmodules},sub${i}`])
  }
  tenSubmodules = await commitIndex('ten submodules')
})

/** Commits the index as it is (gitlinks have no folder on disk for `git add -A` to keep). */
async function commitIndex(message: string): Promise<string> {
  await repo.git(['commit', '-q', '--no-verify', '-m', message], { GIT_COMMITTER_DATE: DATE })
  return repo.git(['rev-parse', 'HEAD'])
}

afterAll(async () => {
  await repo.remove()
  await rm(work, { recursive: true, force: true })
})

/** Opens the reader with the stand-in git on the PATH, answering as `answers` says. */
async function openWithFakeGit(
  answers: FakeAnswers,
  options: { rev?: string; signal?: AbortSignal; logger?: Logger } = {},
): Promise<SourceReader> {
  const env: Record<string, string | undefined> = {
    PATH: `${bin}${delimiter}${process.env.PATH ?? ''}`,
    FAKE_LS_TREE: answers.lsTree,
    FAKE_LS_TREE_FAILS: answers.lsTreeFails,
    FAKE_REV_PARSE: answers.revParse,
    FAKE_REV_PARSE_EXIT: answers.revParseExit?.toString(),
    FAKE_REV_PARSE_STDERR: answers.revParseStderr,
    FAKE_PAUSE_IN: answers.pauseIn,
    FAKE_MARKER: answers.marker,
  }
  const saved = Object.fromEntries(Object.keys(env).map((key) => [key, process.env[key]]))
  const set = (values: Record<string, string | undefined>): void => {
    for (const [key, value] of Object.entries(values)) {
      if (value === undefined) delete process.env[key]
      else process.env[key] = value
    }
  }
  set(env)
  try {
    return await createGitRepositoryReader({
      repoDir: plain,
      rev: options.rev ?? noSubmodules,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      ...(options.logger === undefined ? {} : { logger: options.logger }),
    })
  } finally {
    set(saved)
  }
}

let listings = 0
/** A file holding `bytes`, for the stand-in `git ls-tree` to print. */
async function listing(bytes: Buffer | string): Promise<string> {
  const file = join(work, `ls-tree-${listings++}`)
  await writeFile(file, bytes)
  return file
}

/** One `ls-tree -z -l` record (without its NUL). */
const record = (mode: string, type: string, id: string, size: string, path: string): string =>
  `${mode} ${type} ${id} ${size.padStart(7)}\t${path}`

const lsTreeFailed = (detail: string): string =>
  `git ls-tree failed in ${JSON.stringify(plain)}: ${detail}`

describe('createGitRepositoryReader with ls-tree output no real git writes', () => {
  it('fails on a record without a tab, quoting it', async () => {
    const file = await listing(`${record('100644', 'blob', plainBlob, '6', 'a')}\0garbage\0`)
    const error = await rejection(openWithFakeGit({ lsTree: file }))
    expect(error.code).toBe('GIT_FAILED')
    expect(error.message).toBe(lsTreeFailed('unexpected output record "garbage"'))
  })

  it('fails on an empty first record', async () => {
    const file = await listing(`\0${record('100644', 'blob', plainBlob, '6', 'a')}\0`)
    const error = await rejection(openWithFakeGit({ lsTree: file }))
    expect(error.message).toBe(lsTreeFailed('unexpected output record ""'))
  })

  it('reads a last record that has no NUL after it', async () => {
    const file = await listing(record('100644', 'blob', plainBlob, '6', 'last.txt'))
    const reader = await openWithFakeGit({ lsTree: file })
    try {
      expect(await reader.list('')).toEqual([
        { path: 'last.txt', kind: 'file', size: 6, executable: false },
      ])
      expect((await reader.readBytes('last.txt')).toString()).toBe('hello\n')
    } finally {
      await reader.close()
    }
  })

  it('refuses, when listed, an entry with no type or of type tree', async () => {
    const file = await listing(
      `\tw/untyped\0${record('040000', 'tree', plainBlob, '-', 't/dir')}\0${record('100644', 'blob', plainBlob, '6', 'ok.txt')}\0`,
    )
    const reader = await openWithFakeGit({ lsTree: file })
    try {
      const where = `git repository ${plain} at ${noSubmodules.slice(0, 12)}`
      const untyped = await rejection(reader.list('w'))
      expect(untyped.code).toBe('SOURCE_PATH_INVALID')
      expect(untyped.message).toBe(
        `Cannot package "w/untyped" from ${where}: the path is a tree entry of type "" (mode ), which is neither a file, a symlink nor a submodule; expected a relative POSIX path inside the source.`,
      )
      const tree = await rejection(reader.list('t'))
      expect(tree.message).toBe(
        `Cannot package "t/dir" from ${where}: the path is a tree entry of type "tree" (mode 040000), which is neither a file, a symlink nor a submodule; expected a relative POSIX path inside the source.`,
      )
      expect(await reader.stat('t/dir')).toBeUndefined()
      expect(await reader.list('ok.txt')).toEqual([])
    } finally {
      await reader.close()
    }
  })

  it('refuses, when listed, a path with a `..` segment', async () => {
    const file = await listing(`${record('100644', 'blob', plainBlob, '6', 'p/../q')}\0`)
    const reader = await openWithFakeGit({ lsTree: file })
    try {
      const error = await rejection(reader.list(''))
      expect(error.code).toBe('SOURCE_PATH_INVALID')
      expect(error.message).toContain('"p/../q"')
    } finally {
      await reader.close()
    }
  })

  it('takes a blob record without object id or size as size 0 with the empty id', async () => {
    const file = await listing('100644 blob\tshort\0')
    const reader = await openWithFakeGit({ lsTree: file })
    try {
      expect(await reader.list('')).toEqual([
        { path: 'short', kind: 'file', size: 0, executable: false },
      ])
      const error = await rejection(reader.readBytes('short'))
      expect(error.message).toBe('Not a git object id: "".')
    } finally {
      await reader.close()
    }
  })

  it('fails reading a blob whose size is not the one the tree lists', async () => {
    const file = await listing(`${record('100644', 'blob', plainBlob, '99', 'plain.txt')}\0`)
    const reader = await openWithFakeGit({ lsTree: file })
    try {
      const error = await rejection(reader.readBytes('plain.txt'))
      expect(error.code).toBe('SOURCE_READ_FAILED')
      expect(error.message).toBe(
        'The git object for "plain.txt" has 6 bytes, but the tree lists 99.',
      )
      expect(error.details).toEqual({ path: 'plain.txt', expected: 99, actual: 6 })
      const streamed = await rejection(buffer(reader.open('plain.txt')))
      expect(streamed.message).toBe(error.message)
    } finally {
      await reader.close()
    }
  })

  it("fails with git's message when ls-tree fails", async () => {
    const error = await rejection(openWithFakeGit({ lsTreeFails: 'fatal: not a tree object' }))
    expect(error.code).toBe('GIT_FAILED')
    expect(error.message).toBe(lsTreeFailed('fatal: not a tree object'))
  })
})

describe('createGitRepositoryReader with rev-parse output no real git writes', () => {
  it.each([
    ['a SHA with a prefix', `x${'a'.repeat(40)}`],
    ['a SHA with a suffix', `${'a'.repeat(40)}x`],
    ['no SHA', ''],
  ])('fails when rev-parse succeeds with %s', async (_, output) => {
    const error = await rejection(openWithFakeGit({ revParse: output, revParseExit: 0 }))
    expect(error.code).toBe('GIT_FAILED')
    expect(error.message).toBe(`git rev-parse failed in ${JSON.stringify(plain)}: no error output`)
  })

  it('says no such commit when rev-parse exits 1, even with a SHA on stdout', async () => {
    const error = await rejection(openWithFakeGit({ revParse: noSubmodules, revParseExit: 1 }))
    expect(error.code).toBe('GIT_COMMIT_NOT_FOUND')
  })

  it("puts git's words in the missing-commit message", async () => {
    const error = await rejection(
      openWithFakeGit({ revParse: '', revParseExit: 1, revParseStderr: 'error: not a commit' }),
    )
    expect(error.message).toBe(
      `No commit ${JSON.stringify(noSubmodules)} in the git repository ${JSON.stringify(plain)} (error: not a commit).`,
    )
  })
})

describe('createGitRepositoryReader commit times', () => {
  async function timeOf(content: string): Promise<number | undefined> {
    const file = join(work, 'commit-object')
    await writeFile(file, content)
    const sha = await repo.git(['hash-object', '-t', 'commit', '--literally', '-w', file])
    const reader = await openWithFakeGit({
      revParse: sha,
      revParseExit: 0,
      lsTree: await listing(''),
    })
    await reader.close()
    return reader.sourceDateEpoch
  }

  it('reads the committer line that ends a commit with no message and no newline', async () => {
    expect(await timeOf('tree x\ncommitter C <c@example.com> 1700000000 +0000')).toBe(1_700_000_000)
  })

  it('looks for the committer only before the first blank line', async () => {
    expect(await timeOf('\n\ncommitter C <c@example.com> 1700000000 +0000\n')).toBeUndefined()
  })
})

describe('createGitRepositoryReader on a real repository', () => {
  it('keeps a valid UTF-8 path that holds U+FFFD, and files without x bits are not executable', async () => {
    const reader = await createGitRepositoryReader({ repoDir: plain, rev: noSubmodules })
    try {
      expect(await reader.list('')).toEqual([
        { path: 'link', kind: 'symlink', size: 9, executable: false, linkTarget: 'plain.txt' },
        {
          path: 'odd\uFFFDname.txt',
          kind: 'file',
          size: 41,
          executable: false,
        },
        { path: 'plain.txt', kind: 'file', size: 6, executable: false },
        { path: 'tool.sh', kind: 'file', size: 10, executable: true },
      ])
    } finally {
      await reader.close()
    }
  })

  it('serves symlink targets as bytes, from the listing, even after close', async () => {
    const reader = await createGitRepositoryReader({ repoDir: plain, rev: noSubmodules })
    const stream = reader.open('link')
    expect(stream.readableObjectMode).toBe(false)
    await reader.close()
    expect((await buffer(stream)).toString()).toBe('plain.txt')
    expect((await reader.readBytes('link')).toString()).toBe('plain.txt')
    expect((await buffer(reader.open('link'))).toString()).toBe('plain.txt')
  })

  it('names the file when a stream is opened with a fired signal', async () => {
    const reader = await createGitRepositoryReader({ repoDir: plain, rev: noSubmodules })
    try {
      const error = await rejection(
        buffer(reader.open('plain.txt', { signal: AbortSignal.abort() })),
      )
      expect(error.code).toBe('ABORTED')
      expect(error.message).toBe('Reading "plain.txt" was aborted.')
    } finally {
      await reader.close()
    }
  })

  it('stops listening to a read signal once its stream has closed', async () => {
    const reader = await createGitRepositoryReader({ repoDir: plain, rev: noSubmodules })
    try {
      const controller = new AbortController()
      const stream = reader.open('plain.txt', { signal: controller.signal })
      expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1)
      expect((await buffer(stream)).toString()).toBe('hello\n')
      await new Promise<void>((done) => {
        if (stream.closed) done()
        else stream.once('close', () => done())
      })
      expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0)
    } finally {
      await reader.close()
    }
  })

  it('leaves the reader signal to the reader: a read without its own signal adds no listener', async () => {
    const controller = new AbortController()
    const reader = await createGitRepositoryReader({
      repoDir: plain,
      rev: noSubmodules,
      signal: controller.signal,
    })
    try {
      const before = getEventListeners(controller.signal, 'abort').length
      const stream = reader.open('plain.txt')
      expect(getEventListeners(controller.signal, 'abort')).toHaveLength(before)
      expect((await buffer(stream)).toString()).toBe('hello\n')
    } finally {
      await reader.close()
    }
  })

  it('does not warn without submodules, and names exactly ten without an ellipsis', async () => {
    const lines: string[] = []
    const logger: Logger = {
      debug: () => undefined,
      info: () => undefined,
      warn: (message) => lines.push(message),
    }
    await (await createGitRepositoryReader({ repoDir: plain, rev: noSubmodules, logger })).close()
    expect(lines).toEqual([])
    await (await createGitRepositoryReader({ repoDir: plain, rev: tenSubmodules, logger })).close()
    expect(lines).toEqual([
      'Skipping 10 git submodules (submodules are not packaged): sub, sub1, sub2, sub3, sub4, sub5, sub6, sub7, sub8, sub9',
    ])
  })

  it('stops before reading symlink targets when the signal fires while the tree is parsed', async () => {
    const controller = new AbortController()
    const logger: Logger = {
      debug: () => undefined,
      info: () => undefined,
      warn: () => controller.abort(),
    }
    const error = await rejection(
      createGitRepositoryReader({
        repoDir: plain,
        rev: submodule,
        logger,
        signal: controller.signal,
      }),
    )
    expect(error.code).toBe('ABORTED')
    expect(error.message).toBe('Reading the git tree was aborted.')
  })
})

describe('createGitRepositoryReader cancelled while git runs', () => {
  async function cancelledIn(step: 'rev-parse' | 'ls-tree'): Promise<Error> {
    const marker = join(work, `started-${step}`)
    const controller = new AbortController()
    const opening = rejection(
      openWithFakeGit({ pauseIn: step, marker }, { signal: controller.signal }),
    )
    for (;;) {
      try {
        await access(marker)
        break
      } catch {
        await new Promise((done) => setTimeout(done, 20))
      }
    }
    controller.abort()
    return opening
  }

  it('ends rev-parse', async () => {
    expect((await cancelledIn('rev-parse')).message).toBe('git rev-parse was aborted.')
  })

  it('ends ls-tree', async () => {
    expect((await cancelledIn('ls-tree')).message).toBe('git ls-tree was aborted.')
  })
})
