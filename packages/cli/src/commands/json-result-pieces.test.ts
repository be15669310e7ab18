import { type GeneratedPackage, ResourceList } from '@packwright/core'
import { describe, expect, it } from 'vitest'
import { toJsonResult } from './generate-command.js'
import { jsonResultPieces } from './json-result-pieces.js'

function packageOf(count: number): GeneratedPackage {
  const entries = Array.from({ length: count }, (_, index) => ({
    path: `dir/"quoted"\\file-${index}.txt`,
    kind: index % 3 === 0 ? ('symlink' as const) : ('file' as const),
    size: index * 7,
    mode: index % 3 === 0 ? ('777' as const) : ('644' as const),
    sha1: index.toString(16).padStart(40, '0'),
    sha256: index.toString(16).padStart(64, 'a'),
  }))
  return {
    path: '/tmp/package.zip',
    sha256: 'f'.repeat(64),
    size: 1234,
    entries: ResourceList.from(entries),
    mode: 'directory',
    sourceDateEpoch: 315532800,
    sourceDescription: 'folder /tmp/source',
    ignoreFiles: [],
  }
}

describe('jsonResultPieces', () => {
  for (const count of [0, 1, 999, 1000, 2501]) {
    it(`joins to the same bytes as JSON.stringify, compact and indented, for ${count} entries`, () => {
      const result = packageOf(count)
      const digest = 'c'.repeat(64)
      const json = toJsonResult(result, digest)
      expect(json.contentDigest).toBe(digest)
      expect([...jsonResultPieces(result, false, digest)].join('')).toBe(JSON.stringify(json))
      expect([...jsonResultPieces(result, true, digest)].join('')).toBe(
        JSON.stringify(json, null, 2),
      )
    })
  }

  it('yields pieces of at most a thousand entries each', () => {
    const pieces = [...jsonResultPieces(packageOf(2501), false, 'c'.repeat(64))]
    expect(pieces).toHaveLength(4)
    expect(Math.max(...pieces.map((piece) => piece.length))).toBeLessThan(400_000)
  })
})
