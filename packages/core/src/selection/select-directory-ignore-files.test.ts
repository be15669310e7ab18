import { describe, expect, it } from 'vitest'
import {
  createMemorySourceReader,
  type MemoryFile,
} from '../../test/helpers/memory-source-reader.js'
import { selectDirectory, type SelectDirectoryFilesOptions } from './select-directory-files.js'

type Options = Omit<SelectDirectoryFilesOptions, 'reader'>

async function select(files: Record<string, MemoryFile>, options: Options = {}) {
  const selection = await selectDirectory({ reader: createMemorySourceReader(files), ...options })
  return {
    paths: selection.entries.map((entry) => entry.zipPath),
    ignoreFiles: selection.ignoreFiles,
  }
}

describe('selectDirectory: ignore files', () => {
  it('applies .gitignore files, nested ones included, where there is no packaging ignore file', async () => {
    const result = await select({
      '.gitignore': 'node_modules/\n.turbo/\n*.log\n',
      'node_modules/dep/index.js': '',
      '.turbo/cache/x': '',
      'a.log': '',
      'src/index.ts': '',
      'src/.gitignore': 'generated.ts\n',
      'src/generated.ts': '',
    })
    expect(result.paths).toEqual(['.gitignore', 'src/.gitignore', 'src/index.ts'])
    expect(result.ignoreFiles).toEqual(['.gitignore', 'src/.gitignore'])
  })

  it('uses a folder’s .packwrightignore or .cfignore instead of its .gitignore', async () => {
    const result = await select({
      '.gitignore': 'dist/\n',
      '.packwrightignore': '*.test.ts\n',
      'dist/app.js': '',
      'a.test.ts': '',
      'sub/.gitignore': 'tmp/\n',
      'sub/tmp/x': '',
      'other/.cfignore': 'secret.txt\n',
      'other/.gitignore': 'kept.txt\n',
      'other/kept.txt': '',
      'other/secret.txt': '',
    })
    expect(result.paths).toEqual([
      '.gitignore',
      '.packwrightignore',
      'dist/app.js',
      'other/.cfignore',
      'other/.gitignore',
      'other/kept.txt',
      'sub/.gitignore',
    ])
    expect(result.ignoreFiles).toEqual(['.packwrightignore', 'other/.cfignore', 'sub/.gitignore'])
  })

  it('applies no ignore file when both lists are empty', async () => {
    const result = await select(
      { '.gitignore': '*.log\n', '.packwrightignore': '*.txt\n', 'a.log': '', 'b.txt': '' },
      { ignoreFileNames: [], fallbackIgnoreFileNames: [] },
    )
    expect(result.paths).toEqual(['.gitignore', '.packwrightignore', 'a.log', 'b.txt'])
    expect(result.ignoreFiles).toEqual([])
  })

  it('gives the ignore files as reader paths under a root', async () => {
    const result = await select(
      { 'app/.gitignore': '*.log\n', 'app/a.log': '', 'app/b.txt': '' },
      { root: 'app' },
    )
    expect(result.paths).toEqual(['.gitignore', 'b.txt'])
    expect(result.ignoreFiles).toEqual(['app/.gitignore'])
  })

  it('never selects what leaveOut names, whatever the includes say', async () => {
    const result = await select(
      { 'package.zip': 'PK', 'dist/old.zip': 'PK', 'src/a.ts': '' },
      {
        include: ['**', 'package.zip'],
        leaveOut: (path) => path === 'package.zip' || path.startsWith('dist/'),
      },
    )
    expect(result.paths).toEqual(['src/a.ts'])
  })
})
