import { describe, expect, it } from 'vitest'
import type { ResourceEntry } from '../manifest/resource-manifest.js'
import { planResourceUpload } from './plan-resource-upload.js'

const entry = (path: string, size: number): ResourceEntry => ({
  path,
  kind: 'file',
  size,
  mode: '644',
  sha1: 'a'.repeat(40),
  sha256: 'b'.repeat(64),
})

describe('planResourceUpload size bounds', () => {
  it('matches files whose size equals either bound, and uploads those outside', () => {
    const manifest = [entry('9', 9), entry('10', 10), entry('20', 20), entry('21', 21)]
    const plan = planResourceUpload(manifest, new Set(['a'.repeat(40)]), {
      minimumSize: 10,
      maximumSize: 20,
    })
    expect(plan.resources.map((resource) => resource.path)).toEqual(['10', '20'])
    expect(plan.upload.map((upload) => upload.path)).toEqual(['9', '21'])
    expect(plan.matchedBytes).toBe(30)
    expect(plan.uploadBytes).toBe(30)
  })
})
