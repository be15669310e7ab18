import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  type GitHubRecording,
  type ReplayServer,
  loadGitHubRecording,
  startGitHubReplayServer,
} from '../../test/helpers/github-replay-server.js'
import { rejection } from '../../test/helpers/rejection.js'
import { PackwrightError } from '../errors.js'
import { type Logger } from '../logger.js'
import { createGitHubReader } from './github-reader.js'
import { MAX_SYMLINK_TARGET_BYTES, parseGitHubTree, treePathProblem } from './github-tree.js'

interface TreeItem {
  readonly path: string
  readonly type: string
  readonly mode: string
  readonly sha?: string
  readonly size?: number
}

const BLOB_SHA = 'a'.repeat(40)
const file = (path: string): TreeItem => ({
  path,
  type: 'blob',
  mode: '100644',
  sha: BLOB_SHA,
  size: 3,
})

let recording: GitHubRecording
const servers: ReplayServer[] = []

beforeAll(async () => {
  recording = await loadGitHubRecording('tiny-spicepod')
})

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()))
})

/** Serves the recorded commit with a tree answer made of `items`. */
async function serveTree(items: readonly TreeItem[]): Promise<ReplayServer> {
  const treeExchange = recording.exchanges[1]
  const server = await startGitHubReplayServer({
    exchanges: recording.exchanges,
    overrides: {
      [treeExchange?.request.path as string]: [
        { status: 200, body: { sha: recording.tree, tree: items, truncated: false } },
      ],
    },
  })
  servers.push(server)
  return server
}

async function openTree(items: readonly TreeItem[], logger?: Logger) {
  const server = await serveTree(items)
  return createGitHubReader({
    owner: recording.owner,
    repo: recording.repo,
    ref: recording.commit,
    apiBaseUrl: server.url,
    retryDelayMs: 1,
    ...(logger === undefined ? {} : { logger }),
  })
}

// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/

