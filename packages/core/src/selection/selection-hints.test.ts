import { describe, expect, it } from 'vitest'
import { PackwrightError } from '../errors.js'
import {
  createMemorySourceReader,
  type MemoryFile,
} from '../../test/helpers/memory-source-reader.js'
import { selectDirectoryFiles, type SelectDirectoryFilesOptions } from './select-directory-files.js'

type Options = Omit<SelectDirectoryFilesOptions, 'reader'>

async function failure(files: Record<string, MemoryFile>, options: Options) {
  try {
    await selectDirectoryFiles({ reader: createMemorySourceReader(files), ...options })
  } catch (error) {
    expect(error).toBeInstanceOf(PackwrightError)
    return error as PackwrightError
  }
  throw new Error('expected a rejection')
}

const following = { followSymlinks: true }
const unfollowed = { followSymlinks: false }

/**
 * Every hint a directory selection gives, for each code and each state it can
 * be given in: a hint never suggests what the user is already doing.
 */
describe('directory selection hints, by code and state', () => {
  it.each<[string, Record<string, MemoryFile>, Options, string, string]>([
    [
      'a cycle, links unfollowed',
      { loop: { symlink: 'loop' } },
      unfollowed,
      'SYMLINK_CYCLE',
      'Break the cycle or exclude the link: a link that resolves through itself cannot be packaged, even unfollowed.',
    ],
    [
      'a cycle, links followed',
      { 'a/up': { symlink: '..' }, 'a/f.txt': '' },
      following,
      'SYMLINK_CYCLE',
      'Break the cycle, exclude the link, or package links without following them.',
    ],
    [
      'an escaping link, unfollowed',
      { out: { symlink: '/etc/passwd' } },
      unfollowed,
      'SYMLINK_ESCAPES_ROOT',
      'Point the link at a path inside the package root, or exclude it.',
    ],
    [
      'an escaping link, followed',
      { out: { symlink: '../x' } },
      following,
      'SYMLINK_ESCAPES_ROOT',
      'Point the link at a path inside the package root, or exclude it.',
    ],
    [
      'a dangling link, followed',
      { gone: { symlink: 'missing.txt' } },
      following,
      'SYMLINK_TARGET_MISSING',
      'Fix or remove the link, exclude it, or package links without following them.',
    ],
    [
      'nothing selected by the patterns',
      { 'a.txt': '' },
      { exclude: ['**'] },
      'SELECTION_EMPTY',
      'Check the root, the include/exclude patterns and ignore files, or pass `--allow-empty` to create an empty package.',
    ],
    [
      'nothing to select in an empty folder',
      {},
      {},
      'SELECTION_EMPTY',
      'The folder holds no files: package another folder, or pass `--allow-empty` to create an empty package.',
    ],
    [
      'every file ignored',
      { '.gitignore': '*\n', 'a.txt': '' },
      {},
      'SELECTION_EMPTY',
      'Every file is ignored: check the ignore files (`--no-ignore-files` turns them off), or pass `--allow-empty` to create an empty package.',
    ],
    [
      'too many files, links unfollowed',
      { 'a.txt': '', 'b.txt': '', 'c.txt': '' },
      { limits: { maxEntries: 2 } },
      'PACKAGE_LIMIT_EXCEEDED',
      'Select fewer files with include/exclude patterns or an ignore file',
    ],
    [
      'too many files, links followed',
      { 'd/a.txt': '', 'd/b.txt': '', e: { symlink: 'd' } },
      { ...following, limits: { maxEntries: 4 } },
      'PACKAGE_LIMIT_EXCEEDED',
      'Exclude the links that repeat folders, or package links without following them',
    ],
  ])('%s', async (_state, files, options, code, hint) => {
    const error = await failure(files, options)
    expect(error.code).toBe(code)
    expect(error.hint?.startsWith(hint)).toBe(true)
    if (options.followSymlinks !== true) expect(error.hint).not.toMatch(/without following/)
    if (options.followSymlinks === true) expect(error.hint).not.toMatch(/--follow-symlinks/)
  })
})
