import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { PACKWRIGHT_VERSION } from '../src/constants.js'
import { provenanceFileName } from '../src/provenance-file.js'

describe('provenanceFileName', () => {
  it.each([
    ['hello-pod-abc1234.zip', 'hello-pod-abc1234.intoto.json'],
    ['release.ZIP', 'release.intoto.json'],
    ['archive.zip.zip', 'archive.zip.intoto.json'],
    ['no-extension', 'no-extension.intoto.json'],
  ])('%s is released with %s', (fileName, expected) => {
    expect(provenanceFileName(fileName)).toBe(expected)
  })
})

describe('PACKWRIGHT_VERSION', () => {
  it('is the version in package.json, written as builder.version.packwright', () => {
    const { version } = JSON.parse(
      readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
    ) as { version: string }
    expect(PACKWRIGHT_VERSION).toBe(version)
  })
})
