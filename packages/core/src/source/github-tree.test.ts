import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  type GitHubRecording,
  type ReplayServer,
  loadGitHubRecording,
  startGitHubReplayServer,
} from '../../test/helpers/github-replay-server.js'
import { rejection } from '../../test/helpers/rejection.js'
import { type Logger } from '../logger.js'
import { createGitHubReader } from './github-reader.js'

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
