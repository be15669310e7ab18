import { describe, expect, it } from 'vitest'
import {
  createMemorySourceReader,
  type MemoryFile,
} from '../../test/helpers/memory-source-reader.js'
import { rejection } from '../../test/helpers/rejection.js'
import { planSpicepodPackage } from './plan-spicepod-package.js'

const pod = (body = '') => `version: v1\nkind: Spicepod\nname: test\n${body}`
const dataset = (from: string) => pod(`datasets:\n  - from: file:${from}\n    name: d\n`)
const FIELD = { manifest: 'spicepod.yaml', field: 'datasets[0].from' }
const LINKED_BY = 'linked by `datasets[0].from` in spicepod.yaml'

/** Plans the package and returns its zip paths and every debug line logged. */
async function plan(files: Record<string, MemoryFile>) {
  const lines: string[] = []
  const entries = await planSpicepodPackage({
    reader: createMemorySourceReader(files),
    manifestPath: 'spicepod.yaml',
    logger: { debug: (line) => lines.push(line), info: () => {}, warn: () => {} },
  })
  return { paths: entries.map((entry) => entry.zipPath), lines }
}

describe('planSpicepodPackage linked symlinks and names', () => {
  it('reports a linked folder name the package cannot store, with what to do', async () => {
    const error = await rejection(plan({ 'spicepod.yaml': dataset('data'), 'data/a\\b.csv': 'x' }))
    expect(error.code).toBe('SPICEPOD_LINK_INVALID')
    expect(error.message).toBe(
      '`datasets[0].from` in spicepod.yaml brings in "data/a\\\\b.csv", whose path contains a backslash (use `/`); expected a relative POSIX path of printable characters, without backslashes.',
    )
    expect(error.hint).toBe('Rename the file, or move it out of the linked folder.')
    expect(error.details).toMatchObject({
      ...FIELD,
      path: '"data/a\\\\b.csv"',
      problem: 'contains a backslash (use `/`)',
    })
  })

  it('says where to point a link that leaves the package', async () => {
    const error = await rejection(
      plan({ 'spicepod.yaml': dataset('data/l.csv'), 'data/l.csv': { symlink: '../../x' } }),
    )
    expect(error.code).toBe('SYMLINK_ESCAPES_ROOT')
    expect(error.hint).toBe('Point the link at a path inside the manifest folder.')
  })

  it('names a cycle of linked symlinks', async () => {
    const error = await rejection(
      plan({
        'spicepod.yaml': dataset('data/a.csv'),
        'data/a.csv': { symlink: 'b.csv' },
        'data/b.csv': { symlink: 'a.csv' },
      }),
    )
    expect(error.code).toBe('SYMLINK_CYCLE')
    expect(error.message).toBe(
      `Symlink "data/a.csv" -> "b.csv", ${LINKED_BY}, is part of a cycle of symlinks.`,
    )
    expect(error.details).toMatchObject({ ...FIELD, path: 'data/a.csv', linkTarget: 'b.csv' })
  })

  it('names a dangling link, and the link that brought it in', async () => {
    const direct = await rejection(
      plan({ 'spicepod.yaml': dataset('data/a.csv'), 'data/a.csv': { symlink: 'gone.csv' } }),
    )
    expect(direct.message).toBe(
      `Symlink "data/a.csv" -> "gone.csv", ${LINKED_BY}, points to "data/gone.csv", where there is neither a file nor a folder with files.`,
    )
    expect(direct.hint).toBe('Fix or remove the link: the package would hold a dangling symlink.')
    expect(direct.details).toMatchObject({ ...FIELD, path: 'data/a.csv', linkTarget: 'gone.csv' })
    const chained = await rejection(
      plan({
        'spicepod.yaml': dataset('data/a.csv'),
        'data/a.csv': { symlink: 'b.csv' },
        'data/b.csv': { symlink: 'gone.csv' },
      }),
    )
    expect(chained.message).toBe(
      'Symlink "data/b.csv" -> "gone.csv", linked by the target of symlink "data/a.csv" (`datasets[0].from` in spicepod.yaml), points to "data/gone.csv", where there is neither a file nor a folder with files.',
    )
  })

  it('follows a target with `.` and empty segments through a symlinked folder', async () => {
    const { paths } = await plan({
      'spicepod.yaml': dataset('data/l.csv'),
      'data/l.csv': { symlink: './cur//x.csv' },
      'data/cur': { symlink: 'v2' },
      'data/v2/x.csv': 'x',
    })
    expect(paths).toEqual(['data/cur', 'data/l.csv', 'data/v2/x.csv', 'spicepod.yaml'])
  })

  it('brings the symlinked folder a target reaches with `..` and an empty segment', async () => {
    const { paths } = await plan({
      'spicepod.yaml': dataset('data/l.csv'),
      'data/l.csv': { symlink: '..//cur/./x.csv' },
      cur: { symlink: 'v2' },
      'v2/x.csv': 'x',
    })
    expect(paths).toEqual(['cur', 'data/l.csv', 'spicepod.yaml', 'v2/x.csv'])
  })

  it('brings nothing more for a link to the package root', async () => {
    const { paths } = await plan({
      'spicepod.yaml': dataset('data/root'),
      'data/root': { symlink: '..' },
      'other.txt': 'o',
    })
    expect(paths).toEqual(['data/root', 'spicepod.yaml'])
  })

  it('plans each file once when links reach it twice', async () => {
    const viaFolder = await plan({
      'spicepod.yaml': pod(
        'datasets:\n  - from: file:releases/v2/a.csv\n    name: a\n  - from: file:current\n    name: c\n',
      ),
      current: { symlink: 'releases/v2' },
      'releases/v2/a.csv': 'a',
      'releases/v2/b.csv': 'b',
    })
    expect(viaFolder.paths).toEqual([
      'current',
      'releases/v2/a.csv',
      'releases/v2/b.csv',
      'spicepod.yaml',
    ])
    expect(viaFolder.lines.filter((line) => line.includes('more than once'))).toEqual([])
    const viaChain = await plan({
      'spicepod.yaml': pod(
        'datasets:\n  - from: file:b.csv\n    name: a\n  - from: file:a.csv\n    name: c\n',
      ),
      'a.csv': { symlink: 'b.csv' },
      'b.csv': { symlink: 'c.csv' },
      'c.csv': 'c',
    })
    expect(viaChain.paths).toEqual(['a.csv', 'b.csv', 'c.csv', 'spicepod.yaml'])
    expect(viaChain.lines.filter((line) => line.includes('more than once'))).toEqual([])
  })
})
