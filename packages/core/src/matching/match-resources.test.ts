import { describe, expect, it } from 'vitest'
import { matchResources } from './match-resources.js'
import type { ResourceDescriptor } from './resource-descriptor.js'

const descriptor = (
  path: string,
  size: number,
  value: string,
  mode = '644',
): ResourceDescriptor => ({
  checksum: { value },
  size_in_bytes: size,
  path,
  mode,
})
const known = new Set(['a'.repeat(40), 'b'.repeat(40), 'c'.repeat(40)])
const hasBlob = (sha1: string) => known.has(sha1)

describe('matchResources', () => {
  it('returns the known subset, echoing path, mode and size unchanged', async () => {
    const input = [descriptor('x', 10, 'a'.repeat(40), '0755'), descriptor('y', 10, 'd'.repeat(40))]
    expect(await matchResources(input, hasBlob)).toEqual([input[0]])
  })

  it('looks up sha1s in lowercase', async () => {
    expect(await matchResources([descriptor('x', 1, 'A'.repeat(40))], hasBlob)).toHaveLength(1)
  })

  it('skips modes below 0600 and checksums that are not 40 characters', async () => {
    const input = [
      descriptor('r', 1, 'a'.repeat(40), '444'),
      descriptor('bad', 1, 'a'.repeat(40), 'rw-'),
      descriptor('short', 1, 'a'.repeat(39)),
    ]
    expect(await matchResources(input, hasBlob)).toEqual([])
  })

  it('applies strict size bounds as Cloud Foundry does', async () => {
    const input = [
      descriptor('edge', 65536, 'a'.repeat(40)),
      descriptor('big', 65537, 'b'.repeat(40)),
    ]
    const matched = await matchResources(input, hasBlob, {
      minimumSize: 65536,
      maximumSize: 1 << 29,
    })
    expect(matched.map((d) => d.path)).toEqual(['big'])
  })

  it('groups by size bucket in order of first appearance and keeps duplicates', async () => {
    const input = [
      descriptor('small-1', 10, 'a'.repeat(40)),
      descriptor('large', 2_000_000, 'b'.repeat(40)),
      descriptor('small-2', 20, 'c'.repeat(40)),
      descriptor('small-1-again', 10, 'a'.repeat(40)),
    ]
    const matched = await matchResources(input, hasBlob)
    expect(matched.map((d) => d.path)).toEqual(['small-1', 'small-2', 'small-1-again', 'large'])
  })
})
