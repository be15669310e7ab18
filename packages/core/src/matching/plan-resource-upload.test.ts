import { describe, expect, it } from 'vitest'
import type { ResourceEntry } from '../manifest/resource-manifest.js'
import { planResourceUpload } from './plan-resource-upload.js'

const sha1 = (char: string) => char.repeat(40)
const entry = (
  path: string,
  size: number,
  hash: string,
  kind: 'file' | 'symlink' = 'file',
): ResourceEntry => ({
  path,
  kind,
  size,
  mode: kind === 'symlink' ? '777' : '644',
  sha1: hash,
  sha256: hash.slice(0, 1).repeat(64),
})

describe('planResourceUpload', () => {
  const manifest = [
    entry('a.txt', 10, sha1('a')),
    entry('b.bin', 100_000, sha1('b')),
    entry('c.txt', 5, sha1('c')),
    entry('link', 5, sha1('a'), 'symlink'),
  ]

  it('puts known files in resources (CF wire format) and the rest in the upload', () => {
    const plan = planResourceUpload(manifest, new Set([sha1('a'), sha1('b')]))
    expect(plan.resources).toEqual([
      { checksum: { value: sha1('a') }, size_in_bytes: 10, path: 'a.txt', mode: '644' },
      { checksum: { value: sha1('b') }, size_in_bytes: 100_000, path: 'b.bin', mode: '644' },
    ])
    expect(plan.upload.map((e) => e.path)).toEqual(['c.txt', 'link'])
    expect(plan.matchedBytes).toBe(100_010)
    expect(plan.uploadBytes).toBe(10)
  })

  it('never matches symlinks, even when their sha1 is known', () => {
    const plan = planResourceUpload(manifest, new Set([sha1('a')]))
    expect(plan.upload.map((e) => e.path)).toContain('link')
  })

  it('uploads everything when nothing is known, and nothing when all files are', () => {
    expect(planResourceUpload(manifest, new Set()).resources).toEqual([])
    const all = planResourceUpload(manifest, new Set([sha1('a'), sha1('b'), sha1('c')]))
    expect(all.upload.map((e) => e.path)).toEqual(['link'])
  })

  it('honours minimum and maximum sizes (Cloud Foundry keeps a 64 KiB floor)', () => {
    const known = new Set([sha1('a'), sha1('b'), sha1('c')])
    const cf = planResourceUpload(manifest, known, { minimumSize: 65536 })
    expect(cf.resources.map((r) => r.path)).toEqual(['b.bin'])
    const capped = planResourceUpload(manifest, known, { maximumSize: 50 })
    expect(capped.resources.map((r) => r.path)).toEqual(['a.txt', 'c.txt'])
  })

  it('compares sha1s case-insensitively against a lowercase set', () => {
    const upper = [entry('u.txt', 3, sha1('A'))]
    expect(planResourceUpload(upper, new Set([sha1('a')])).resources).toHaveLength(1)
  })
})
