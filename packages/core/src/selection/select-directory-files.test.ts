import { describe, expect, it } from 'vitest'
import { PackwrightError } from '../errors.js'
import { type PlannedEntry } from '../plan/planned-entry.js'
import {
  createMemorySourceReader,
  type MemoryFile,
} from '../../test/helpers/memory-source-reader.js'
import { selectDirectoryFiles, type SelectDirectoryFilesOptions } from './select-directory-files.js'

type Options = Omit<SelectDirectoryFilesOptions, 'reader'>

function select(files: Record<string, MemoryFile>, options: Options = {}) {
  return selectDirectoryFiles({ reader: createMemorySourceReader(files), ...options })
}

async function selectPaths(files: Record<string, MemoryFile>, options: Options = {}) {
  return (await select(files, options)).map((entry) => entry.zipPath)
}

async function rejection(promise: Promise<unknown>): Promise<PackwrightError> {
  try {
    await promise
  } catch (error) {
    expect(error).toBeInstanceOf(PackwrightError)
    return error as PackwrightError
  }
  throw new Error('expected a rejection')
}

describe('selectDirectoryFiles', () => {
  it('selects every file under the root, sorted by zip path in code-unit order', async () => {
    const entries = await select({
      'b.txt': 'b',
      'a/z.txt': 'z',
      'B.txt': 'B',
      'run.sh': { content: '#!/bin/sh', executable: true },
    })
    expect(entries).toEqual<PlannedEntry[]>([
      { zipPath: 'B.txt', sourcePath: 'B.txt', kind: 'file', size: 1, executable: false },
      { zipPath: 'a/z.txt', sourcePath: 'a/z.txt', kind: 'file', size: 1, executable: false },
      { zipPath: 'b.txt', sourcePath: 'b.txt', kind: 'file', size: 1, executable: false },
      { zipPath: 'run.sh', sourcePath: 'run.sh', kind: 'file', size: 9, executable: true },
    ])
  })

  it('makes zip paths relative to a sub-folder root and keeps reader paths as sources', async () => {
    const entries = await select(
      { 'app/src/i.js': 'x', 'app/p.json': '{}', 'other/o.txt': 'o' },
      { root: 'app/' },
    )
    expect(entries.map((entry) => [entry.zipPath, entry.sourcePath])).toEqual([
      ['p.json', 'app/p.json'],
      ['src/i.js', 'app/src/i.js'],
    ])
  })

  it('rejects a root with `..`', async () => {
    const error = await rejection(select({ 'a.txt': 'a' }, { root: 'a/../..' }))
    expect(error.code).toBe('INVALID_ARGUMENT')
  })

  it('applies include globs (dotfiles matched; a folder pattern covers its files)', async () => {
    const files = { 'src/a.ts': '', 'src/.env': '', 'test/a.test.ts': '', 'README.md': '' }
    expect(await selectPaths(files, { include: ['src'] })).toEqual(['src/.env', 'src/a.ts'])
    expect(await selectPaths(files, { include: ['**/*.ts'] })).toEqual([
      'src/a.ts',
      'test/a.test.ts',
    ])
    expect(await selectPaths(files, { include: ['*.md', 'src/*.ts'] })).toEqual([
      'README.md',
      'src/a.ts',
    ])
  })

  it('applies exclude globs after includes', async () => {
    const files = {
      'src/a.ts': '',
      'src/a.test.ts': '',
      'build/out.js': '',
      'x.log': '',
      'logs/y.log': '',
    }
    expect(await selectPaths(files, { exclude: ['build', '**/*.log', '**/*.test.ts'] })).toEqual([
      'src/a.ts',
    ])
  })

  it.each([
    ['an unbalanced bracket', 'src/[ab.ts', 'Missing closing'],
    ['an unbalanced brace', '**/*.{js', 'Missing closing'],
    ['an empty pattern', '', 'is empty'],
    ['an absolute pattern', '/etc/**', 'absolute'],
    ['a `..` pattern', '../x/**', '`..`'],
    ['a negation', '!*.log', 'negation'],
  ])(
    'rejects %s as SELECTION_PATTERN_INVALID naming the pattern',
    async (_title, pattern, reason) => {
      const error = await rejection(select({ 'a.txt': '' }, { exclude: ['ok/**', pattern] }))
      expect(error.code).toBe('SELECTION_PATTERN_INVALID')
      expect(error.message).toContain(JSON.stringify(pattern))
      expect(error.message).toContain('exclude[1]')
      expect(error.message).toContain(reason)
      expect(error.details).toMatchObject({ option: 'exclude', index: 1, pattern })
    },
  )

  it('always leaves out .git, .hg, .svn, _darcs and .DS_Store at any depth', async () => {
    const paths = await selectPaths({
      '.git/HEAD': '',
      'sub/.git': 'gitdir: ../.git/modules/sub',
      '.hg/store': '',
      'a/.svn/entries': '',
      '_darcs/x': '',
      '.DS_Store': '',
      'deep/er/.DS_Store': '',
      '.gitignore': '',
      'keep.txt': '',
    })
    expect(paths).toEqual(['.gitignore', 'keep.txt'])
  })

  it('keeps default ignores even when an include names them', async () => {
    expect(
      await selectPaths({ '.git/HEAD': '', 'a.txt': '' }, { include: ['.git/**', 'a.txt'] }),
    ).toEqual(['a.txt'])
  })

  it('honours .packwrightignore in gitignore syntax, with negations, and packages the ignore file', async () => {
    const paths = await selectPaths({
      '.packwrightignore': '# comment\n*.log\n!keep.log\nbuild/\n/root-only.txt\n',
      'a.log': '',
      'keep.log': '',
      'sub/b.log': '',
      'build/x.js': '',
      'sub/build/y.js': '',
      'root-only.txt': '',
      'sub/root-only.txt': '',
      'src/a.ts': '',
    })
    expect(paths).toEqual(['.packwrightignore', 'keep.log', 'src/a.ts', 'sub/root-only.txt'])
  })

  it('honours .cfignore by default and only the names given in ignoreFileNames when set', async () => {
    const files = {
      '.cfignore': 'secret.txt\n',
      '.myignore': 'other.txt\n',
      'secret.txt': '',
      'other.txt': '',
    }
    expect(await selectPaths(files)).toEqual(['.cfignore', '.myignore', 'other.txt'])
    expect(await selectPaths(files, { ignoreFileNames: ['.myignore'] })).toEqual([
      '.cfignore',
      '.myignore',
      'secret.txt',
    ])
  })

  it('does not package an ignore file that ignores itself, but still applies it', async () => {
    expect(
      await selectPaths({
        '.packwrightignore': '.packwrightignore\n*.tmp\n',
        'a.tmp': '',
        'b.txt': '',
      }),
    ).toEqual(['b.txt'])
  })

  it('applies a nested ignore file to its own subtree only, overriding outer rules', async () => {
    const paths = await selectPaths({
      '.packwrightignore': '*.log\n',
      'web/.packwrightignore': '!debug.log\n*.map\n',
      'web/debug.log': '',
      'web/app.js.map': '',
      'web/app.js': '',
      'api/debug.log': '',
      'api/app.js.map': '',
    })
    expect(paths).toEqual([
      '.packwrightignore',
      'api/app.js.map',
      'web/.packwrightignore',
      'web/app.js',
      'web/debug.log',
    ])
  })

  it('cannot re-include a file inside an ignored folder, as in git', async () => {
    const paths = await selectPaths({
      '.packwrightignore': 'vendor/\n',
      'vendor/.packwrightignore': '!keep.js\n',
      'vendor/keep.js': '',
      'main.js': '',
    })
    expect(paths).toEqual(['.packwrightignore', 'main.js'])
  })

  it('stores symlinks inside the root as symlink entries', async () => {
    const entries = await select({
      'data/a.csv': '1',
      'latest.csv': { symlink: 'data/a.csv' },
      'data/self': { symlink: '.' },
      docs: { symlink: 'data' },
      'docs-link': { symlink: 'docs/a.csv' },
    })
    expect(entries.filter((entry) => entry.kind === 'symlink')).toEqual([
      {
        zipPath: 'data/self',
        sourcePath: 'data/self',
        kind: 'symlink',
        size: 1,
        executable: false,
        linkTarget: '.',
      },
      {
        zipPath: 'docs',
        sourcePath: 'docs',
        kind: 'symlink',
        size: 4,
        executable: false,
        linkTarget: 'data',
      },
      {
        zipPath: 'docs-link',
        sourcePath: 'docs-link',
        kind: 'symlink',
        size: 10,
        executable: false,
        linkTarget: 'docs/a.csv',
      },
      {
        zipPath: 'latest.csv',
        sourcePath: 'latest.csv',
        kind: 'symlink',
        size: 10,
        executable: false,
        linkTarget: 'data/a.csv',
      },
    ])
  })

  it.each([
    ['an absolute target', { 'app/l': { symlink: '/etc/passwd' } }, 'absolute'],
    ['a `..` out of the root', { 'app/l': { symlink: '../secret.txt' } }, '`..`'],
    ['a `..` out and back in', { 'app/l': { symlink: '../app/a.txt' } }, '`..`'],
    [
      'a path through another symlink that leaves',
      { 'app/up': { symlink: '..' }, 'app/l': { symlink: 'up/secret.txt' } },
      '`..`',
    ],
    [
      'a symlinked folder pointing outside',
      { 'app/out': { symlink: '/tmp' }, 'app/l': { symlink: 'out/x' } },
      'absolute',
    ],
  ])('fails with SYMLINK_ESCAPES_ROOT for %s', async (_title, links, reason) => {
    const error = await rejection(
      select({ 'secret.txt': 's', 'app/a.txt': 'a', ...links }, { root: 'app' }),
    )
    expect(error.code).toBe('SYMLINK_ESCAPES_ROOT')
    expect(error.message).toContain(reason)
    // Two escaping links are reported together, each with its details.
    const each = (error.details.problems as Record<string, unknown>[] | undefined) ?? [
      error.details,
    ]
    for (const details of each) expect(details).toMatchObject({ root: 'app' })
  })

  it('does not check symlinks that are excluded', async () => {
    expect(
      await selectPaths({ 'a.txt': '', bad: { symlink: '/etc' } }, { exclude: ['bad'] }),
    ).toEqual(['a.txt'])
  })

  it('follows a symlink to a file when asked, packaging the target as a regular file', async () => {
    const entries = await select(
      { 'bin/tool': { content: '#!', executable: true }, tool: { symlink: 'bin/tool' } },
      { followSymlinks: true },
    )
    expect(entries).toEqual([
      { zipPath: 'bin/tool', sourcePath: 'bin/tool', kind: 'file', size: 2, executable: true },
      { zipPath: 'tool', sourcePath: 'bin/tool', kind: 'file', size: 2, executable: true },
    ])
  })

  it('follows a symlink to a folder, packaging its files under the link path (through chains)', async () => {
    const entries = await select(
      {
        'shared/a.txt': 'a',
        'shared/sub/b.txt': 'b',
        'shared/sub/link.txt': { symlink: 'b.txt' },
        lib: { symlink: 'shared' },
        lib2: { symlink: 'lib/sub' },
      },
      { followSymlinks: true, root: '' },
    )
    expect(entries.map((entry) => [entry.zipPath, entry.sourcePath, entry.kind])).toEqual([
      ['lib/a.txt', 'shared/a.txt', 'file'],
      ['lib/sub/b.txt', 'shared/sub/b.txt', 'file'],
      ['lib/sub/link.txt', 'shared/sub/b.txt', 'file'],
      ['lib2/b.txt', 'shared/sub/b.txt', 'file'],
      ['lib2/link.txt', 'shared/sub/b.txt', 'file'],
      ['shared/a.txt', 'shared/a.txt', 'file'],
      ['shared/sub/b.txt', 'shared/sub/b.txt', 'file'],
      ['shared/sub/link.txt', 'shared/sub/b.txt', 'file'],
    ])
  })

  it('applies ignores and globs to the paths of followed folders', async () => {
    const paths = await selectPaths(
      {
        'shared/a.txt': '',
        'shared/a.log': '',
        lib: { symlink: 'shared' },
        '.packwrightignore': '*.log\n',
      },
      { followSymlinks: true, exclude: ['shared'] },
    )
    expect(paths).toEqual(['.packwrightignore', 'lib/a.txt'])
  })

  it.each([
    ['a link to its own folder', { 'a/loop': { symlink: '.' }, 'a/x.txt': '' }],
    ['a link to an ancestor', { 'a/b/up': { symlink: '../..' }, 'a/b/x.txt': '' }],
    [
      'two folders linking each other',
      { 'a/l': { symlink: '../b' }, 'b/m': { symlink: '../a' }, 'a/x': '' },
    ],
    ['links pointing at each other', { p: { symlink: 'q' }, q: { symlink: 'p' } }],
  ])('detects a cycle when following %s', async (_title, files) => {
    const error = await rejection(select(files, { followSymlinks: true }))
    expect(error.code).toBe('SYMLINK_CYCLE')
  })

  it('fails with SYMLINK_TARGET_MISSING when following a dangling link, and stores it when not following', async () => {
    const files = { 'a.txt': '', gone: { symlink: 'missing.txt' } }
    const error = await rejection(select(files, { followSymlinks: true }))
    expect(error.code).toBe('SYMLINK_TARGET_MISSING')
    expect(await selectPaths(files)).toEqual(['a.txt', 'gone'])
  })

  it('fails with SELECTION_EMPTY naming the root and patterns, with an --allow-empty hint', async () => {
    const error = await rejection(
      select({ 'app/a.txt': '', '.packwrightignore': '' }, { root: 'app', include: ['**/*.md'] }),
    )
    expect(error.code).toBe('SELECTION_EMPTY')
    expect(error.message).toContain('"app"')
    expect(error.message).toContain('["**/*.md"]')
    expect(error.hint).toContain('--allow-empty')
  })

  it('fails with SELECTION_EMPTY for a missing root', async () => {
    const error = await rejection(select({ 'a.txt': '' }, { root: 'nope' }))
    expect(error.code).toBe('SELECTION_EMPTY')
  })

  it('returns an empty list when allowEmpty is set', async () => {
    expect(await select({ '.git/HEAD': '' }, { allowEmpty: true })).toEqual([])
  })

  it('logs selected and ignored counts through logger.debug', async () => {
    const messages: string[] = []
    await select(
      { '.git/HEAD': '', '.packwrightignore': 'x.tmp\n', 'x.tmp': '', 'a.txt': '', 'b.md': '' },
      {
        exclude: ['*.md'],
        logger: { debug: (m) => messages.push(m), info: () => undefined, warn: () => undefined },
      },
    )
    expect(messages).toHaveLength(1)
    expect(messages[0]).toContain('Selected 2 of 5 entries')
    expect(messages[0]).toContain('2 ignored')
    expect(messages[0]).toContain('1 not matching')
  })

  it('stops with ABORTED when the signal is aborted', async () => {
    const controller = new AbortController()
    controller.abort()
    const error = await rejection(select({ 'a.txt': '' }, { signal: controller.signal }))
    expect(error.code).toBe('ABORTED')
  })

  it('rejects an ignore file that is not UTF-8', async () => {
    const error = await rejection(
      select({ '.packwrightignore': Uint8Array.from([0xff, 0xfe, 0x0a]), a: '' }),
    )
    expect(error.code).toBe('SELECTION_PATTERN_INVALID')
    expect(error.details).toMatchObject({ path: '.packwrightignore' })
  })
})