describe('GitHub tree entries', () => {
  it.each([
    ['a leading ../', '../etc/passwd', /`\.\.` segment/],
    ['a .. segment inside', 'a/../../b', /`\.\.` segment/],
    ['a bare ..', '..', /`\.\.` segment/],
    ['a . segment', 'a/./b', /`\.` segment/],
    ['an empty segment', 'a//b', /empty segment/],
    ['a trailing slash', 'a/', /empty segment/],
    ['a leading slash', '/etc/passwd', /absolute/],
    ['an empty path', '', /is empty/],
    ['a NUL', 'a\0b', /NUL/],
    ['a C0 control', 'bell\u0007.txt', /control character U\+0007/],
    ['a newline', 'two\nlines', /control character U\+000A/],
    ['DEL', 'del\u007f', /control character U\+007F/],
    ['a C1 control', 'next\u0085line', /control character U\+0085/],
    ['a bidi override', 'invoice\u202efdp.exe', /bidirectional control character U\+202E/],
    ['a bidi isolate', 'x\u2066y', /bidirectional control character U\+2066/],
    ['a backslash', 'dir\\file.txt', /backslash/],
    ['an unpaired surrogate', 'half\ud800.txt', /unpaired UTF-16 surrogate/],
  ])('refuses a tree path with %s, naming it', async (_what, path, problem) => {
    const error = await rejection(openTree([file('ok.txt'), file(path)]))
    expect(error.code).toBe('SOURCE_PATH_INVALID')
    expect(error.message).toMatch(problem)
    expect(error.message).toContain(`${recording.owner}/${recording.repo}`)
    expect(error.details.path).toBeTypeOf('string')
    // The path is named, escaped: nothing in the message can move a terminal's cursor or reorder text.
    expect(error.message).not.toMatch(RAW_CONTROL)
    expect(JSON.stringify(error.details)).not.toMatch(RAW_CONTROL)
  })

  it('refuses a hostile path on a folder entry too', async () => {
    const error = await rejection(
      openTree([{ path: '../outside', type: 'tree', mode: '040000' }, file('ok.txt')]),
    )
    expect(error.code).toBe('SOURCE_PATH_INVALID')
    expect(error.details.path).toBe('"../outside"')
  })

  it.each([
    [
      'a blob with an unknown mode',
      { path: 'odd', type: 'blob', mode: '100600', sha: BLOB_SHA, size: 1 },
    ],
    [
      'a blob with a folder mode',
      { path: 'odd', type: 'blob', mode: '040000', sha: BLOB_SHA, size: 1 },
    ],
    ['a folder with a file mode', { path: 'odd', type: 'tree', mode: '100644' }],
    ['a submodule with a file mode', { path: 'odd', type: 'commit', mode: '100644' }],
    ['an unknown type', { path: 'odd', type: 'tag', mode: '160000' }],
  ])('refuses %s with GITHUB_TREE_ENTRY_UNSUPPORTED', async (_what, item: TreeItem) => {
    const error = await rejection(openTree([file('ok.txt'), item]))
    expect(error.code).toBe('GITHUB_TREE_ENTRY_UNSUPPORTED')
    expect(error.message).toContain('"odd"')
    expect(error.details).toMatchObject({ path: '"odd"', type: item.type, mode: item.mode })
  })

  it('refuses a symlink whose target would be longer than a path can be', async () => {
    const error = await rejection(
      openTree([{ path: 'link', type: 'blob', mode: '120000', sha: BLOB_SHA, size: 300_000_000 }]),
    )
    expect(error.code).toBe('GITHUB_TREE_ENTRY_UNSUPPORTED')
    expect(error.details).toMatchObject({ path: '"link"', size: 300_000_000 })
  })

  it('refuses a path listed twice, and a file with entries below it', async () => {
    const twice = await rejection(openTree([file('a.txt'), file('b.txt'), file('a.txt')]))
    expect(twice.code).toBe('SOURCE_PATH_INVALID')
    expect(twice.message).toMatch(/"a\.txt", which is listed twice/)
    const below = await rejection(openTree([file('a'), file('a/b.txt')]))
    expect(below.code).toBe('SOURCE_PATH_INVALID')
    expect(below.message).toMatch(/"a\/b\.txt", which is below "a", which is a file/)
  })

  it('refuses entries without a sha or a valid size as an unexpected answer', async () => {
    for (const item of [
      { path: 'x', type: 'blob', mode: '100644', size: 1 },
      { path: 'x', type: 'blob', mode: '100644', sha: BLOB_SHA, size: -1 },
      { path: 'x', type: 'blob', mode: '100644', sha: '../../x', size: 1 },
    ]) {
      const error = await rejection(openTree([item]))
      expect(error.code).toBe('GITHUB_REQUEST_FAILED')
      expect(error.message).toMatch(/Unexpected answer from GitHub .* "x"/)
    }
  })

  it('lists files, executables, symlinks and 100664 files, and reports submodules through the logger', async () => {
    const warnings: string[] = []
    const logger: Logger = {
      debug: () => undefined,
      info: () => undefined,
      warn: (message) => warnings.push(message),
    }
    const reader = await openTree(
      [
        { path: 'lib', type: 'tree', mode: '040000' },
        file('lib/a.txt'),
        { path: 'old.txt', type: 'blob', mode: '100664', sha: BLOB_SHA, size: 3 },
        { path: 'run.sh', type: 'blob', mode: '100755', sha: BLOB_SHA, size: 3 },
        { path: 'vendor/dep', type: 'commit', mode: '160000', sha: BLOB_SHA },
      ],
      logger,
    )
    expect((await reader.list('')).map((entry) => [entry.path, entry.executable])).toEqual([
      ['lib/a.txt', false],
      ['old.txt', false],
      ['run.sh', true],
    ])
    expect(warnings).toEqual(['Skipping 1 git submodule (submodules are not packaged): vendor/dep'])
    await reader.close()
  })
})

