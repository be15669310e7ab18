import { describe, expect, it } from 'vitest'

import { findVersionNeededProblem } from './zip-version-needed.js'

describe('findVersionNeededProblem', () => {
  it('accepts versions up to 4.5 from any host but VMS', () => {
    expect(findVersionNeededProblem(45, 'central directory')).toBeUndefined()
    expect(findVersionNeededProblem((3 << 8) | 45, 'central directory')).toBeUndefined()
    expect(findVersionNeededProblem(10, 'local header')).toBeUndefined()
  })

  it('refuses a version beyond 4.5, naming it and the header', () => {
    expect(findVersionNeededProblem(46, 'local header')).toEqual({
      code: 'ZIP_UNSUPPORTED',
      reason:
        'needs version 4.6 of the zip format to extract (in the local header), which unzip skips; expected at most version 4.5 for any host but VMS',
    })
  })

  it('refuses any version for VMS', () => {
    expect(findVersionNeededProblem((2 << 8) | 20, 'central directory')).toEqual({
      code: 'ZIP_UNSUPPORTED',
      reason:
        'needs VMS to extract (version needed 2.0 for host 2 in the central directory), which unzip asks about before extracting; expected at most version 4.5 for any host but VMS',
    })
  })
})
