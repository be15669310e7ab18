import { describe, expect, it } from 'vitest'
import { ownOutputsInside } from './own-outputs.js'

describe('ownOutputsInside', () => {
  it('names the zip and its temp files in the packaged folder', () => {
    const isOwn = ownOutputsInside('/work/app', '/work/app/package.zip')!
    expect(isOwn('package.zip')).toBe(true)
    expect(isOwn('.package.zip.0123456789ab.partial')).toBe(true)
    expect(isOwn('sub/package.zip')).toBe(false)
    expect(isOwn('package.zip.txt')).toBe(false)
    expect(isOwn('src/a.ts')).toBe(false)
  })

  it('names the zip’s folder when it lies inside the packaged folder', () => {
    const isOwn = ownOutputsInside('/work/app', '/work/app/dist/app.zip')!
    expect(isOwn('dist/app.zip')).toBe(true)
    expect(isOwn('dist/older.zip')).toBe(true)
    expect(isOwn('distant/a.txt')).toBe(false)
  })

  it('names other outputs and their temp files', () => {
    const isOwn = ownOutputsInside('/work/app', '/elsewhere/app.zip', ['/work/app/manifest.json'])!
    expect(isOwn('manifest.json')).toBe(true)
    expect(isOwn('manifest.json.0123456789ab.tmp')).toBe(true)
    expect(isOwn('app.zip')).toBe(false)
  })

  it('is undefined when nothing is written inside the folder', () => {
    expect(ownOutputsInside('/work/app', '/work/app.zip', ['/tmp/m.json'])).toBeUndefined()
  })
})
