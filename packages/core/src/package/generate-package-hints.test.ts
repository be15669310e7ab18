import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rejection } from '../../test/helpers/rejection.js'
import type { GeneratePackageOptions } from './generate-package-options.js'
import { generatePackage } from './generate-package.js'

let root: string
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'packwright-hints-'))
  await mkdir(join(root, 'pod'))
  await writeFile(
    join(root, 'pod/spicepod.yaml'),
    'version: v1\nkind: Spicepod\nname: pod\ndatasets:\n  - from: file:missing.csv\n    name: d\n',
  )
  await writeFile(join(root, 'notes.txt'), 'notes\n')
  await mkdir(join(root, 'empty'))
})
afterAll(async () => {
  await rm(root, { recursive: true, force: true })
})

/**
 * The hint each planning error of `generatePackage` gives, in the state it is
 * given in: it names a way out the user has not taken yet.
 */
describe('generatePackage hints, by code and state', () => {
  it.each<[string, () => Omit<GeneratePackageOptions, 'outFile'>, string, string | undefined]>([
    [
      'a plain file as the source',
      () => ({ source: join(root, 'notes.txt') }),
      'SPICEPOD_PARSE_FAILED',
      'Give the folder that holds the file to package it as a directory, or give a spicepod manifest.',
    ],
    [
      'a folder without a manifest, asked for a spicepod',
      () => ({ source: join(root, 'empty'), mode: 'spicepod' }),
      'SPICEPOD_READ_FAILED',
      'Name the manifest file, or a folder holding spicepod.yaml.',
    ],
    [
      'directory options given for a spicepod',
      () => ({ source: join(root, 'pod/spicepod.yaml'), include: ['**'] }),
      'INVALID_ARGUMENT',
      'Leave those options out, or package the folder as a directory (mode: directory).',
    ],
    [
      'a link to a missing file in a spicepod',
      () => ({ source: join(root, 'pod/spicepod.yaml') }),
      'SPICEPOD_LINK_NOT_FOUND',
      undefined,
    ],
    [
      'an empty folder',
      () => ({ source: join(root, 'empty') }),
      'SELECTION_EMPTY',
      'The folder holds no files: package another folder, or pass `--allow-empty` to create an empty package.',
    ],
  ])('%s', async (_state, options, code, hint) => {
    const error = await rejection(generatePackage({ ...options(), outFile: join(root, 'out.zip') }))
    expect(error.code).toBe(code)
    expect(error.hint).toBe(hint)
  })
})