describe('parseGitHubTree', () => {
  const WHERE = 'o/r at 0123456789ab'
  const WHAT = 'GET https://api.github.com/repos/o/r/git/trees/t?recursive=1'
  const parse = (items: readonly unknown[]) => parseGitHubTree(items, WHERE, WHAT)
  const thrown = (items: readonly unknown[]): PackwrightError => {
    try {
      parse(items)
    } catch (error) {
      if (error instanceof PackwrightError) return error
      throw error
    }
    throw new Error('expected parseGitHubTree to throw')
  }

  it('returns files and symlinks with their blob SHAs, and submodules by path, in tree order', () => {
    const sha256 = 'b'.repeat(64)
    expect(
      parse([
        { path: 'z.txt', type: 'blob', mode: '100644', sha: BLOB_SHA, size: 0 },
        { path: 'dir', type: 'tree', mode: '040000' },
        { path: 'dir/run', type: 'blob', mode: '100755', sha: sha256, size: 7 },
        { path: 'dir/link', type: 'blob', mode: '120000', sha: BLOB_SHA, size: 4096 },
        { path: 'dir/sub', type: 'commit', mode: '160000' },
      ]),
    ).toEqual({
      blobs: [
        { entry: { path: 'z.txt', size: 0, kind: 'file', executable: false }, sha: BLOB_SHA },
        { entry: { path: 'dir/run', size: 7, kind: 'file', executable: true }, sha: sha256 },
        {
          entry: { path: 'dir/link', size: 4096, kind: 'symlink', executable: false },
          sha: BLOB_SHA,
        },
      ],
      submodules: ['dir/sub'],
    })
    expect(MAX_SYMLINK_TARGET_BYTES).toBe(4096)
  })

  it('refuses a symlink of one byte more than a path can have, with the sizes in the message', () => {
    const error = thrown([
      { path: 'link', type: 'blob', mode: '120000', sha: BLOB_SHA, size: 4097 },
    ])
    expect(error.code).toBe('GITHUB_TREE_ENTRY_UNSUPPORTED')
    expect(error.message).toBe(
      `The GitHub tree of ${WHERE} has an entry at "link" that cannot be packaged: it is a symlink whose target is 4097 bytes long, more than the 4096 a path can have.`,
    )
    expect(error.hint).toBe(
      'Only files (modes 100644, 100755), symlinks (120000), folders and submodules can appear in a package source.',
    )
    expect(error.details).toEqual({ path: '"link"', type: 'blob', mode: '120000', size: 4097 })
    // A file of any size is fine.
    expect(
      parse([{ path: 'big', type: 'blob', mode: '100644', sha: BLOB_SHA, size: 2 ** 40 }]).blobs,
    ).toHaveLength(1)
  })

  it('names the type and mode of an unknown entry, each cut to 40 characters', () => {
    const type = 't'.repeat(50)
    const mode = '1'.repeat(45)
    const error = thrown([{ path: 'odd', type, mode }])
    expect(error.code).toBe('GITHUB_TREE_ENTRY_UNSUPPORTED')
    expect(error.message).toBe(
      `The GitHub tree of ${WHERE} has an entry at "odd" that cannot be packaged: type "${'t'.repeat(40)}" with mode "${'1'.repeat(40)}" is not a file, symlink, folder or submodule.`,
    )
    expect(error.details).toEqual({ path: '"odd"', type: 't'.repeat(40), mode: '1'.repeat(40) })
  })

  it.each([
    ['null', null, 'a tree entry without a `path`'],
    ['undefined', undefined, 'a tree entry without a `path`'],
    ['a text', 'x', 'a tree entry without a `path`'],
    ['an array', ['x'], 'a tree entry without a `path`'],
    ['a number path', { path: 7, type: 'blob', mode: '100644' }, 'a tree entry without a `path`'],
    ['no type', { path: 'x', mode: '100644' }, 'the entry "x" has no `type` or `mode`'],
    [
      'a number mode',
      { path: 'x', type: 'blob', mode: 100644 },
      'the entry "x" has no `type` or `mode`',
    ],
    [
      'no sha',
      { path: 'x', type: 'blob', mode: '100644', size: 1 },
      'the blob "x" has no valid `sha`',
    ],
    [
      'a 41-character sha',
      { path: 'x', type: 'blob', mode: '100644', sha: `${BLOB_SHA}a`, size: 1 },
      'the blob "x" has no valid `sha`',
    ],
    [
      'a sha with a prefix',
      { path: 'x', type: 'blob', mode: '100644', sha: `x${BLOB_SHA}`, size: 1 },
      'the blob "x" has no valid `sha`',
    ],
    [
      'an upper-case sha',
      { path: 'x', type: 'blob', mode: '100644', sha: 'A'.repeat(40), size: 1 },
      'the blob "x" has no valid `sha`',
    ],
    [
      'a text size',
      { path: 'x', type: 'blob', mode: '100644', sha: BLOB_SHA, size: '1' },
      'the blob "x" has no valid `size`',
    ],
    [
      'a fractional size',
      { path: 'x', type: 'blob', mode: '100644', sha: BLOB_SHA, size: 1.5 },
      'the blob "x" has no valid `size`',
    ],
    [
      'a negative size',
      { path: 'x', type: 'blob', mode: '100644', sha: BLOB_SHA, size: -1 },
      'the blob "x" has no valid `size`',
    ],
  ])('refuses an entry with %s as an unexpected answer', (_what, item, problem) => {
    const error = thrown([item])
    expect(error.code).toBe('GITHUB_REQUEST_FAILED')
    expect(error.message).toBe(`Unexpected answer from GitHub for ${WHAT}: ${problem}.`)
    expect(error.details).toEqual({ request: WHAT, problem })
  })

  it('says why a path is refused and what to do, quoting the path', () => {
    const error = thrown([file('a/../b')])
    expect(error.code).toBe('SOURCE_PATH_INVALID')
    expect(error.message).toBe(
      `The GitHub tree of ${WHERE} lists the path "a/../b", which has a \`..\` segment (it would leave the package); such a path is neither packaged nor skipped.`,
    )
    expect(error.hint).toBe(
      'Rename or remove the entry in the repository, or package a local checkout where you can fix it.',
    )
    expect(error.details).toEqual({
      path: '"a/../b"',
      problem: 'has a `..` segment (it would leave the package)',
    })
  })

  it('refuses entries below a submodule or below a file, however deep, but not below a folder', () => {
    expect(
      thrown([{ path: 'vendor/dep', type: 'commit', mode: '160000' }, file('vendor/dep/x.txt')])
        .message,
    ).toMatch(/"vendor\/dep\/x\.txt", which is below "vendor\/dep", which is a file, not a folder;/)
    expect(thrown([file('a/b/c/d.txt'), file('a/b')]).message).toMatch(
      /"a\/b\/c\/d\.txt", which is below "a\/b", which is a file/,
    )
    expect(
      parse([{ path: 'a', type: 'tree', mode: '040000' }, file('a/b'), file('ab/c')]).blobs,
    ).toHaveLength(2)
  })
})

