import { describe, expect, it } from 'vitest'
import { matchResources } from './match-resources.js'
import type { ResourceDescriptor } from './resource-descriptor.js'

const descriptor = (path: string, size: number, mode = '644'): ResourceDescriptor => ({
  checksum: { value: 'a'.repeat(40) },
  size_in_bytes: size,
  path,
  mode,
})
const hasEverything = () => true
const paths = (matched: readonly ResourceDescriptor[]) => matched.map((d) => d.path)

describe('matchResources at its boundaries', () => {
  it('leaves out a size equal to the upper bound, as it does the lower one', async () => {
    const input = [descriptor('below', 99), descriptor('at-maximum', 100)]
    const matched = await matchResources(input, hasEverything, { minimumSize: 0, maximumSize: 100 })
    expect(paths(matched)).toEqual(['below'])
  })

  it('matches mode 600 written with or without a leading zero, and not 577', async () => {
    const input = [
      descriptor('owner-rw', 1, '600'),
      descriptor('owner-rw-zero', 1, '0600'),
      descriptor('owner-r-x', 1, '577'),
    ]
    expect(paths(await matchResources(input, hasEverything))).toEqual(['owner-rw', 'owner-rw-zero'])
  })

  it('puts a size equal to a bucket limit in the lower bucket', async () => {
    const input = [
      descriptor('1024', 1024),
      descriptor('1025', 1025),
      descriptor('2', 2),
      descriptor('2000000', 2_000_000),
      descriptor('1030', 1030),
    ]
    expect(paths(await matchResources(input, hasEverything))).toEqual([
      '1024',
      '2',
      '1025',
      '1030',
      '2000000',
    ])
  })

  it.each(['600x4', '644x', 'x644'])('skips the mode %j, which is not octal', async (mode) => {
    expect(await matchResources([descriptor('odd', 1, mode)], hasEverything)).toEqual([])
  })

  it('skips checksums of 39 and 41 characters even when the pool answers yes', async () => {
    const input = [
      { ...descriptor('short', 1), checksum: { value: 'a'.repeat(39) } },
      { ...descriptor('long', 1), checksum: { value: 'a'.repeat(41) } },
    ]
    expect(await matchResources(input, hasEverything)).toEqual([])
  })

  it('puts the bucket of a large file first when a large file comes first', async () => {
    const input = [
      descriptor('large', 2_000_000),
      descriptor('small', 10),
      descriptor('medium', 50_000),
      descriptor('large-again', 3_000_000),
    ]
    expect(paths(await matchResources(input, hasEverything))).toEqual([
      'large',
      'large-again',
      'small',
      'medium',
    ])
  })
})
