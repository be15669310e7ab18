import { describe, expect, it } from 'vitest'
import { UsageError } from '../usage-error.js'
import { refuseSharedOutputFiles } from './refuse-shared-output-files.js'

function refusal(files: Parameters<typeof refuseSharedOutputFiles>[0]): string | undefined {
  try {
    refuseSharedOutputFiles(files, 'generate')
    return undefined
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError)
    return (error as UsageError).message
  }
}

describe('refuseSharedOutputFiles', () => {
  it('accepts distinct files and absent ones', () => {
    expect(refusal({ out: '/o/p.zip' })).toBeUndefined()
    expect(
      refusal({ out: '/o/p.zip', manifest: '/o/p.json', provenance: '/o/p.intoto.json' }),
    ).toBeUndefined()
  })

  it('refuses a manifest written over the zip', () => {
    expect(refusal({ out: '/o/p.zip', manifest: '/o/p.zip' })).toBe(
      '--manifest names the same file as --out ("/o/p.zip"); give it a file of its own, such as "/o/p.zip.manifest.json"',
    )
  })

  it('names the first output a provenance file would replace', () => {
    expect(refusal({ out: '/o/p.zip', provenance: '/o/p.zip' })).toBe(
      '--provenance names the same file as --out ("/o/p.zip"); give it a file of its own, such as "/o/p.zip.intoto.json"',
    )
    expect(refusal({ out: '/o/p.zip', manifest: '/o/m.json', provenance: '/o/m.json' })).toBe(
      '--provenance names the same file as --manifest ("/o/m.json"); give it a file of its own, such as "/o/p.zip.intoto.json"',
    )
  })
})