describe('treePathProblem', () => {
  it.each([
    ['', 'is empty'],
    ['/a', 'is absolute'],
    ['a\0b', 'contains a NUL character'],
    ['a\\b', 'contains a backslash'],
    ['\u001f', 'contains the control character U+001F'],
    ['\u007f', 'contains the control character U+007F'],
    ['\u009f', 'contains the control character U+009F'],
    ['\u061c', 'contains the bidirectional control character U+061C'],
    ['\u200e', 'contains the bidirectional control character U+200E'],
    ['\u200f', 'contains the bidirectional control character U+200F'],
    ['\u202a', 'contains the bidirectional control character U+202A'],
    ['\u2069', 'contains the bidirectional control character U+2069'],
    ['\ud800', 'contains an unpaired UTF-16 surrogate (U+D800)'],
    ['x\udfff', 'contains an unpaired UTF-16 surrogate (U+DFFF)'],
    ['..', 'has a `..` segment (it would leave the package)'],
    ['./..', 'has a `..` segment (it would leave the package)'],
    ['a/.', 'has a `.` segment'],
    ['a//.', 'has a `.` segment'],
    ['a/', 'has an empty segment (`//` or a trailing `/`)'],
  ])('%j %s', (path, problem) => {
    expect(treePathProblem(path)).toBe(problem)
  })

  it.each([
    ['a plain path', 'a/b.txt'],
    ['dots inside names', '..a/b..'],
    ['non-breaking space and accents', 'caf\u00e9\u00a0x'],
    ['a paired surrogate (an emoji)', 'smile-\ud83d\ude00'],
    ['the character after the bidirectional isolates', '\u206a'],
  ])('accepts %s', (_what, path) => {
    expect(treePathProblem(path)).toBeUndefined()
  })
})
